import { InvalidArgumentError } from '../tair/errors.js';

// Re-exported so callers build a cursor's fingerprints from the module that checks them.
export { type CursorFilter, filterFingerprint, fingerprint } from './fingerprint.js';

/** The cursor format this module writes and the only one it reads. */
export const CURSOR_VERSION = 1;

/** No backup list is this long; a larger offset can only come from a forged or corrupt cursor. */
export const MAX_CURSOR_OFFSET = 2 ** 31 - 1;

/** Issued cursors are about 100 characters; refusing long text early bounds the work of a decode. */
const MAX_CURSOR_LENGTH = 512;

/** `Date#toISOString` output for years 0000-9999, the only time form a cursor carries. */
const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MINUTE_MS = 60_000;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;
/** What `fingerprint` returns; a longer string could be an instance ID in clear text. */
const FINGERPRINT_PATTERN = /^[A-Za-z0-9_-]{10}$/;
const BACKUP_ID_PATTERN = /^\d{1,20}$/;

export type CursorArgument = 'after' | 'before';

/** The backup at the cursor's edge, so the gateway can notice the list moved under the client. */
export interface CursorAnchor {
  /** Exact decimal BackupId. */
  backupId: string;
  /** BackupStartTime in `Date#toISOString` form. */
  startTime: string;
}

/** What a cursor holds. The version is part of the encoded text, not of this object. */
export interface CursorPayload {
  /** Absolute index in the instance's sorted backup list; 0 to 2^31 - 1. */
  offset: number;
  /** `fingerprint(instanceId)`. */
  instance: string;
  /** `filterFingerprint(filter)` of the filter as the client sent it. */
  filter: string;
  /** The end time pinned when the client gave none, `Date#toISOString` form on a whole minute. */
  pinnedEnd: string | null;
  anchor: CursorAnchor;
}

function offsetProblem(offset: unknown): string | null {
  if (typeof offset !== 'number' || !Number.isInteger(offset)) {
    return `its offset ${String(offset)} is not an integer`;
  }
  if (offset < 0) {
    return `its offset ${offset} is negative`;
  }
  if (offset > MAX_CURSOR_OFFSET) {
    return `its offset ${offset} is past ${MAX_CURSOR_OFFSET} (2^31 - 1): no backup list is that long`;
  }

  return null;
}

/** Epoch milliseconds of a canonical ISO string, or null when it is not one. */
function isoToMs(text: unknown): number | null {
  if (typeof text !== 'string' || !ISO_PATTERN.test(text)) {
    return null;
  }
  const ms = Date.parse(text);

  // Date.parse rolls 2024-02-30 over to March; the round trip catches it.
  return isTimeMs(ms) && new Date(ms).toISOString() === text ? ms : null;
}

function isTimeMs(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_TIME_MS;
}

/**
 * Encodes a payload into an opaque base64url cursor. The cursor is not signed: a client that
 * edits one gets a different window or a refusal, never another instance's data, because the
 * gateway checks the fingerprints against the request.
 *
 * @throws TypeError when the payload breaks a rule that `decodeCursor` checks; the gateway built
 *   it, so this is a bug, not a client error.
 */
export function encodeCursor(payload: CursorPayload): string {
  const { anchor } = payload;
  const startTimeMs = isoToMs(anchor.startTime);
  if (startTimeMs === null) {
    throw new TypeError(
      `cursor payload: anchor.startTime must be an ISO time as Date#toISOString writes it; received ${String(anchor.startTime)}`,
    );
  }

  return cursorEncoder(payload)(payload.offset, anchor.backupId, new Date(startTimeMs));
}

/** What every cursor of one page shares. */
export type CursorContext = Pick<CursorPayload, 'instance' | 'filter' | 'pinnedEnd'>;

/**
 * The cursor encoder of one page: the shared context is checked once, each edge's own fields on
 * every call. It writes exactly what {@link encodeCursor} writes for the same payload (with
 * `anchor.startTime` = `startTime.toISOString()`), and refuses what it refuses, without the ISO
 * round trip per edge: a page of 300 edges was spending most of its cursor time re-parsing times.
 */
