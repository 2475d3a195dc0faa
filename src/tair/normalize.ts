import type { Logger } from '../logger.js';
import {
  backupIdentifier,
  byteCount,
  databaseNames,
  exactDecimal,
  httpUrl,
  type Note,
  recoverConfig,
  responseTime,
  text,
} from './normalize-values.js';
import type { Backup, DescribeBackupsPage } from './types.js';

/** Where a normalisation warning comes from; logged with every warning. */
export interface NormalizeContext {
  instanceId: string;
  requestId: string;
  logger: Logger;
}

/** A response body that passed `checkPageShape`: the fields the client relies on are there. */
export interface CheckedPageBody {
  RequestId: string;
  PageNumber: number;
  PageSize: number;
  TotalCount: number;
  FullStorageSize?: unknown;
  LogStorageSize?: unknown;
  Backups: { Backup: unknown[] };
}

const MAX_LOGGED_VALUE_LENGTH = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Says what is wrong with the shape of a body that had no `Code`, or null when it is a
 * DescribeBackups page. pop-core treats any such body as success, so this is the only check.
 */
export function checkPageShape(body: unknown): string | null {
  if (!isRecord(body)) {
    return `the body is ${Array.isArray(body) ? 'an array' : String(body)}, not an object`;
  }
  if (typeof body.RequestId !== 'string') {
    return 'RequestId is not a string';
  }
  for (const field of ['TotalCount', 'PageNumber', 'PageSize'] as const) {
    if (!isCount(body[field])) {
      return `${field} is not a non-negative integer`;
    }
  }
  if (!isRecord(body.Backups) || !Array.isArray(body.Backups.Backup)) {
    return 'Backups.Backup is not an array';
  }

  return null;
}

/**
 * Any parsed JSON value as text. String() throws for an object without a prototype, which is how
 * json-bigint builds objects: a page with an object where a string belongs was an unexpected
 * error instead of a warning. Such an object is shown as JSON.
 */
function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return JSON.stringify(value) ?? '';
    } catch {
      return 'an object';
    }
  }
}

/** Values are data, not secrets, but download URLs are pre-signed: their query is never logged. */
function loggable(field: string, value: unknown): string {
  const raw = typeof value === 'string' ? value : textOf(value);
  const shown = field.endsWith('URL') ? (raw.split('?')[0] ?? '') : raw;

  return shown.slice(0, MAX_LOGGED_VALUE_LENGTH);
}

/** Warnings of one response, one per field and problem, however many items share it. */
class PageNotes {
  private readonly notes = new Map<
    string,
    { field: string; problem: string; value: string; items: number }
  >();

  add(field: string, problem: string, value: unknown): void {
    const key = `${field}\u0000${problem}`;
    const note = this.notes.get(key);
    if (note) {
      note.items += 1;
    } else {
      this.notes.set(key, { field, problem, value: loggable(field, value), items: 1 });
    }
  }

  log(context: NormalizeContext): void {
    for (const { field, problem, value, items } of this.notes.values()) {
      context.logger.warn(
        { field, requestId: context.requestId, instanceId: context.instanceId, value, items },
        `DescribeBackups field ${field}: ${problem}${items > 1 ? ` (${items} items)` : ''}`,
      );
    }
  }
}

function fieldReader(item: Record<string, unknown>, notes: PageNotes) {
  const warn = (field: string, problem: string): void => notes.add(field, problem, item[field]);

  /**
   * Absent stays null quietly, and so does an empty string: DescribeBackups sends "" for what it
   * does not have (the download URLs of a failed backup, the node of a standard instance).
   * Present but unusable becomes null with a warning.
   */
  return <T>(field: string, parse: (value: unknown, note: Note) => T | undefined): T | null => {
    const value = item[field];
    if (value === undefined || value === null || value === '') {
      return null;
    }
    const parsed = parse(value, (problem) => warn(field, problem));
    if (parsed === undefined) {
      warn(field, 'unusable value');

      return null;
    }

    return parsed;
  };
}

/** One item, or the reason it cannot be a Backup (no usable BackupId or BackupStartTime). */
function normalizeItem(
  item: unknown,
  context: NormalizeContext,
  notes: PageNotes,
): Backup | string {
  if (!isRecord(item)) {
    return 'not an object';
  }
  const read = fieldReader(item, notes);
  const backupId = read('BackupId', backupIdentifier);
  if (backupId === null) {
    return `no usable BackupId (${loggable('BackupId', item.BackupId)})`;
  }
  const startTime = read('BackupStartTime', responseTime);
  if (startTime === null) {
    return `no parsable BackupStartTime (${loggable('BackupStartTime', item.BackupStartTime)})`;
  }

  return {
    instanceId: context.instanceId,
    backupId,
    jobId: read('BackupJobID', exactDecimal),
    status: read('BackupStatus', text),
    type: read('BackupType', text),
    mode: read('BackupMode', text),
    method: read('BackupMethod', text),
    startTime,
    endTime: read('BackupEndTime', responseTime),
    expiresAt: read('ExpectExpireTime', responseTime),
    sizeBytes: read('BackupSize', byteCount),
    downloadUrl: read('BackupDownloadURL', httpUrl),
    intranetDownloadUrl: read('BackupIntranetDownloadURL', httpUrl),
    nodeId: read('NodeInstanceId', text),
    databases: read('BackupDBNames', databaseNames),
    engineVersion: read('EngineVersion', text),
    recoverConfig: read('RecoverConfigMode', recoverConfig),
  };
}

/**
 * Turns a checked DescribeBackups body into the typed page. Nothing an item sends can fail the
 * page: unusable values become null with a warning (one per field and problem, counting the
 * items that share it), and items without a usable BackupId or
 * BackupStartTime are dropped and counted in one warning per response.
 */
export function normalizePage(
  body: CheckedPageBody,
  context: NormalizeContext,
): DescribeBackupsPage {
  const backups: Backup[] = [];
  const dropped: string[] = [];
  const droppedAt: number[] = [];
  const notes = new PageNotes();
  body.Backups.Backup.forEach((item, index) => {
    const result = normalizeItem(item, context, notes);
    if (typeof result === 'string') {
      dropped.push(result);
      droppedAt.push(index);
    } else {
      backups.push(result);
    }
  });
  if (dropped.length > 0) {
    context.logger.warn(
      {
        requestId: context.requestId,
        instanceId: context.instanceId,
        droppedItems: dropped.length,
        reasons: dropped.slice(0, 5),
      },
      `DescribeBackups dropped ${dropped.length} unusable item(s)`,
    );
  }

  const read = fieldReader(body as unknown as Record<string, unknown>, notes);
  const fullStorageSize = read('FullStorageSize', byteCount);
  const logStorageSize = read('LogStorageSize', byteCount);
  notes.log(context);

  return {
    requestId: body.RequestId,
    pageNumber: body.PageNumber,
    pageSize: body.PageSize,
    totalCount: body.TotalCount,
    fullStorageSize,
    logStorageSize,
    backups,
    droppedItems: dropped.length,
    droppedAt,
  };
}
