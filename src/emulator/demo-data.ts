import type { RawAccessDeniedDetail } from '../wire/describe-backups.js';
import { generateBackups } from './generate-backups.js';
import type { EmulatorBackup, EmulatorDataset } from './types.js';

/** The demo data ends shortly before this date, whatever the clock says, so tests are stable. */
export const DEMO_REFERENCE_DATE = new Date('2026-11-30T00:00:00Z');

/** The demo key pair; not a real credential. */
export const DEMO_ACCESS_KEY_ID = 'LTAIdemoEmulatorKey';
export const DEMO_ACCESS_KEY_SECRET = 'demo-emulator-secret-not-a-real-one';

/** The instances of the demo dataset, by role. */
export const DEMO_INSTANCE_IDS = {
  /** 35 daily automated backups (2 failed), manual ones, AOF ones, one BackupId above 2^53. */
  standard: 'r-demo0standard01',
  /** 4 shards, one NodeInstanceId each (`…-db-0` to `…-db-3`), backups of tens of GB. */
  cluster: 'r-demo0cluster001',
  /** An instance that has never been backed up. */
  empty: 'r-demo0empty00001',
  /** Its RAM policy denies the call: `Forbidden.RAM`, 403, with an AccessDeniedDetail. */
  denied: 'r-demo0denied0001',
  /** 450 hourly backups, for paging. */
  large: 'r-demo0large00001',
  /** The published example record, verbatim, with the example's storage sizes. */
  example: 'r-demo0example001',
} as const;

/** The single item of the published example response, exactly as documented. */
export const PUBLISHED_EXAMPLE_BACKUP: EmulatorBackup = {
  BackupStatus: 'Success',
  BackupStartTime: '2019-03-14T05:28:50Z',
  BackupType: 'FullBackup',
  BackupDownloadURL: 'https://rdsbak-hk45-v2.oss-cn-hongkong.aliyuncs.com/********',
  NodeInstanceId: 'r-bp10noxlhcoim2****-db-1',
  BackupEndTime: '2019-03-14T05:31:13Z',
  BackupId: 0,
  BackupDBNames: 'all',
  EngineVersion: '4.0',
  BackupIntranetDownloadURL: 'https://rdsbak-hk45-v2.oss-cn-hongkong.aliyuncs.com/********',
  BackupSize: 1024,
  BackupMode: 'Automated',
  BackupMethod: 'Physical',
  BackupJobID: 24340,
  RecoverConfigMode: '{"whitelist":true,"config":true,"account":true}',
  ExpectExpireTime: '2025-06-01T21:51:22Z',
};

/** The BackupId beyond 2^53 on the standard instance: a lossy double would read ...992. */
export const DEMO_BIG_BACKUP_ID = 9007199254740993n;

const DENIED_DETAIL: RawAccessDeniedDetail = {
  AuthAction: 'kvstore:DescribeBackups',
  AuthPrincipalDisplayName: 'demo-readonly-user',
  AuthPrincipalOwnerId: '1234567890123456',
  AuthPrincipalType: 'SubUser',
  EncodedDiagnosticMessage: 'AQEAAAAAaGVsbG8tZGVtby1kaWFnbm9zdGljLW1lc3NhZ2U=',
  NoPermissionType: 'ImplicitDeny',
  PolicyType: 'AccountLevelIdentityBasedPolicy',
};

const at = (iso: string) => new Date(iso);
const GiB = 2 ** 30;

function standardBackups(instanceId: string): EmulatorBackup[] {
  return [
    ...generateBackups({
      instanceId,
      count: 35,
      newest: at('2026-11-29T18:10:17Z'),
      failed: [3, 17],
      sizeBytes: [2 * GiB, 6 * GiB],
    }),
    ...generateBackups({
      instanceId,
      count: 6,
      newest: at('2026-11-27T09:42:17Z'),
      intervalMinutes: 5 * 1440 + 187,
      firstBackupId: 2_400_000_000,
      firstJobId: 150_000_000,
      mode: 'Manual',
      failed: [2],
      recoverConfigMode: '{"whitelist":true,"config":true,"account":true}',
    }),
    ...generateBackups({
      instanceId,
      count: 24,
      newest: at('2026-11-29T23:30:17Z'),
      intervalMinutes: 60,
      firstBackupId: 2_500_000_000,
      firstJobId: 160_000_000,
      type: 'IncrementalBackup',
      sizeBytes: [4 * 1024, 900 * 1024],
    }),
    ...generateBackups({
      instanceId,
      count: 1,
      newest: at('2026-11-28T12:00:17Z'),
      firstBackupId: DEMO_BIG_BACKUP_ID,
      firstJobId: 170_000_000,
      mode: 'Manual',
    }),
  ];
}

function clusterBackups(instanceId: string): EmulatorBackup[] {
  return [0, 1, 2, 3].flatMap((shard) =>
    generateBackups({
      instanceId,
      nodeInstanceId: `${instanceId}-db-${shard}`,
      count: 35,
      // The shards start a few seconds apart, so every item has its own start time.
      newest: new Date(at('2026-11-29T17:20:17Z').getTime() + shard * 3000),
      firstBackupId: 3_100_000_000 + shard * 1000,
      firstJobId: 180_000_000 + shard * 1000,
      failed: shard === 2 ? [5] : [],
      sizeBytes: [8 * GiB, 48 * GiB],
    }),
  );
}

/** A fresh copy of the demo dataset; the same data on every call and every start. */
export function createDemoDataset(): EmulatorDataset {
  const ids = DEMO_INSTANCE_IDS;

  return {
    instances: {
      [ids.standard]: { LogStorageSize: 734_003_200, Backups: standardBackups(ids.standard) },
      [ids.cluster]: { LogStorageSize: 0, Backups: clusterBackups(ids.cluster) },
      [ids.empty]: { FullStorageSize: 0, LogStorageSize: 0, Backups: [] },
      [ids.denied]: {
        Backups: generateBackups({
          instanceId: ids.denied,
          count: 3,
          newest: at('2026-11-29T02:00:17Z'),
        }),
        Fault: {
          Code: 'Forbidden.RAM',
          HttpStatus: 403,
          Message:
            "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
          AccessDeniedDetail: DENIED_DETAIL,
        },
      },
      [ids.large]: {
        Backups: generateBackups({
          instanceId: ids.large,
          count: 450,
          newest: at('2026-11-29T23:05:17Z'),
          intervalMinutes: 60,
          firstBackupId: 4_000_000_000,
          sizeBytes: [256 * 2 ** 20, GiB],
        }),
      },
      [ids.example]: {
        FullStorageSize: 1000,
        LogStorageSize: 5000,
        FreeSize: 100000,
        Backups: [{ ...PUBLISHED_EXAMPLE_BACKUP }],
      },
    },
  };
}
