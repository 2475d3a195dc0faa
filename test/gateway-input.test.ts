import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupsPage, expectedIds } from './support/backups-page.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    dataset: {
      instances: {
        'r-input': instanceWith(61),
        'r-other': instanceWith(10),
        'r-aof': {
          Backups: [
            {
              BackupId: 501,
              BackupStartTime: '2026-11-30T10:06:30Z',
              BackupEndTime: '2026-11-30T10:07:00Z',
              BackupType: 'IncrementalBackup',
              BackupStatus: 'Success',
              BackupMode: 'Automated',
              BackupMethod: 'Physical',
            },
            {
              BackupId: 500,
              BackupStartTime: '2026-11-30T10:05:59Z',
              BackupType: 'FullBackup',
              BackupStatus: 'Success',
              BackupMode: 'Manual',
              BackupMethod: 'Logical',
              BackupJobID: 77,
            },
          ],
        },
      },
    },
  });
});
afterAll(() => harness.close());

describe('DateTime arguments', () => {
  it('refuses a DateTime without an offset as a request error with HTTP 400', async () => {
    harness.resetCalls();
    const response = await harness.query(
      '{ instance(id: "r-input") { backups(filter: { startTime: "2026-11-01T10:00:00" }) { totalCount } } }',
    );

    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors![0]!.message).toContain(
      'DateTime "2026-11-01T10:00:00" has no offset; add one, e.g. "2026-11-01T10:00:00Z" for UTC',
    );
    expect(harness.calls()).toBe(0);
  });

  it('says the offset is missing when the DateTime comes in a variable', async () => {
    const response = await harness.query(
      'query W($start: DateTime) { instance(id: "r-input") { backups(filter: { startTime: $start }) { totalCount } } }',
      { start: '2026-11-01T10:00' },
    );

    expect(response.status).toBe(400);
    expect(response.body.errors![0]!.message).toContain('has no offset');
  });

  it.each([
    ['2026-11-28T12:00:00+0800', '+0800', '+08:00'],
    ['2026-11-28T12:00:00.5+08', '+08', '+08:00'],
    ['2026-11-28T12:00:00-0530', '-0530', '-05:30'],
  ])(
    'says %s writes its offset without the colon RFC 3339 wants',
    async (value, written, wanted) => {
      const response = await harness.query(
        'query W($start: DateTime) { instance(id: "r-input") { backups(filter: { startTime: $start }) { totalCount } } }',
        { start: value },
      );

      expect(response.status).toBe(400);
      expect(response.body.errors![0]!.message).toContain(
        `DateTime "${value}" writes its offset as ${written}; RFC 3339 wants hours and minutes with a colon, ${wanted}`,
      );
    },
  );

  it('converts an offset to UTC, rounds the window to whole minutes and reports it', async () => {
    const { page } = await backupsPage(harness, 'r-aof', {
      filter: {
        startTime: '2026-11-30T18:05:59+08:00',
        endTime: '2026-11-30T18:06:01.500+08:00',
        includeAof: true,
      },
    });

    expect(page.window).toEqual({
      startTime: '2026-11-30T10:05:00.000Z',
      endTime: '2026-11-30T10:07:00.000Z',
    });
    expect(harness.emulator.requests[0]!.params).toMatchObject({
      StartTime: '2026-11-30T10:05Z',
      EndTime: '2026-11-30T10:07Z',
      NeedAof: '1',
    });
    // What upstream returns for the rounded window, unfiltered here: 10:06:30 is inside 10:07.
    expect(page.edges.map((edge) => edge.node.backupId)).toEqual(['501', '500']);
  });

  it('sends NeedAof only as asked and never filters by it', async () => {
    const without = await backupsPage(harness, 'r-aof', {});
    const withAof = await backupsPage(harness, 'r-aof', { filter: { includeAof: true } });

    expect(without.page.edges.map((edge) => edge.node.backupId)).toEqual(['500']);
    expect(withAof.page.edges.map((edge) => edge.node.backupId)).toEqual(['501', '500']);
  });

  it('refuses endTime not after startTime, naming filter.endTime, with no call', async () => {
    const { page, calls } = await backupsPage(harness, 'r-input', {
      filter: { startTime: '2026-11-30T10:00:00Z', endTime: '2026-11-30T10:00:00Z' },
    });

    expect(page.error).toMatchObject({
      __typename: 'InvalidArgumentError',
      argument: 'filter.endTime',
      code: 'INVALID_ARGUMENT',
    });
    expect(page.window).toEqual({
      startTime: '2026-11-30T10:00:00.000Z',
      endTime: '2026-11-30T10:00:00.000Z',
    });
    expect(calls).toBe(0);
  });

  it('refuses a window that starts before 1970, naming filter.startTime, with no call', async () => {
    const { page, calls } = await backupsPage(harness, 'r-input', {
      filter: { startTime: '1969-12-31T23:59:00Z' },
    });

    expect(page.error).toMatchObject({ argument: 'filter.startTime', code: 'INVALID_ARGUMENT' });
    expect(calls).toBe(0);
  });

  it('sends the last minute of year 9999 for an endTime within it, never year 10000', async () => {
    const { page, calls } = await backupsPage(harness, 'r-input', {
      first: 1,
      filter: { endTime: '9999-12-31T23:59:30Z' },
    });

    expect(page.error).toBeNull();
    expect(page.window.endTime).toBe('9999-12-31T23:59:00.000Z');
    expect(harness.emulator.requests[0]!.params['EndTime']).toBe('9999-12-31T23:59Z');
    expect(calls).toBe(1);
  });
});

