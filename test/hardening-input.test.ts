import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupsPage, ERROR_FIELDS } from './support/backups-page.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';

// Hostile input the existing gateway-input tests do not already cover.

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ dataset: { instances: { 'r-input': instanceWith(40) } } });
});
afterAll(() => harness.close());

/** A real cursor of r-input with its offset replaced: it passes every check but the offset's. */
async function cursorWithOffset(offset: number): Promise<string> {
  const { page } = await backupsPage(harness, 'r-input', { first: 2 });
  const wire = JSON.parse(Buffer.from(page.pageInfo.endCursor!, 'base64url').toString('utf8'));
  wire[1] = offset;

  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

describe('hostile cursors', () => {
  it.each([
    ['random bytes in base64', randomBytes(48).toString('base64url')],
    ['base64 of a JSON number', Buffer.from('12345').toString('base64url')],
    ['base64 of an empty array', Buffer.from('[]').toString('base64url')],
    ['standard base64 with padding', Buffer.from('[1,2,3]').toString('base64')],
    ['an empty string', ''],
    ['10 KB of base64url text', 'A'.repeat(10_240)],
  ])(
    'refuses %s as an InvalidArgumentError naming `after`, with no call',
    async (_name, cursor) => {
      const { page, calls } = await backupsPage(harness, 'r-input', { after: cursor });

      expect(page.error).toMatchObject({
        __typename: 'InvalidArgumentError',
        code: 'INVALID_ARGUMENT',
        argument: 'after',
        retryable: false,
      });
      expect(page.edges).toEqual([]);
      expect(calls).toBe(0);
    },
  );

  it.each([2 ** 31, 2 ** 53 + 2, -1, 1.5])(
    'refuses a cursor of this very list with offset %d, with no call',
    async (offset) => {
      const cursor = await cursorWithOffset(offset);
      const { page, calls } = await backupsPage(harness, 'r-input', { after: cursor });

      expect(page.error).toMatchObject({ __typename: 'InvalidArgumentError', argument: 'after' });
      expect(page.error!.message).toMatch(/offset/);
      expect(calls).toBe(0);
    },
  );

  it('accepts the same forged cursor with a sane offset, so the offset is what was refused', async () => {
    const { page } = await backupsPage(harness, 'r-input', { after: await cursorWithOffset(5) });

    expect(page.error).toBeNull();
  });
});

describe('hostile first and last', () => {
  it.each([
    ['first', 2 ** 31 - 1],
    ['last', -(2 ** 31)],
  ])('refuses %s: %i, the ends of Int, naming it, with no call', async (name, value) => {
    const { page, calls } = await backupsPage(harness, 'r-input', { [name]: value });

    expect(page.error).toMatchObject({ argument: name, code: 'INVALID_ARGUMENT' });
    expect(calls).toBe(0);
  });

  it.each([2 ** 31, 1.5, '10'])(
    'refuses first: %j as a request error (not an Int)',
    async (value) => {
      harness.resetCalls();
      const response = await harness.query(
        'query P($n: Int) { instance(id: "r-input") { backups(first: $n) { totalCount } } }',
        { n: value },
      );

      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors![0]!.message).toMatch(/\$n/);
      expect(harness.calls()).toBe(0);
    },
  );
});

describe('hostile DateTimes and windows', () => {
  it.each([
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    'yesterday',
    '1764547200',
    '2026-11-30 10:00:00Z',
    '',
  ])('refuses startTime %j as a request error with HTTP 400 and no call', async (value) => {
    harness.resetCalls();
    const response = await harness.query(
      'query W($f: BackupFilterInput) { instance(id: "r-input") { backups(filter: $f) { totalCount } } }',
      { f: { startTime: value } },
    );

    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors![0]!.message).toMatch(/DateTime/);
    expect(harness.calls()).toBe(0);
  });

  it('refuses a DateTime given as a number literal as a request error', async () => {
    harness.resetCalls();
    const response = await harness.query(
      '{ instance(id: "r-input") { backups(filter: { endTime: 1764547200 }) { totalCount } } }',
    );

    expect(response.status).toBe(400);
    expect(harness.calls()).toBe(0);
  });

  it('refuses a window before 1970, naming filter.startTime, with no call', async () => {
    const { page, calls } = await backupsPage(harness, 'r-input', {
      filter: { startTime: '1900-01-01T00:00:00Z', endTime: '2026-01-01T00:00:00Z' },
    });

    expect(page.error).toMatchObject({ argument: 'filter.startTime', code: 'INVALID_ARGUMENT' });
    expect(calls).toBe(0);
  });

  it('refuses endTime before startTime even when both are far in the future', async () => {
    const { page, calls } = await backupsPage(harness, 'r-input', {
      filter: { startTime: '9000-06-01T00:00:00Z', endTime: '8000-01-01T00:00:00Z' },
    });

    expect(page.error).toMatchObject({ argument: 'filter.endTime', code: 'INVALID_ARGUMENT' });
    expect(calls).toBe(0);
  });

  it.each([
    ['2026-11-28T12:00:30Z', '2026-11-28T12:00:30Z'],
    ['2026-11-28T12:00:40Z', '2026-11-28T12:00:20Z'],
  ])(
    'refuses endTime not after startTime within one minute (%s to %s), with no call',
    async (startTime, endTime) => {
      const { page, calls } = await backupsPage(harness, 'r-input', {
        filter: { startTime, endTime },
      });

      expect(page.error).toMatchObject({
        argument: 'filter.endTime',
        code: 'INVALID_ARGUMENT',
        message: `\`filter.endTime\` (${new Date(endTime).toISOString()}) must be later than \`filter.startTime\` (${new Date(startTime).toISOString()})`,
      });
      expect(calls).toBe(0);
    },
  );

  it('names filter.startTime when it alone is after now, the end of a window without endTime', async () => {
    const { page, calls } = await backupsPage(harness, 'r-input', {
      filter: { startTime: '2030-01-01T00:00:00Z' },
    });

    expect(page.error).toMatchObject({
      argument: 'filter.startTime',
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(
        /^`filter\.startTime` must be earlier than the window's end, now \(no `filter\.endTime` was given\); the minute-aligned window 2030-01-01T00:00:00\.000Z to .* is empty$/,
      ),
    });
    expect(calls).toBe(0);
  });

  it('sends a valid window far in the future as it is and answers an empty page', async () => {
    const { page, calls } = await backupsPage(harness, 'r-input', {
      filter: { startTime: '9998-01-01T00:00:00Z', endTime: '9999-01-01T00:00:30Z' },
    });

    expect(page.error).toBeNull();
    expect(page.edges).toEqual([]);
    expect(page.totalCount).toBe(0);
    expect(calls).toBe(1);
    expect(harness.emulator.requests[0]!.params).toMatchObject({
      StartTime: '9998-01-01T00:00Z',
      EndTime: '9999-01-01T00:01Z',
    });
  });
});

