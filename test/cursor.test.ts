import { describe, expect, it } from 'vitest';
import {
  type CursorPayload,
  decodeCursor,
  encodeCursor,
  filterFingerprint,
  fingerprint,
} from '../src/paging/cursor.js';
import { InvalidArgumentError } from '../src/tair/errors.js';

const INSTANCE_ID = 'r-bp1zxszhcgatnx1234';

const payload: CursorPayload = {
  offset: 290,
  instance: fingerprint(INSTANCE_ID),
  filter: filterFingerprint({}),
  pinnedEnd: '2024-05-01T10:06:00.000Z',
  anchor: { backupId: '9007199254740993', startTime: '2024-05-01T10:05:30.000Z' },
};

/** A cursor holding any JSON, to reach each check of the decoder. */
function forge(content: unknown): string {
  return Buffer.from(JSON.stringify(content), 'utf8').toString('base64url');
}

/** The wire fields of `payload`, with some replaced. */
function fields(changes: Record<number, unknown> = {}, length = 7): unknown[] {
  const base: unknown[] = [
    1,
    290,
    payload.instance,
    payload.filter,
    28575966,
    '9007199254740993',
    1714557930000,
  ];
  for (const [index, value] of Object.entries(changes)) {
    base[Number(index)] = value;
  }

  return base.slice(0, length);
}

function refusal(text: string, argument: 'after' | 'before' = 'after'): InvalidArgumentError {
  try {
    decodeCursor(text, argument);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    const invalid = error as InvalidArgumentError;
    expect(invalid.argument).toBe(argument);
    expect(invalid.code).toBe('INVALID_ARGUMENT');
    expect(invalid.message).toMatch(
      new RegExp(`^\`${argument}\` is not a cursor this gateway issued: `),
    );

    return invalid;
  }
  throw new Error(`decodeCursor accepted ${text}`);
}

describe('encodeCursor and decodeCursor', () => {
  it('round-trips a payload exactly', () => {
    expect(decodeCursor(encodeCursor(payload), 'after')).toEqual(payload);
  });

  it('round-trips a payload without a pinned end and with the largest values', () => {
    const edge: CursorPayload = {
      offset: 2 ** 31 - 1,
      instance: 'A_-z09A_-z',
      filter: filterFingerprint({ backupId: '1' }),
      pinnedEnd: null,
      anchor: { backupId: '18446744073709551615', startTime: '9999-12-31T23:59:59.999Z' },
    };

    expect(decodeCursor(encodeCursor(edge), 'before')).toEqual(edge);
  });

  it('reads the wire form this module documents', () => {
    expect(decodeCursor(forge(fields()), 'after')).toEqual(payload);
  });

  it('writes short base64url cursors that do not show the instance id', () => {
    const cursor = encodeCursor(payload);
    const content = Buffer.from(cursor, 'base64url').toString('utf8');

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor.length).toBeLessThanOrEqual(120);
    expect(cursor).not.toContain(INSTANCE_ID);
    expect(content).not.toContain(INSTANCE_ID);
    expect(content).not.toContain('bp1');
  });

  it('refuses encoding a payload that decodeCursor would refuse', () => {
    expect(() => encodeCursor({ ...payload, offset: 2 ** 31 })).toThrow(/offset.*2147483648/);
    expect(() => encodeCursor({ ...payload, offset: -1 })).toThrow(TypeError);
    expect(() => encodeCursor({ ...payload, instance: INSTANCE_ID })).toThrow(/instance/);
    expect(() => encodeCursor({ ...payload, pinnedEnd: '2024-05-01T10:06:30.000Z' })).toThrow(
      /pinnedEnd.*whole minute.*10:06:30/,
    );
    expect(() =>
      encodeCursor({
        ...payload,
        anchor: { backupId: '12a', startTime: payload.anchor.startTime },
      }),
    ).toThrow(/anchor\.backupId.*12a/);
    expect(() =>
      encodeCursor({ ...payload, anchor: { backupId: '1', startTime: '2024-05-01T10:05Z' } }),
    ).toThrow(/anchor\.startTime.*2024-05-01T10:05Z/);
    expect(() =>
      encodeCursor({
        ...payload,
        anchor: { backupId: '1', startTime: '2024-02-30T00:00:00.000Z' },
      }),
    ).toThrow(/anchor\.startTime/);
  });
});

