import { RESPONSE_TIME_PATTERN } from '../wire/describe-backups.js';
import type { EmulatorBackup, ExactInteger } from './types.js';
import type { BackupQuery } from './validate.js';

/** `BackupStartTime` in ms; NaN when missing or not `yyyy-MM-ddTHH:mm:ssZ`. */
export function startTimeMs(item: EmulatorBackup): number {
  const value = item.BackupStartTime;

  return value !== undefined && RESPONSE_TIME_PATTERN.test(value) ? Date.parse(value) : Number.NaN;
}

function decimal(value: ExactInteger | undefined): string {
  return value === undefined ? '' : String(value);
}

/** Compares decimal strings numerically without a lossy double: by length, then by text. */
function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) {
    return a.length - b.length;
  }

  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The emulator's order (the real one is undocumented): BackupStartTime descending, then
 * BackupId descending. Items whose start time cannot be read come last.
 */
export function compareBackups(a: EmulatorBackup, b: EmulatorBackup): number {
  const ta = startTimeMs(a);
  const tb = startTimeMs(b);
  if (ta !== tb && !(Number.isNaN(ta) && Number.isNaN(tb))) {
    if (Number.isNaN(ta)) {
      return 1;
    }
    if (Number.isNaN(tb)) {
      return -1;
    }

    return tb - ta;
  }

  return compareDecimal(decimal(b.BackupId), decimal(a.BackupId));
}

/** The instance's items in the emulator's order. */
export function sortBackups(items: readonly EmulatorBackup[]): EmulatorBackup[] {
  return [...items].sort(compareBackups);
}

/**
 * Whether an item answers the query. The window is compared to the second, bounds included.
 * An item whose start time cannot be read is kept, so odd replayed data still reaches clients.
 * NeedAof (the emulator's model, an assumption): AOF IncrementalBackup items only with NeedAof=1.
 */
export function matchesQuery(item: EmulatorBackup, query: BackupQuery): boolean {
  const ms = startTimeMs(item);
  if (!Number.isNaN(ms) && (ms < query.startMs || ms > query.endMs)) {
    return false;
  }
  if (query.backupId !== undefined && decimal(item.BackupId) !== query.backupId) {
    return false;
  }
  if (query.backupJobId !== undefined && decimal(item.BackupJobID) !== query.backupJobId) {
    return false;
  }

  return query.needAof || item.BackupType !== 'IncrementalBackup';
}

/** One page of the matching items and their count before paging. */
export function queryBackups(
  items: readonly EmulatorBackup[],
  query: BackupQuery,
): { totalCount: number; page: EmulatorBackup[] } {
  const matching = sortBackups(items.filter((item) => matchesQuery(item, query)));
  const from = (query.pageNumber - 1) * query.pageSize;

  return { totalCount: matching.length, page: matching.slice(from, from + query.pageSize) };
}

/** FullStorageSize when a dataset leaves it out: the bytes of the successful full backups. */
export function sumFullStorage(items: readonly EmulatorBackup[]): number | bigint {
  let total = 0n;
  for (const item of items) {
    const size = item.BackupSize;
    const counts = item.BackupStatus === 'Success' && item.BackupType === 'FullBackup';
    if (counts && size !== undefined && /^[0-9]+$/.test(String(size))) {
      total += BigInt(size);
    }
  }

  return total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(total) : total;
}