describe('filters', () => {
  it('passes backupId and backupJobId upstream as exact decimal strings', async () => {
    const byId = await backupsPage(harness, 'r-aof', { filter: { backupId: '500' } });
    const byJob = await backupsPage(harness, 'r-aof', { filter: { backupJobId: '77' } });

    expect(byId.page.edges.map((edge) => edge.node.backupId)).toEqual(['500']);
    expect(harness.emulator.requests[0]!.params['BackupJobId']).toBe('77');
    expect(byJob.page.edges.map((edge) => edge.node.backupId)).toEqual(['500']);
  });

  it.each([
    ['backupId', '12a'],
    ['backupJobId', '-1'],
    ['backupId', '123456789012345678901'],
  ])('refuses filter.%s %j with an InvalidArgumentError and no call', async (name, value) => {
    const { page, calls } = await backupsPage(harness, 'r-input', { filter: { [name]: value } });

    expect(page.error).toMatchObject({ argument: `filter.${name}`, code: 'INVALID_ARGUMENT' });
    expect(calls).toBe(0);
  });
});

describe('first and last', () => {
  it.each([
    ['first', -1],
    ['first', 301],
    ['last', -5],
    ['last', 100000],
  ])('refuses %s: %i naming the argument, with no call', async (name, value) => {
    const { page, calls } = await backupsPage(harness, 'r-input', { [name]: value });

    expect(page.error).toMatchObject({
      argument: name,
      code: 'INVALID_ARGUMENT',
      retryable: false,
    });
    expect(page.error!.message).toContain(String(value));
    expect(calls).toBe(0);
  });

  it('defaults to the first 30', async () => {
    const { page } = await backupsPage(harness, 'r-input');

    expect(page.edges.map((edge) => edge.node.backupId)).toEqual(
      expectedIds(harness, 'r-input').slice(0, 30),
    );
  });
});

