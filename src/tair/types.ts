import type { PageSize } from '../wire/describe-backups.js';

/** What the gateway asks of DescribeBackups. Times must already sit on whole minutes. */
export interface DescribeBackupsInput {
  instanceId: string;
  /** Inclusive lower bound on BackupStartTime; whole minutes, UTC. */
  startTime: Date;
  /** Inclusive upper bound on BackupStartTime; whole minutes, later than startTime. */
  endTime: Date;
  /** @default 30 */
  pageSize?: PageSize;
  /** 1-based. @default 1 */
  pageNumber?: number;
  /** One backup set's ID, as an exact decimal string. */
  backupId?: string;
  /** A backup job's ID, as an exact decimal string. */
  backupJobId?: string;
  /** Sent as NeedAof=1 when true. @default false */
  needAof?: boolean;
}

/** An integer the API sent that does not fit a JavaScript number exactly. Never rounded. */
export class UnsafeInteger {
  constructor(readonly decimal: string) {}

  toString(): string {
    return this.decimal;
  }
}

/** A byte count: a safe integer, or the exact value when it is past 2^53. */
export type ByteCount = number | UnsafeInteger;

export interface RecoverConfig {
  whitelist: boolean | null;
  config: boolean | null;
  account: boolean | null;
}

/**
 * One backup set, normalised. Enum-like fields keep the upstream string as sent (`Success`,
 * `FullBackup`, …), unknown values included; mapping to GraphQL enums happens in the schema.
 */
export interface Backup {
  instanceId: string;
  /** Exact decimal string; BackupIds exceed 2^31 and may exceed 2^53. */
  backupId: string;
  jobId: string | null;
  status: string | null;
  type: string | null;
  mode: string | null;
  method: string | null;
  startTime: Date;
  endTime: Date | null;
  expiresAt: Date | null;
  sizeBytes: ByteCount | null;
  downloadUrl: string | null;
  intranetDownloadUrl: string | null;
  nodeId: string | null;
  /** BackupDBNames split on commas; `['all']` means every database. */
  databases: string[] | null;
  engineVersion: string | null;
  recoverConfig: RecoverConfig | null;
}

/** One DescribeBackups page, normalised. */
export interface DescribeBackupsPage {
  requestId: string;
  pageNumber: number;
  pageSize: number;
  totalCount: number;
  /** Bytes of all valid full backups of the instance, whatever the filters. */
  fullStorageSize: ByteCount | null;
  /** Bytes of log backups; null unless flashback is enabled. */
  logStorageSize: ByteCount | null;
  backups: Backup[];
  /** Items dropped because they had no parsable BackupStartTime. */
  droppedItems: number;
  /**
   * Where the dropped items were, as indices in the page's item list: each still held its place
   * in upstream's paging, so the rows after it keep their offsets.
   */
  droppedAt: readonly number[];
}

/** The one client of DescribeBackups. Everything above it depends on this interface only. */
export interface TairBackupClient {
  describeBackups(input: DescribeBackupsInput): Promise<DescribeBackupsPage>;
}
