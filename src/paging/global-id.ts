/**
 * Relay global ids. An Instance's id is the raw Alibaba instance ID (`r-bp1zxszhcgatnx1234`),
 * which clients and the federated graph already hold. A Backup's id is `Backup:` followed by
 * base64url JSON: no instance ID contains `:` or an upper-case letter, so neither can be read as
 * the other, and the id carries what a single-backup lookup needs (instance, BackupId, the start
 * minute to narrow the time window, and whether AOF backups were asked for).
 */

/** Marks a Backup id; the `:` keeps it from ever being an instance ID. */
export const BACKUP_NODE_PREFIX = 'Backup:';

/** Instance IDs are about 25 characters; the cap only bounds the work done on a hostile id. */
export const MAX_INSTANCE_ID_LENGTH = 256;

/** Room for the longest id encodeBackupId writes: 256 units of up to 6 JSON bytes, base64 4/3. */
const MAX_NODE_ID_LENGTH = 4096;
const MINUTE_MS = 60_000;
const MAX_MINUTE = Math.floor(Date.UTC(9999, 11, 31, 23, 59) / MINUTE_MS);
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;
/** Exact decimal without leading zeros, so one backup has exactly one id. */
const BACKUP_ID_PATTERN = /^(?:0|[1-9]\d{0,19})$/;

/** What identifies one backup set as a node. */
export interface BackupNodeKey {
  instanceId: string;
  /** Exact decimal BackupId; may exceed 2^53. */
  backupId: string;
  /** BackupStartTime; encodeBackupId floors it to the minute, parseNodeId returns the minute. */
  startMinute: Date;
  /** Whether the backup was listed with NeedAof=1. */
  aof: boolean;
}

export type ParsedNodeId =
  | { kind: 'Instance'; instanceId: string }
  | ({ kind: 'Backup' } & BackupNodeKey)
  | { kind: 'Invalid'; reason: string };

/** [instanceId, backupId, start minute since the epoch, aof as 0 or 1] */
type WireBackupKey = [string, string, number, 0 | 1];

function instanceIdProblem(instanceId: unknown): string | null {
  if (typeof instanceId !== 'string' || instanceId.length === 0) {
    return 'the instance ID is empty';
  }
  if (instanceId.length > MAX_INSTANCE_ID_LENGTH) {
    return `the instance ID is ${instanceId.length} characters long, over ${MAX_INSTANCE_ID_LENGTH}`;
  }

  return null;
}

/**
 * Builds the global id of a backup. The instance ID may hold any characters; it round-trips
 * exactly through parseNodeId.
 *
 * @throws RangeError naming the field when the key cannot be encoded (a bug in the caller).
 */
export function encodeBackupId(key: BackupNodeKey): string {
  const problem = instanceIdProblem(key.instanceId);
  if (problem !== null) {
    throw new RangeError(`instanceId cannot be encoded: ${problem}`);
  }
  if (typeof key.backupId !== 'string' || !BACKUP_ID_PATTERN.test(key.backupId)) {
    throw new RangeError(
      `backupId must be a decimal of 1 to 20 digits without leading zeros; received ${String(key.backupId)}`,
    );
  }
  const time = key.startMinute instanceof Date ? key.startMinute.getTime() : Number.NaN;
  const minute = Math.floor(time / MINUTE_MS);
  if (!Number.isSafeInteger(minute) || minute < 0 || minute > MAX_MINUTE) {
    throw new RangeError(
      `startMinute must be a valid Date from 1970 to 9999; received ${String(key.startMinute)}`,
    );
  }
  if (typeof key.aof !== 'boolean') {
    throw new RangeError(`aof must be a boolean; received ${String(key.aof)}`);
  }

  const wire: WireBackupKey = [key.instanceId, key.backupId, minute, key.aof ? 1 : 0];

  return BACKUP_NODE_PREFIX + Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
}

function parseBackup(id: string): ParsedNodeId {
  const invalid = (reason: string): ParsedNodeId => ({ kind: 'Invalid', reason });
  const body = id.slice(BACKUP_NODE_PREFIX.length);
  const bytes = BASE64URL_PATTERN.test(body) ? Buffer.from(body, 'base64url') : null;
  if (bytes === null || bytes.toString('base64url') !== body) {
    return invalid('the Backup id is not base64url after its prefix');
  }

  let wire: unknown;
  try {
    wire = JSON.parse(bytes.toString('utf8'));
  } catch {
    return invalid('the Backup id does not hold JSON');
  }
  if (!Array.isArray(wire) || wire.length !== 4) {
    return invalid('the Backup id does not hold a backup key');
  }
  const [instanceId, backupId, minute, aof]: unknown[] = wire;
  const problem = instanceIdProblem(instanceId);
  if (problem !== null) {
    return invalid(`in the Backup id, ${problem}`);
  }
  if (typeof backupId !== 'string' || !BACKUP_ID_PATTERN.test(backupId)) {
    return invalid(`the Backup id holds BackupId ${JSON.stringify(backupId)}, not a decimal`);
  }
  if (!Number.isSafeInteger(minute) || (minute as number) < 0 || (minute as number) > MAX_MINUTE) {
    return invalid(`the Backup id holds start minute ${JSON.stringify(minute)}, not a valid time`);
  }
  if (aof !== 0 && aof !== 1) {
    return invalid(`the Backup id holds aof ${JSON.stringify(aof)}, not 0 or 1`);
  }

  const key: BackupNodeKey = {
    instanceId: instanceId as string,
    backupId,
    startMinute: new Date((minute as number) * MINUTE_MS),
    aof: aof === 1,
  };
  // Only the form encodeBackupId writes is accepted, so one backup never has two ids.
  if (encodeBackupId(key) !== id) {
    return invalid('the Backup id is not in the form this gateway writes');
  }

  return { kind: 'Backup', ...key };
}

/**
 * Tells what a global id names. A `Backup:` id that does not decode is Invalid, as are empty and
 * overlong ids. Any other id is classified as an Instance. Like `instance(id:)`, an Instance
 * costs no upstream call to name; whether it exists is for its fields to find out (`backups`
 * answers an InstanceNotFoundError for an unknown one).
 */
export function parseNodeId(id: string): ParsedNodeId {
  if (typeof id !== 'string' || id.length === 0) {
    return { kind: 'Invalid', reason: 'the id is empty' };
  }
  if (id.length > MAX_NODE_ID_LENGTH) {
    return { kind: 'Invalid', reason: `the id is ${id.length} characters long` };
  }
  if (id.startsWith(BACKUP_NODE_PREFIX)) {
    return parseBackup(id);
  }
  const problem = instanceIdProblem(id);

  return problem === null
    ? { kind: 'Instance', instanceId: id }
    : { kind: 'Invalid', reason: problem };
}
