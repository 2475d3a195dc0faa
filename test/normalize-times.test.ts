import { describe, expect, it } from 'vitest';
import { httpUrl, responseTime } from '../src/tair/normalize-values.js';

/** The rule responseTime implements, stated the slow way: a Date round trip gives the parts back. */
function byRoundTrip(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?Z$/.exec(text);
  if (!match) {
    return undefined;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  const same =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;

  return same ? date.getTime() : undefined;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

describe('responseTime', () => {
  it('accepts exactly the times a Date round trip gives back, over every edge of each part', () => {
    const years = [0, 1, 99, 100, 1900, 1970, 2000, 2023, 2024, 2100, 9999];
    let checked = 0;
    for (const year of years) {
      for (let month = 0; month <= 13; month++) {
        for (const day of [0, 1, 28, 29, 30, 31, 32]) {
          for (const [hour, minute, second] of [
            [0, 0, 0],
            [23, 59, 59],
            [24, 0, 0],
            [0, 60, 0],
            [0, 0, 60],
            [99, 99, 99],
          ]) {
            const base = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour!)}:${pad(minute!)}`;
            for (const text of [`${base}:${pad(second!)}Z`, `${base}Z`]) {
              expect(responseTime(text)?.getTime(), text).toBe(byRoundTrip(text));
              checked += 1;
            }
          }
        }
      }
    }

    expect(checked).toBe(years.length * 14 * 7 * 6 * 2);
  });

  it('reads a response time and the request form as UTC instants', () => {
    expect(responseTime('2024-02-29T10:06:30Z')?.toISOString()).toBe('2024-02-29T10:06:30.000Z');
    expect(responseTime('2024-05-01T10:06Z')?.toISOString()).toBe('2024-05-01T10:06:00.000Z');
    expect(responseTime('2024-05-01 10:06:30')).toBeUndefined();
  });
});

describe('httpUrl', () => {
  it('keeps http and https URLs as sent and refuses other schemes and non-URLs', () => {
    expect(httpUrl('https://example.com/a?b=c')).toBe('https://example.com/a?b=c');
    expect(httpUrl('HTTP://example.com')).toBe('HTTP://example.com');
    expect(httpUrl('ftp://example.com')).toBeUndefined();
    expect(httpUrl('not a url')).toBeUndefined();
    expect(httpUrl(42)).toBeUndefined();
  });
});
