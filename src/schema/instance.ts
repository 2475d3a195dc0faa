import type { PageRequest } from '../loaders/backup-loaders.js';
import { TairError, UpstreamError } from '../tair/errors.js';
import { type ByteCount, UnsafeInteger } from '../tair/types.js';
import { DEFAULT_PAGE_SIZE } from '../wire/describe-backups.js';
import { BackupRef, safeBytes } from './backup.js';
import {
  BackupConnectionRef,
  BackupFilterInput,
  resolveBackupConnection,
} from './backup-connection.js';
import { builder } from './builder.js';
import { backupsComplexity, UPSTREAM_FIELD_COST } from './complexity.js';
import { ceilToMinute, DEFAULT_START_TIME } from './connection/arguments.js';
import { UPSTREAM_ERROR_TYPES } from './errors.js';
import { forInstance, InstanceRef, type InstanceShape } from './instance-ref.js';

interface BackupStorageShape {
  fullBytes: number;
  /** As upstream sent it: past 2^53, it fails its own field (safeBytes), not the storage. */
  logBytes: ByteCount | null;
}

const BackupStorageRef = builder.objectRef<BackupStorageShape>('BackupStorage').implement({
  description: 'Backup storage the instance uses, whatever the filters of any listing.',
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'fullBytes' in value,
  fields: (t) => ({
    fullBytes: t.expose('fullBytes', {
      type: 'SafeInt',
      description: 'Bytes of all valid full backups (FullStorageSize).',
    }),
    logBytes: t.field({
      type: 'SafeInt',
      nullable: true,
      description:
        'Bytes of log backups (LogStorageSize); 0, or null when upstream omits it, unless ' +
        'flashback is enabled.',
      resolve: (storage) => safeBytes('logBytes', storage.logBytes),
    }),
  }),
});

const InstanceBackupStorageResult = builder.errorUnion('InstanceBackupStorageResult', {
  types: [BackupStorageRef, ...UPSTREAM_ERROR_TYPES],
});

/** The call `backupStorage` makes alone: the same as the default first page of `backups`. */
function defaultFirstPage(instanceId: string, now: Date): PageRequest {
  return {
    instanceId,
    startTime: DEFAULT_START_TIME,
    endTime: ceilToMinute(now),
    needAof: false,
    backupId: null,
    backupJobId: null,
    pageSize: DEFAULT_PAGE_SIZE,
    pageNumber: 1,
  };
}

builder.node(InstanceRef, {
  description:
    'A Tair (Redis-compatible) instance, known by its Alibaba Cloud instance ID. Creating one ' +
    'makes no upstream call; its fields do.',
  id: { resolve: (instance) => instance.id },
  loadOne: (id): InstanceShape => ({ id, argument: 'id' }),
  fields: (t) => ({
    backups: t.connection(
      {
        type: BackupRef,
        description:
          'Backups, newest first (by BackupStartTime, then BackupId), as a Relay connection. ' +
          '`first` and `last` range from 0 to 300; neither means `first: 30` (`last: 30` with ' +
          '`before` alone). A failure of this page is in `error`, not in the errors list.',
        args: { filter: t.arg({ type: BackupFilterInput }) },
        complexity: backupsComplexity,
        resolve: (instance, args, context) =>
          resolveBackupConnection(instance, args, context.loaders, context.now),
      },
      BackupConnectionRef,
    ),
    backupStorage: t.field({
      type: InstanceBackupStorageResult,
      complexity: UPSTREAM_FIELD_COST,
      description:
        'Backup storage of the instance. Reuses any DescribeBackups call this request made for ' +
        'the instance; alone it makes one small call.',
      resolve: async (instance, _args, context) => {
        const page = await context.loaders
          .anyPage(instance.id, defaultFirstPage(instance.id, context.now))
          .catch((error: unknown) => {
            throw error instanceof TairError ? forInstance(error, instance) : error;
          });

        const full = page.fullStorageSize;
        if (full instanceof UnsafeInteger) {
          // fullBytes cannot be null, so a figure that cannot be returned exactly fails the
          // storage as a typed error, and other instances of the request are still answered.
          throw new UpstreamError(
            'UPSTREAM_ERROR',
            `FullStorageSize is ${full.decimal} bytes, past 2^53: fullBytes cannot be returned exactly as a SafeInt`,
            { requestId: page.requestId },
          );
        }

        return { fullBytes: full ?? 0, logBytes: page.logStorageSize };
      },
    }),
  }),
});
