import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/tair/errors.js';
import { buildDescribeBackupsParams, formatRequestTime } from '../src/tair/request.js';
import type { DescribeBackupsInput } from '../src/tair/types.js';

const VALID: DescribeBackupsInput = {
  instanceId: 'r-bp1zxszhcgatnx****',
  startTime: new Date('2024-05-01T00:00:00Z'),
  endTime: new Date('2024-05-08T10:06:00Z'),
};

function refusal(change: Record<string, unknown>): InvalidArgumentError {
  try {
    buildDescribeBackupsParams({ ...VALID, ...change } as DescribeBackupsInput);
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      return error;
    }
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(change)}`);
}

describe('formatRequestTime', () => {
  it('writes yyyy-MM-ddTHH:mmZ in UTC', () => {
    expect(formatRequestTime(new Date('2024-05-01T10:06:00Z'))).toBe('2024-05-01T10:06Z');
    expect(formatRequestTime(new Date(Date.UTC(9999, 11, 31, 23, 59)))).toBe('9999-12-31T23:59Z');
  });
});

describe('buildDescribeBackupsParams', () => {
  it('builds the API parameters with defaults for page size and number', () => {
    expect(buildDescribeBackupsParams(VALID)).toStrictEqual({
      InstanceId: 'r-bp1zxszhcgatnx****',
      StartTime: '2024-05-01T00:00Z',
      EndTime: '2024-05-08T10:06Z',
      PageSize: '30',
      PageNumber: '1',
    });
  });

  it('passes paging, ids and NeedAof when given', () => {
    const params = buildDescribeBackupsParams({
      ...VALID,
      pageSize: 300,
      pageNumber: 4,
      backupId: '18446744073709551615',
      backupJobId: '24340',
      needAof: true,
    });

    expect(params).toMatchObject({
      PageSize: '300',
      PageNumber: '4',
      BackupId: '18446744073709551615',
      BackupJobId: '24340',
      NeedAof: '1',
    });
  });

  it('leaves NeedAof out when false', () => {
    expect(buildDescribeBackupsParams({ ...VALID, needAof: false })).not.toHaveProperty('NeedAof');
  });

  it.each([
    ['instanceId', { instanceId: '' }, /non-empty/],
    ['instanceId', { instanceId: 'r'.repeat(257) }, /at most 256 characters; received 257/],
    ['instanceId', { instanceId: 'r-a\nb' }, /control characters/],
    ['instanceId', { instanceId: 'r-a\u0085' }, /control characters/],
    ['instanceId', { instanceId: 'r-\ud800' }, /well-formed Unicode.*lone surrogate/],
    ['instanceId', { instanceId: 42 }, /received 42/],
    ['startTime', { startTime: new Date('nope') }, /valid Date; received Invalid Date/],
    ['startTime', { startTime: '2024-05-01T00:00Z' }, /valid Date/],
    ['startTime', { startTime: new Date('2024-05-01T00:00:30Z') }, /whole minute/],
    ['endTime', { endTime: new Date('2024-05-08T10:06:00.001Z') }, /whole minute/],
    ['startTime', { startTime: new Date('1969-12-31T23:59:00Z') }, /1970-9999/],
    ['endTime', { endTime: new Date(Date.UTC(10000, 0, 1)) }, /1970-9999/],
    ['endTime', { endTime: new Date('2024-05-01T00:00:00Z') }, /later than startTime/],
    ['endTime', { endTime: new Date('2024-04-01T00:00:00Z') }, /later than startTime/],
    ['pageSize', { pageSize: 20 }, /one of 30, 50, 100, 200, 300; received 20/],
    ['pageNumber', { pageNumber: 0 }, /positive safe integer; received 0/],
    ['pageNumber', { pageNumber: 1.5 }, /received 1.5/],
    ['pageNumber', { pageNumber: 2 ** 53 }, /positive safe integer/],
    ['backupId', { backupId: '12a' }, /1-20 digits; received "12a"/],
    ['backupId', { backupId: '1'.repeat(21) }, /1-20 digits/],
    ['backupJobId', { backupJobId: '' }, /1-20 digits/],
    ['backupJobId', { backupJobId: 5 }, /1-20 digits; received 5/],
  ])('refuses %s in %j before any call', (argument, change, message) => {
    const error = refusal(change);

    expect(error.argument).toBe(argument);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
  });
});