describe('cursors', () => {
  it.each([
    ['after', 'not a cursor!'],
    ['after', Buffer.from('{"hello":"world"}').toString('base64url')],
    [
      'before',
      Buffer.from(JSON.stringify([1, 2 ** 31, 'aaaaaaaaaa', 'bbbbbbbbbb', null, '1', 0])).toString(
        'base64url',
      ),
    ],
  ])('refuses %s %j as an InvalidArgumentError naming it, with no call', async (name, cursor) => {
    const { page, calls } = await backupsPage(harness, 'r-input', { [name]: cursor });

    expect(page.error).toMatchObject({ __typename: 'InvalidArgumentError', argument: name });
    expect(page.pageInfo.startCursor).toBe(cursor);
    expect(calls).toBe(0);
  });

  it("refuses another instance's cursor", async () => {
    const { page: other } = await backupsPage(harness, 'r-other', { first: 3 });
    const { page, calls } = await backupsPage(harness, 'r-input', {
      after: other.pageInfo.endCursor,
    });

    expect(page.error).toMatchObject({ argument: 'after', code: 'INVALID_ARGUMENT' });
    expect(page.error!.message).toMatch(/another instance/);
    expect(calls).toBe(0);
  });

  it('refuses a cursor issued for another filter', async () => {
    const { page: first } = await backupsPage(harness, 'r-input', { first: 3 });
    const { page, calls } = await backupsPage(harness, 'r-input', {
      after: first.pageInfo.endCursor,
      filter: { includeAof: true },
    });

    expect(page.error).toMatchObject({ argument: 'after', code: 'INVALID_ARGUMENT' });
    expect(page.error!.message).toMatch(/another filter/);
    expect(calls).toBe(0);
  });

  it('pins the default endTime in the cursor so later pages see the same window', async () => {
    const { page: first } = await backupsPage(harness, 'r-input', { first: 3 });
    const later = new Date('2026-12-02T08:00:00Z');
    const pinned = await startHarness({
      dataset: { instances: { 'r-input': instanceWith(61) } },
      gateway: { now: () => later },
    });
    try {
      const { page } = await backupsPage(pinned, 'r-input', {
        first: 3,
        after: first.pageInfo.endCursor,
      });

      expect(page.window.endTime).toBe(first.window.endTime);
      expect(page.error).toBeNull();
    } finally {
      await pinned.close();
    }
  });
});

describe('instance IDs', () => {
  it('refuses an ID holding a lone surrogate as an InvalidArgumentError naming `id`, with no call', async () => {
    const { page, calls } = await backupsPage(harness, 'r-\ud800', { first: 1 });

    expect(page.error).toMatchObject({
      __typename: 'InvalidArgumentError',
      argument: 'id',
      code: 'INVALID_ARGUMENT',
      retryable: false,
    });
    expect(calls).toBe(0);
  });
});

describe('Query.node', () => {
  const nodeQuery = `query Node($id: ID!) {
    node(id: $id) { __typename id ... on Backup { backupId startTime type jobId instance { id } } }
  }`;

  it('refetches a Backup by its global id with one narrow call', async () => {
    const listed = await harness.query<{
      instance: { backups: { edges: Array<{ node: Record<string, unknown> }> } };
    }>(
      '{ instance(id: "r-aof") { backups(filter: { includeAof: true }) { edges { node { __typename id backupId startTime type jobId instance { id } } } } } }',
    );
    const incremental = listed.body.data!.instance.backups.edges[0]!.node;
    harness.resetCalls();
    const response = await harness.query<{ node: Record<string, unknown> }>(nodeQuery, {
      id: incremental['id'],
    });

    expect(response.body.data!.node).toEqual(incremental);
    expect(harness.emulator.requests).toHaveLength(1);
    expect(harness.emulator.requests[0]!.params).toMatchObject({
      StartTime: '2026-11-30T10:06Z',
      EndTime: '2026-11-30T10:07Z',
      BackupId: '501',
      NeedAof: '1',
    });
  });

  it('resolves an instance ID to the Instance with no call', async () => {
    harness.resetCalls();
    const response = await harness.query<{ node: Record<string, unknown> }>(nodeQuery, {
      id: 'r-input',
    });

    expect(response.body.data!.node).toEqual({ __typename: 'Instance', id: 'r-input' });
    expect(harness.calls()).toBe(0);
  });

  it('answers null for a Backup id that decodes but does not exist', async () => {
    const listed = await backupsPage(harness, 'r-aof', {});
    const real = listed.page.edges[0]!.node.id;
    const [, payload] = real.split(':');
    const fields = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as unknown[];
    fields[1] = '999';
    const forged = `Backup:${Buffer.from(JSON.stringify(fields)).toString('base64url')}`;
    const response = await harness.query<{ node: unknown }>(nodeQuery, { id: forged });

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.node).toBeNull();
  });

  it.each(['Backup:%%%', 'Backup:garbage', ''])(
    'answers null without an error for the id %j, with no call',
    async (id) => {
      harness.resetCalls();
      const response = await harness.query<{ node: unknown }>(nodeQuery, { id });

      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!.node).toBeNull();
      expect(harness.calls()).toBe(0);
    },
  );
});

