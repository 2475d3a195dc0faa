import {
  type CursorPayload,
  decodeCursor,
  filterFingerprint,
  fingerprint,
} from '../../paging/cursor.js';
import { InvalidArgumentError } from '../../tair/errors.js';
import { MAX_PAGE_SIZE } from '../../wire/describe-backups.js';

/** Where a window starts when the client names no startTime. */
export const DEFAULT_START_TIME = new Date('2010-01-01T00:00:00Z');
/** Edges returned when the client gives neither `first` nor `last`. */
export const DEFAULT_PAGE_LENGTH = 30;

const MINUTE_MS = 60_000;
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59);
const DECIMAL_ID = /^\d{1,20}$/;

export interface BackupFilterArgs {
  startTime?: Date | null;
  endTime?: Date | null;
  backupId?: string | null;
  backupJobId?: string | null;
  includeAof?: boolean | null;
}

export interface BackupConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  filter?: BackupFilterArgs | null;
}

/** The minute-aligned window sent upstream. */
export interface TimeWindow {
  startTime: Date;
  endTime: Date;
}

/** A validated request for one page of an instance's backups. */
export interface BackupPageQuery {
  instanceId: string;
  window: TimeWindow;
  needAof: boolean;
  backupId: string | null;
  backupJobId: string | null;
  first: number | null;
  last: number | null;
  after: CursorPayload | null;
  before: CursorPayload | null;
  /** What every cursor of this answer carries, so the next page sees the same list. */
  cursorContext: Pick<CursorPayload, 'instance' | 'filter' | 'pinnedEnd'>;
}

export const floorToMinute = (date: Date): Date =>
  new Date(Math.floor(date.getTime() / MINUTE_MS) * MINUTE_MS);
export const ceilToMinute = (date: Date): Date =>
  new Date(Math.ceil(date.getTime() / MINUTE_MS) * MINUTE_MS);

/**
 * The window upstream is asked for: floor(startTime) and ceil(endTime), because the API filters in
 * whole minutes. Without an endTime, a cursor's pinned end wins over "now", so every page of one
 * listing sees the same window. Computed before validation: a failed page still reports it.
 */
export function planWindow(args: BackupConnectionArgs, now: Date): TimeWindow {
  const pinned = args.filter?.endTime ? null : pinnedEndOf(args);

  return {
    startTime: floorToMinute(args.filter?.startTime ?? DEFAULT_START_TIME),
    // The last minute of year 9999 rounds up out of range; it is the latest end there is.
    endTime: new Date(
      Math.min(ceilToMinute(args.filter?.endTime ?? pinned ?? now).getTime(), LATEST),
    ),
  };
}

