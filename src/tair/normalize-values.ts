import { REQUEST_TIME_PATTERN, RESPONSE_TIME_PATTERN } from '../wire/describe-backups.js';
import { type ByteCount, type RecoverConfig, UnsafeInteger } from './types.js';

/**
 * Pure parsers for the values of one DescribeBackups item. Each returns the typed value, or
 * `undefined` when the value is present but unusable; the caller turns that into null and a
 * warning. None of them throws, whatever upstream sends.
 */

/** What a value parser reports besides the value: a note the caller logs at warn. */
export type Note = (problem: string) => void;

const DECIMAL = /^\d+$/;

/** A json-bigint BigNumber, recognised by shape so the client does not depend on bignumber.js. */
interface BigNumberLike {
  toFixed(): string;
}

function isBigNumberLike(value: unknown): value is BigNumberLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toFixed?: unknown }).toFixed === 'function'
  );
}

/**
 * The exact decimal text of a non-negative integer sent as a number, a string or a BigNumber.
 * A JS number past 2^53 can only come from a parser that already rounded it: it is kept, since it
 * is all there is, but noted as suspect.
 */
export function exactDecimal(value: unknown, note: Note): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) {
      return undefined;
    }
    if (!Number.isSafeInteger(value)) {
      note('an unsafe JS number: it may have been rounded before it reached the client');
    }

    return BigInt(value).toString();
  }
  if (typeof value === 'string') {
    return DECIMAL.test(value) ? value.replace(/^0+(?=\d)/, '') : undefined;
  }
  if (isBigNumberLike(value)) {
    // toFixed() never switches to exponent notation, unlike BigNumber's toString().
    const text = value.toFixed();

    return DECIMAL.test(text) ? text : undefined;
  }

  return undefined;
}

/**
 * The most digits a usable BackupId has. Cursors and global IDs carry at most 20 (a 64-bit
 * unsigned integer), so a longer one could be listed but never paged past or fetched by ID.
 */
export const MAX_BACKUP_ID_DIGITS = 20;

/** A BackupId: an exact decimal of at most MAX_BACKUP_ID_DIGITS digits. */
export function backupIdentifier(value: unknown, note: Note): string | undefined {
  const decimal = exactDecimal(value, note);

  return decimal !== undefined && decimal.length <= MAX_BACKUP_ID_DIGITS ? decimal : undefined;
}

/**
 * A byte count: a safe integer, or an UnsafeInteger with the exact decimal when past 2^53. An
 * unsafe JS number cannot be trusted to be the value that was sent, so it is refused.
 */
export function byteCount(value: unknown, note: Note): ByteCount | undefined {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value)) {
    note('an unsafe JS number: it may have been rounded, so it is not used');

    return undefined;
  }
  const decimal = exactDecimal(value, note);
  if (decimal === undefined) {
    return undefined;
  }
  const asNumber = Number(decimal);

  return Number.isSafeInteger(asNumber) ? asNumber : new UnsafeInteger(decimal);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * The Date of matched time parts, or undefined when a part is out of range (2024-02-30, 24:00).
 * Checked by arithmetic rather than by a Date round trip: this runs for three fields of every
 * row, and the round trip cost a tenth of the client's CPU. Years below 100 are refused, as
 * Date.UTC would read them as 19xx.
 */
function partsToDate(match: RegExpExecArray): Date | undefined {
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = match[6] === undefined ? 0 : Number(match[6]);
  const valid =
    year >= 100 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;

  return valid ? new Date(Date.UTC(year, month - 1, day, hour, minute, second)) : undefined;
}

/** A response time: strictly `yyyy-MM-ddTHH:mm:ssZ`, or the request form `yyyy-MM-ddTHH:mmZ`. */
export function responseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = RESPONSE_TIME_PATTERN.exec(value) ?? REQUEST_TIME_PATTERN.exec(value);

  return match ? partsToDate(match) : undefined;
}

const HTTP_SCHEME = /^https?:\/\//i;

/** An http(s) URL, kept as sent. */
export function httpUrl(value: unknown): string | undefined {
  // canParse builds no URL object and throws nothing: two URLs a row, on every page.
  return typeof value === 'string' && HTTP_SCHEME.test(value) && URL.canParse(value)
    ? value
    : undefined;
}

/** A non-empty string, kept as sent: enum-like values the client does not know are kept too. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** BackupDBNames: comma-separated, trimmed, empties dropped. */
export function databaseNames(value: unknown): string[] | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);

  return names.length > 0 ? names : undefined;
}

const RECOVER_CONFIG_KEYS = ['whitelist', 'config', 'account'] as const;

/** RecoverConfigMode: JSON object text; a member that is not a boolean becomes null. */
export function recoverConfig(value: unknown, note: Note): RecoverConfig | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return undefined;
  }
  const members = parsed as Record<string, unknown>;
  const config: RecoverConfig = { whitelist: null, config: null, account: null };
  for (const key of RECOVER_CONFIG_KEYS) {
    const member = members[key];
    if (typeof member === 'boolean') {
      config[key] = member;
    } else if (member !== undefined) {
      note(`member ${key} is not a boolean`);
    }
  }

  return config;
}
