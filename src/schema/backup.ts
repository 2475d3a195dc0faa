import { GraphQLError } from 'graphql';
import { encodeBackupId, parseNodeId } from '../paging/global-id.js';
import { TairError } from '../tair/errors.js';
import type { Backup } from '../tair/types.js';
import { UnsafeInteger } from '../tair/types.js';
import { builder } from './builder.js';
import { floorToMinute } from './connection/arguments.js';
import { toGraphQLError } from './errors.js';
import { InstanceRef } from './instance-ref.js';
import { upstreamEnum } from './upstream-enum.js';

const BackupStatusEnum = upstreamEnum('BackupStatus', {
  Success: 'SUCCESS',
  Failed: 'FAILED',
});
const BackupTypeEnum = upstreamEnum('BackupType', {
  FullBackup: 'FULL_BACKUP',
  IncrementalBackup: 'INCREMENTAL_BACKUP',
});
const BackupModeEnum = upstreamEnum('BackupMode', {
  Automated: 'AUTOMATED',
  Manual: 'MANUAL',
});
const BackupMethodEnum = upstreamEnum('BackupMethod', {
  Logical: 'LOGICAL',
  Physical: 'PHYSICAL',
});

const RecoverConfigRef = builder
  .objectRef<NonNullable<Backup['recoverConfig']>>('RecoverConfig')
  .implement({
    description: 'What a restore from this backup brings back (Cloud Native Edition only).',
    fields: (t) => ({
      whitelist: t.exposeBoolean('whitelist', { nullable: true }),
      config: t.exposeBoolean('config', { nullable: true }),
      account: t.exposeBoolean('account', { nullable: true }),
    }),
  });

const isIncremental = (backup: Backup): boolean => backup.type === 'IncrementalBackup';

/** The Backup global id: enough to refetch the backup with one narrow call. */
export function backupGlobalId(backup: Backup): string {
  return encodeBackupId({
    instanceId: backup.instanceId,
    backupId: backup.backupId,
    startMinute: floorToMinute(backup.startTime),
    aof: isIncremental(backup),
  });
}

/**
 * A byte count past 2^53 fails its own field with the exact value in the error, never as a rounded
 * number: a typed GraphQL error (the rest of the backup is still answered), not a masked one.
 */
export function safeBytes(field: string, value: number | UnsafeInteger | null): number | null {
  if (value instanceof UnsafeInteger) {
    throw new GraphQLError(
      `${field} is ${value.decimal} bytes, past 2^53: it cannot be returned exactly as a SafeInt`,
      {
        extensions: { code: 'UPSTREAM_VALUE_OUT_OF_RANGE', value: value.decimal, retryable: false },
      },
    );
  }

  return value;
}

export const BackupRef = builder.node(builder.objectRef<Backup>('Backup'), {
  description: 'One backup set of an instance, as DescribeBackups lists it.',
  id: { resolve: backupGlobalId },
  loadOne: async (id, context) => {
    const parsed = parseNodeId(id);
    if (parsed.kind !== 'Backup') {
      return null;
    }

    const startTime = parsed.startMinute;
    try {
      const page = await context.loaders.page({
        instanceId: parsed.instanceId,
        startTime,
        endTime: new Date(startTime.getTime() + 60_000),
        needAof: parsed.aof,
        backupId: parsed.backupId,
        backupJobId: null,
        pageSize: 30,
        pageNumber: 1,
      });

      return page.backups.find((backup) => backup.backupId === parsed.backupId) ?? null;
    } catch (error) {
      throw error instanceof TairError ? toGraphQLError(error) : error;
    }
  },
  fields: (t) => ({
    backupId: t.exposeID('backupId', {
      description: 'The API BackupId, exact (it can exceed 2^53).',
    }),
    jobId: t.exposeID('jobId', { nullable: true, description: 'The backup job (BackupJobID).' }),
    instance: t.field({
      type: InstanceRef,
      resolve: (backup) => ({ id: backup.instanceId, argument: 'id' }),
    }),
    status: t.field({
      type: BackupStatusEnum.ref,
      nullable: true,
      resolve: (backup, _args, context) => BackupStatusEnum.map(backup.status, context.logger),
    }),
    type: t.field({
      type: BackupTypeEnum.ref,
      nullable: true,
      resolve: (backup, _args, context) => BackupTypeEnum.map(backup.type, context.logger),
    }),
    mode: t.field({
      type: BackupModeEnum.ref,
      nullable: true,
      resolve: (backup, _args, context) => BackupModeEnum.map(backup.mode, context.logger),
    }),
    method: t.field({
      type: BackupMethodEnum.ref,
      nullable: true,
      resolve: (backup, _args, context) => BackupMethodEnum.map(backup.method, context.logger),
    }),
    startTime: t.expose('startTime', { type: 'DateTime' }),
    endTime: t.expose('endTime', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    sizeBytes: t.field({
      type: 'SafeInt',
      nullable: true,
      resolve: (backup) => safeBytes('sizeBytes', backup.sizeBytes),
    }),
    downloadUrl: t.field({
      type: 'URL',
      nullable: true,
      description:
        'Public download URL (pre-signed by Alibaba Cloud). Null when absent, or when the ' +
        'deployment withholds download URLs (WITHHOLD_DOWNLOAD_URLS).',
      resolve: (backup, _args, context) =>
        context.settings.withholdDownloadUrls ? null : backup.downloadUrl,
    }),
    intranetDownloadUrl: t.field({
      type: 'URL',
      nullable: true,
      description: "Download URL inside the instance's VPC; withheld like downloadUrl.",
      resolve: (backup, _args, context) =>
        context.settings.withholdDownloadUrls ? null : backup.intranetDownloadUrl,
    }),
    nodeId: t.exposeString('nodeId', {
      nullable: true,
      description: 'The node (shard) backed up; for a standard instance, the instance ID.',
    }),
    databases: t.exposeStringList('databases', {
      nullable: true,
      description: 'Backed-up databases; `["all"]` means every database.',
    }),
    engineVersion: t.exposeString('engineVersion', { nullable: true }),
    recoverConfig: t.field({
      type: RecoverConfigRef,
      nullable: true,
      resolve: (backup) => backup.recoverConfig,
    }),
  }),
});