/** Validates the arguments; every refusal names its argument and happens before any call. */
export function parseBackupPageQuery(
  instanceId: string,
  args: BackupConnectionArgs,
  now: Date,
): BackupPageQuery {
  const first = checkLength('first', args.first);
  const last = checkLength('last', args.last);
  const filter = args.filter ?? {};
  const backupId = checkDecimalId('filter.backupId', filter.backupId);
  const backupJobId = checkDecimalId('filter.backupJobId', filter.backupJobId);
  // As given, before the window rounds them outwards to whole minutes.
  if (filter.startTime && filter.endTime && filter.endTime <= filter.startTime) {
    throw new InvalidArgumentError(
      'filter.endTime',
      `\`filter.endTime\` (${filter.endTime.toISOString()}) must be later than \`filter.startTime\` (${filter.startTime.toISOString()})`,
    );
  }
  const window = planWindow(args, now);
  checkInstant('filter.startTime', window.startTime);
  // Without a filter.endTime, the end came from a cursor (or from "now", always in range).
  const endSource = args.filter?.endTime
    ? 'filter.endTime'
    : args.after
      ? 'after'
      : args.before
        ? 'before'
        : 'filter.endTime';
  checkInstant(endSource, window.endTime);
  if (window.endTime.getTime() <= window.startTime.getTime()) {
    const span = `the minute-aligned window ${window.startTime.toISOString()} to ${window.endTime.toISOString()} is empty`;
    // Name what the client sent: without a filter.endTime, only the start can be wrong.
    throw args.filter?.endTime
      ? new InvalidArgumentError(
          'filter.endTime',
          `\`filter.endTime\` must be later than \`filter.startTime\`; ${span}`,
        )
      : new InvalidArgumentError(
          'filter.startTime',
          `\`filter.startTime\` must be earlier than the window's end, ${
            endSource === 'filter.endTime'
              ? 'now (no `filter.endTime` was given)'
              : `the end \`${endSource}\` was issued with`
          }; ${span}`,
        );
  }

  const context = {
    instance: fingerprint(instanceId),
    filter: filterFingerprint({
      startTime: filter.startTime?.toISOString() ?? null,
      endTime: filter.endTime?.toISOString() ?? null,
      backupId,
      backupJobId,
      includeAof: filter.includeAof ?? null,
    }),
    pinnedEnd: filter.endTime ? null : window.endTime.toISOString(),
  };
  const after = args.after == null ? null : checkCursor('after', args.after, context);
  const before = args.before == null ? null : checkCursor('before', args.before, context);
  const defaultLast = first === null && last === null && before !== null && after === null;

  return {
    instanceId,
    window,
    needAof: filter.includeAof === true,
    backupId,
    backupJobId,
    first: first ?? (last === null && !defaultLast ? DEFAULT_PAGE_LENGTH : null),
    last: last ?? (defaultLast ? DEFAULT_PAGE_LENGTH : null),
    after,
    before,
    cursorContext: context,
  };
}

function pinnedEndOf(args: BackupConnectionArgs): Date | null {
  for (const [argument, text] of [
    ['after', args.after],
    ['before', args.before],
  ] as const) {
    if (text != null) {
      try {
        const pinned = decodeCursor(text, argument).pinnedEnd;
        if (pinned !== null) {
          return new Date(pinned);
        }
      } catch {
        // A cursor that does not decode is refused by parseBackupPageQuery, naming it.
      }
    }
  }

  return null;
}

function checkLength(argument: 'first' | 'last', value: number | null | undefined): number | null {
  if (value == null) {
    return null;
  }
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw new InvalidArgumentError(
      argument,
      `\`${argument}\` must be an integer from 0 to ${MAX_PAGE_SIZE}; got ${value}`,
    );
  }

  return value;
}

function checkDecimalId(argument: string, value: string | null | undefined): string | null {
  if (value == null) {
    return null;
  }
  if (!DECIMAL_ID.test(value)) {
    throw new InvalidArgumentError(
      argument,
      `\`${argument}\` must be a decimal number of 1 to 20 digits; got ${JSON.stringify(value.slice(0, 64))}`,
    );
  }

  return value;
}

function checkInstant(argument: string, value: Date): void {
  const time = value.getTime();
  if (!(time >= EARLIEST && time <= LATEST)) {
    throw new InvalidArgumentError(
      argument,
      `\`${argument}\` must lie between 1970-01-01T00:00Z and 9999-12-31T23:59Z once rounded to ` +
        `the minute; got ${Number.isNaN(time) ? 'an invalid date' : value.toISOString()}`,
    );
  }
}

function checkCursor(
  argument: 'after' | 'before',
  text: string,
  context: BackupPageQuery['cursorContext'],
): CursorPayload {
  const cursor = decodeCursor(text, argument);
  if (cursor.instance !== context.instance) {
    throw new InvalidArgumentError(
      argument,
      `\`${argument}\` is a cursor of another instance's backups; cursors only page the list they came from`,
    );
  }
  if (cursor.filter !== context.filter) {
    throw new InvalidArgumentError(
      argument,
      `\`${argument}\` was issued for another filter; keep the filter unchanged while paging, or start again without a cursor`,
    );
  }

  return cursor;
}