describe('values past what a SafeInt holds', () => {
  it('fails only sizeBytes, with the exact value, when upstream sends a size past 2^53', async () => {
    const local = await startHarness({
      dataset: {
        instances: {
          'r-huge': {
            Backups: [
              {
                BackupId: 1,
                BackupStartTime: '2026-11-30T10:00:00Z',
                BackupSize: 9007199254740993n,
              },
            ],
          },
        },
      },
    });
    try {
      const response = await local.query<{
        instance: { backups: { edges: Array<{ node: { backupId: string; sizeBytes: null } }> } };
      }>('{ instance(id: "r-huge") { backups { edges { node { backupId sizeBytes } } } } }');

      expect(response.body.data!.instance.backups.edges).toEqual([
        { node: { backupId: '1', sizeBytes: null } },
      ]);
      expect(response.body.errors).toEqual([
        expect.objectContaining({
          message:
            'sizeBytes is 9007199254740993 bytes, past 2^53: it cannot be returned exactly as a SafeInt',
          extensions: {
            code: 'UPSTREAM_VALUE_OUT_OF_RANGE',
            value: '9007199254740993',
            retryable: false,
          },
        }),
      ]);
    } finally {
      await local.close();
    }
  });

  it('fails only the instance whose FullStorageSize is past 2^53, as an UpstreamError, and only logBytes when that one is', async () => {
    const local = await startHarness({
      dataset: {
        instances: {
          'r-fine': instanceWith(2),
          'r-huge-full': instanceWith(2, { FullStorageSize: 123456789012345678901234567890n }),
          'r-huge-log': instanceWith(2, { LogStorageSize: 9007199254740993n }),
        },
      },
    });
    try {
      const response = await local.query<{ instances: unknown[] }>(
        `{ instances(ids: ["r-fine", "r-huge-full", "r-huge-log"]) { id backupStorage {
            __typename
            ... on BackupStorage { fullBytes logBytes }
            ... on Error { code message retryable }
        } } }`,
      );

      expect(response.body.data!.instances).toEqual([
        {
          id: 'r-fine',
          backupStorage: { __typename: 'BackupStorage', fullBytes: 1002, logBytes: 5000 },
        },
        {
          id: 'r-huge-full',
          backupStorage: {
            __typename: 'UpstreamError',
            code: 'UPSTREAM_ERROR',
            message:
              'FullStorageSize is 123456789012345678901234567890 bytes, past 2^53: fullBytes cannot be returned exactly as a SafeInt',
            retryable: false,
          },
        },
        {
          id: 'r-huge-log',
          backupStorage: { __typename: 'BackupStorage', fullBytes: 1002, logBytes: null },
        },
      ]);
      expect(response.body.errors).toEqual([
        expect.objectContaining({
          path: ['instances', 2, 'backupStorage', 'logBytes'],
          extensions: {
            code: 'UPSTREAM_VALUE_OUT_OF_RANGE',
            value: '9007199254740993',
            retryable: false,
          },
        }),
      ]);
    } finally {
      await local.close();
    }
  });
});