describe('hostile instance IDs', () => {
  const query = `query I($id: ID!) {
    instance(id: $id) { backups(first: 1) { error { ${ERROR_FIELDS} } } }
  }`;

  it.each([
    ['an ampersand and equals sign', 'r-a&PageSize=300&InstanceId=r-input'],
    ['spaces', '  r-input  '],
    ['unicode', 'r-ünïcødé-实例-🦀'],
    ['percent escapes', 'r-%41%26%3D'],
    ['a lone plus', 'r-+input'],
    ['a quote and a backslash', 'r-"\\\''],
  ])(
    'sends an ID with %s upstream byte for byte, and answers InstanceNotFoundError',
    async (_name, id) => {
      harness.resetCalls();
      const response = await harness.query<{
        instance: { backups: { error: Record<string, unknown> } };
      }>(query, { id });

      expect(response.status).toBe(200);
      expect(response.body.data!.instance.backups.error).toMatchObject({
        __typename: 'InstanceNotFoundError',
        instanceId: id,
      });
      const received = harness.emulator.requests.map((request) => request.params.InstanceId);
      expect(received).toEqual([id]);
      expect(Buffer.from(received[0]!, 'utf8').equals(Buffer.from(id, 'utf8'))).toBe(true);
    },
  );

  it.each([
    ['10 KB of text', 'r-'.padEnd(10_240, 'x')],
    ['a control character', 'r-input\u0000'],
    ['a newline', 'r-in\nput'],
    ['an empty string', ''],
  ])('refuses an ID of %s as InvalidArgumentError naming `id`, with no call', async (_name, id) => {
    harness.resetCalls();
    const response = await harness.query<{
      instance: { backups: { error: Record<string, unknown> } };
    }>(query, { id });

    expect(response.status).toBe(200);
    expect(response.body.data!.instance.backups.error).toMatchObject({
      __typename: 'InvalidArgumentError',
      argument: 'id',
    });
    expect(harness.calls()).toBe(0);
  });

  it('names the position of a refused ID in instances(ids:) and still answers the others', async () => {
    harness.resetCalls();
    const response = await harness.query<{
      instances: Array<{
        backups: { totalCount: number | null; error: Record<string, unknown> | null };
      }>;
    }>(
      `query I($ids: [ID!]!) { instances(ids: $ids) { backups(first: 1) { totalCount error { ${ERROR_FIELDS} } } } }`,
      { ids: ['r-input', 'x'.repeat(10_240)] },
    );

    const [good, bad] = response.body.data!.instances;
    expect(good!.backups).toEqual({ totalCount: 40, error: null });
    expect(bad!.backups.error).toMatchObject({
      __typename: 'InvalidArgumentError',
      argument: 'ids[1]',
    });
    expect(harness.emulator.requests.map((request) => request.params.InstanceId)).toEqual([
      'r-input',
    ]);
  });
});

describe('hostile upstream items', () => {
  it('drops a backup whose 30-digit BackupId no cursor could carry and answers the rest', async () => {
    const local = await startHarness({ dataset: { instances: { 'r-long-id': instanceWith(3) } } });
    try {
      const listed = local.emulator.sortedBackups('r-long-id').map((b) => String(b.BackupId));
      local.emulator.addBackup('r-long-id', {
        ...local.emulator.sortedBackups('r-long-id')[0]!,
        BackupId: 123456789012345678901234567890n,
      });
      const { page } = await backupsPage(local, 'r-long-id', { first: 10 });

      expect(page.error).toBeNull();
      expect(page.edges.map((edge) => edge.node.backupId).sort()).toEqual(listed.sort());
    } finally {
      await local.close();
    }
  });
});
