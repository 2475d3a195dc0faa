import { describe, expect, it } from 'vitest';
import {
  cursorEncoder,
  decodeCursor,
  encodeCursor,
  filterFingerprint,
  fingerprint,
} from '../src/paging/cursor.js';

const context = {
  instance: fingerprint('r-bp1zxszhcgatnx1234'),
  filter: filterFingerprint({}),
  pinnedEnd: '2024-05-01T10:06:00.000Z',
};

describe('cursorEncoder', () => {
  it('writes exactly what encodeCursor writes, with or without a pinned end', () => {
    for (const shared of [context, { ...context, pinnedEnd: null }]) {
      const encode = cursorEncoder(shared);
      for (const [offset, backupId, startTime] of [
        [0, '1', '1970-01-01T00:00:00.000Z'],
        [290, '9007199254740993', '2024-05-01T10:05:30.000Z'],
        [2 ** 31 - 1, '18446744073709551615', '9999-12-31T23:59:59.999Z'],
      ] as const) {
        const expected = encodeCursor({ offset, ...shared, anchor: { backupId, startTime } });

        expect(encode(offset, backupId, new Date(startTime))).toBe(expected);
        expect(decodeCursor(expected, 'after').anchor.startTime).toBe(startTime);
      }
    }
  });

  it('refuses a context encodeCursor refuses, naming the field', () => {
    expect(() => cursorEncoder({ ...context, instance: 'r-bp1zxszhcgatnx1234' })).toThrow(
      /instance must be a fingerprint/,
    );
    expect(() => cursorEncoder({ ...context, filter: 'x' })).toThrow(
      /filter must be a fingerprint/,
    );
    expect(() => cursorEncoder({ ...context, pinnedEnd: '2024-05-01T10:06:30.000Z' })).toThrow(
      /pinnedEnd must be null or an ISO time on a whole minute/,
    );
  });

  it('refuses an edge whose offset, BackupId or start time cannot be encoded', () => {
    const encode = cursorEncoder(context);
    const time = new Date('2024-05-01T10:05:30Z');

    expect(() => encode(-1, '1', time)).toThrow(/offset must be an integer from 0 to 2147483647/);
    expect(() => encode(2 ** 31, '1', time)).toThrow(/received 2147483648/);
    expect(() => encode(1, '12a', time)).toThrow(/anchor.backupId must be 1 to 20 decimal digits/);
    expect(() => encode(1, '1', new Date(Number.NaN))).toThrow(/anchor.startTime/);
    expect(() => encode(1, '1', new Date(Date.UTC(10_000, 0, 1)))).toThrow(/anchor.startTime/);
  });
});