describe('decodeCursor refusals', () => {
  it('names the argument it was given', () => {
    expect(refusal('%%%', 'before').argument).toBe('before');
    expect(refusal('%%%', 'after').argument).toBe('after');
  });

  it('refuses text that is not base64url', () => {
    for (const text of ['abc+/def', 'YWJj=', 'héllo', 'a', 'abc def', 'YR']) {
      expect(refusal(text).message, text).toMatch(/it is not base64url$/);
    }
  });

  it('refuses empty and overlong text', () => {
    expect(refusal('').message).toMatch(/it is empty/);
    expect(refusal('A'.repeat(600)).message).toMatch(/600 characters long/);
  });

  it('refuses base64url of anything but a payload array', () => {
    const garbage = Buffer.from('\u0000\u00ffgarbage', 'latin1').toString('base64url');
    for (const text of [garbage, forge({ offset: 3 }), forge([]), forge('x'), forge(null)]) {
      expect(refusal(text).message, text).toMatch(/its content is not a cursor payload$/);
    }
  });

  it('refuses another version', () => {
    expect(refusal(forge(fields({ 0: 2 }))).message).toMatch(/version 2, .*reads version 1/);
    expect(refusal(forge(fields({ 0: '1' }))).message).toMatch(/version "1"/);
  });

  it('refuses a payload of the wrong shape', () => {
    expect(refusal(forge(fields({}, 6))).message).toMatch(/6 fields instead of 7/);
    expect(refusal(forge([...fields(), 'extra'])).message).toMatch(/8 fields instead of 7/);
    expect(refusal(forge(fields({ 2: 42 }))).message).toMatch(/instance fingerprint/);
    expect(refusal(forge(fields({ 3: '' }))).message).toMatch(/filter fingerprint/);
    expect(refusal(forge(fields({ 3: 'has space!' }))).message).toMatch(/filter fingerprint/);
    expect(refusal(forge(fields({ 2: INSTANCE_ID }))).message).toMatch(/instance fingerprint/);
  });

  it('refuses an offset that is negative or not an integer', () => {
    expect(refusal(forge(fields({ 1: -1 }))).message).toMatch(/offset -1 is negative/);
    expect(refusal(forge(fields({ 1: 1.5 }))).message).toMatch(/offset 1\.5 is not an integer/);
    expect(refusal(forge(fields({ 1: '5' }))).message).toMatch(/offset 5 is not an integer/);
    expect(refusal(forge(fields({ 1: null }))).message).toMatch(/offset null is not an integer/);
  });

  it('refuses an offset past 2^31 - 1 because no backup list is that long', () => {
    expect(refusal(forge(fields({ 1: 2 ** 31 }))).message).toMatch(
      /offset 2147483648 is past 2147483647 \(2\^31 - 1\): no backup list is that long/,
    );
    expect(decodeCursor(forge(fields({ 1: 2 ** 31 - 1 })), 'after').offset).toBe(2 ** 31 - 1);
  });

  it('refuses an anchor id that is not 1 to 20 decimal digits', () => {
    for (const id of ['12a', '', '123456789012345678901', 123, '-1', '1e5']) {
      expect(refusal(forge(fields({ 5: id }))).message, String(id)).toMatch(
        /anchor backup id .* is not 1 to 20 decimal digits/,
      );
    }
  });

  it('refuses anchor start times and pinned ends that are not valid times', () => {
    for (const time of [-1, 1.5, '2024-05-01T10:05:30.000Z', 1e20, null]) {
      expect(refusal(forge(fields({ 6: time }))).message, String(time)).toMatch(
        /anchor start time .* is not a valid time/,
      );
    }
    for (const minutes of [-1, 1.5, 'x', true, 1e15]) {
      expect(refusal(forge(fields({ 4: minutes }))).message, String(minutes)).toMatch(
        /pinned end time .* is not a valid minute/,
      );
    }
  });
});

describe('fingerprint', () => {
  it('is a stable 10-character base64url digest of the text', () => {
    expect(fingerprint(INSTANCE_ID)).toBe('Xm7lwUAgMi');
    expect(fingerprint(INSTANCE_ID)).toBe(fingerprint(INSTANCE_ID));
    expect(fingerprint('r-bp1zxszhcgatnx1235')).not.toBe(fingerprint(INSTANCE_ID));
    expect(fingerprint('')).toMatch(/^[A-Za-z0-9_-]{10}$/);
  });
});

describe('filterFingerprint', () => {
  it('is stable for a given filter', () => {
    expect(filterFingerprint({})).toBe('OpU96xSSOn');
    expect(filterFingerprint({ startTime: '2024-05-01T10:06Z', includeAof: true })).toBe(
      'KLeT1c_kNr',
    );
  });

  it('treats absent and null alike, whatever the key order', () => {
    expect(filterFingerprint({ startTime: null, backupId: null, includeAof: null })).toBe(
      filterFingerprint({}),
    );
    expect(filterFingerprint({ includeAof: true, backupId: '7' })).toBe(
      filterFingerprint({ backupId: '7', endTime: null, includeAof: true }),
    );
  });

  it('normalises times that name the same instant', () => {
    const expected = filterFingerprint({ startTime: '2024-05-01T10:06:00.000Z' });

    expect(filterFingerprint({ startTime: '2024-05-01T10:06Z' })).toBe(expected);
    expect(filterFingerprint({ startTime: '2024-05-01T18:06+08:00' })).toBe(expected);
    expect(filterFingerprint({ startTime: new Date(Date.UTC(2024, 4, 1, 10, 6)) })).toBe(expected);
  });

  it('tells apart filters that differ in any field or in which field holds a value', () => {
    const time = '2024-05-01T10:06Z';
    const prints = [
      filterFingerprint({}),
      filterFingerprint({ startTime: time }),
      filterFingerprint({ endTime: time }),
      filterFingerprint({ backupId: '1' }),
      filterFingerprint({ backupJobId: '1' }),
      filterFingerprint({ includeAof: true }),
      filterFingerprint({ includeAof: false }),
      filterFingerprint({ startTime: '2024-05-01T10:07Z' }),
      filterFingerprint({ startTime: 'not a time' }),
    ];

    expect(new Set(prints).size).toBe(prints.length);
  });
});
