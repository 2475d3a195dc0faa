import { createHash } from 'node:crypto';

/**
 * A short, stable digest: the first 10 characters (60 bits) of the base64url SHA-256 of the
 * UTF-8 text. It tells requests apart; it is not a secret and not a signature.
 */
export function fingerprint(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 10);
}

/** The filter arguments of `Instance.backups`, as the client sent them. */
export interface CursorFilter {
  startTime?: string | Date | null;
  endTime?: string | Date | null;
  backupId?: string | null;
  backupJobId?: string | null;
  includeAof?: boolean | null;
}

/** An ISO time with an explicit zone; one without is local time and would vary by host. */
const ZONED_ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})$/i;

function normaliseTime(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  }
  const ms = ZONED_ISO_PATTERN.test(value) ? Date.parse(value) : Number.NaN;

  // A time that does not parse is fingerprinted as given; the gateway refuses it anyway.
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/**
 * Fingerprints a filter after canonicalising it: fixed key order, absent and null alike, times
 * normalised to `Date#toISOString` form, so `…T10:06Z` and `…T10:06:00.000Z` match. `includeAof`
 * false and null stay distinct: this fingerprints what the client sent, not its meaning.
 */
export function filterFingerprint(filter: CursorFilter): string {
  const canonical = [
    normaliseTime(filter.startTime),
    normaliseTime(filter.endTime),
    filter.backupId ?? null,
    filter.backupJobId ?? null,
    filter.includeAof ?? null,
  ];

  return fingerprint(`filter:${JSON.stringify(canonical)}`);
}