export function cursorEncoder(
  context: CursorContext,
): (offset: number, backupId: string, startTime: Date) => string {
  const { instance, filter, pinnedEnd } = context;
  const fail = (field: string, rule: string, value: unknown) =>
    new TypeError(`cursor payload: ${field} must be ${rule}; received ${String(value)}`);
  if (typeof instance !== 'string' || !FINGERPRINT_PATTERN.test(instance)) {
    throw fail('instance', 'a fingerprint', instance);
  }
  if (typeof filter !== 'string' || !FINGERPRINT_PATTERN.test(filter)) {
    throw fail('filter', 'a fingerprint', filter);
  }
  const pinnedEndMs = pinnedEnd === null ? null : isoToMs(pinnedEnd);
  if (pinnedEnd !== null && (pinnedEndMs === null || pinnedEndMs % MINUTE_MS !== 0)) {
    throw fail('pinnedEnd', 'null or an ISO time on a whole minute', pinnedEnd);
  }
  // Fingerprints are base64url and BackupIds digits, so this is JSON.stringify's own output.
  const shared = `"${instance}","${filter}",${pinnedEndMs === null ? 'null' : pinnedEndMs / MINUTE_MS}`;

  return (offset, backupId, startTime) => {
    if (offsetProblem(offset) !== null) {
      throw fail('offset', `an integer from 0 to ${MAX_CURSOR_OFFSET}`, offset);
    }
    if (typeof backupId !== 'string' || !BACKUP_ID_PATTERN.test(backupId)) {
      throw fail('anchor.backupId', '1 to 20 decimal digits', backupId);
    }
    const startTimeMs = startTime instanceof Date ? startTime.getTime() : Number.NaN;
    if (!isTimeMs(startTimeMs)) {
      throw fail('anchor.startTime', 'a Date in the years 1970-9999', startTime);
    }
    // The encoded form, a JSON array to keep cursors short, times as epoch numbers:
    // [version, offset, instance, filter, pinnedEndMinutes | null, backupId, startTimeMs].
    const wire = `[${CURSOR_VERSION},${offset},${shared},"${backupId}",${startTimeMs}]`;

    return Buffer.from(wire, 'utf8').toString('base64url');
  };
}

type Refuse = (why: string) => InvalidArgumentError;

/** The JSON a cursor's text holds, or a refusal when the text is not base64url JSON. */
function readText(text: string, refuse: Refuse): unknown {
  if (typeof text !== 'string' || text.length === 0) {
    throw refuse('it is empty');
  }
  if (text.length > MAX_CURSOR_LENGTH) {
    throw refuse(`it is ${text.length} characters long; no cursor is over ${MAX_CURSOR_LENGTH}`);
  }
  const bytes = BASE64URL_PATTERN.test(text) ? Buffer.from(text, 'base64url') : null;
  // Node decodes loosely; only text that re-encodes to itself is base64url as this module writes it.
  if (bytes === null || bytes.toString('base64url') !== text) {
    throw refuse('it is not base64url');
  }

  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw refuse('its content is not a cursor payload');
  }
}

function readFields(fields: unknown[], refuse: Refuse): CursorPayload {
  const [, offset, instance, filter, pinnedEndMinutes, backupId, startTimeMs] = fields;
  const problem = offsetProblem(offset);
  if (problem !== null) {
    throw refuse(problem);
  }
  if (typeof instance !== 'string' || !FINGERPRINT_PATTERN.test(instance)) {
    throw refuse('its instance fingerprint is malformed');
  }
  if (typeof filter !== 'string' || !FINGERPRINT_PATTERN.test(filter)) {
    throw refuse('its filter fingerprint is malformed');
  }
  const pinnedEndMs = Number.isSafeInteger(pinnedEndMinutes)
    ? (pinnedEndMinutes as number) * MINUTE_MS
    : null;
  if (pinnedEndMinutes !== null && (pinnedEndMs === null || !isTimeMs(pinnedEndMs))) {
    throw refuse(`its pinned end time ${JSON.stringify(pinnedEndMinutes)} is not a valid minute`);
  }
  if (typeof backupId !== 'string' || !BACKUP_ID_PATTERN.test(backupId)) {
    throw refuse(`its anchor backup id ${JSON.stringify(backupId)} is not 1 to 20 decimal digits`);
  }
  if (!isTimeMs(startTimeMs)) {
    throw refuse(`its anchor start time ${JSON.stringify(startTimeMs)} is not a valid time`);
  }

  return {
    offset: offset as number,
    instance,
    filter,
    pinnedEnd: pinnedEndMs === null ? null : new Date(pinnedEndMs).toISOString(),
    anchor: { backupId, startTime: new Date(startTimeMs).toISOString() },
  };
}

/**
 * Decodes a cursor a client sent back as `after` or `before`.
 *
 * @throws InvalidArgumentError naming the argument and what is wrong with the text.
 */
export function decodeCursor(text: string, argument: CursorArgument): CursorPayload {
  const refuse: Refuse = (why) =>
    new InvalidArgumentError(
      argument,
      `\`${argument}\` is not a cursor this gateway issued: ${why}`,
    );

  const wire = readText(text, refuse);
  if (!Array.isArray(wire) || wire.length === 0) {
    throw refuse('its content is not a cursor payload');
  }
  const fields: unknown[] = wire;
  if (fields[0] !== CURSOR_VERSION) {
    throw refuse(
      `it has version ${JSON.stringify(fields[0])}, and this gateway reads version ${CURSOR_VERSION}`,
    );
  }
  if (fields.length !== 7) {
    throw refuse(`its payload has ${fields.length} fields instead of 7`);
  }

  return readFields(fields, refuse);
}
