import { readFileSync } from 'node:fs';
import RPCClient from '@alicloud/pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoDataset, DEMO_INSTANCE_IDS } from '../src/emulator/demo-data.js';
import { generateBackups } from '../src/emulator/generate-backups.js';
import { type RunningEmulator, startEmulator } from '../src/emulator/server.js';
import { canonicalQuery, signV1Params } from '../src/emulator/signature.js';
import type { EmulatorBackup } from '../src/emulator/types.js';

const WIDE = { StartTime: '2010-01-01T00:00Z', EndTime: '2050-01-01T00:00Z' };
const example = JSON.parse(
  readFileSync(new URL('./fixtures/emulator-published-example.json', import.meta.url), 'utf8'),
);

interface Page {
  RequestId: string;
  PageNumber: number;
  PageSize: number;
  TotalCount: number;
  FullStorageSize: number;
  LogStorageSize: number;
  Backups: { Backup: Record<string, unknown>[] };
}

const item = (overrides: EmulatorBackup): EmulatorBackup => ({
  BackupStatus: 'Success',
  BackupType: 'FullBackup',
  BackupMode: 'Manual',
  NodeInstanceId: 'r-query0test00001',
  BackupSize: 1024,
  ...overrides,
});

// Hand-placed items around 10:06 and for the ordering rule, beside a generated daily series.
const QUERY_ITEMS: EmulatorBackup[] = [
  item({ BackupId: 101, BackupJobID: 5001, BackupStartTime: '2024-05-01T10:06:30Z' }),
  item({ BackupId: 102, BackupJobID: 5002, BackupStartTime: '2024-05-01T10:06:00Z' }),
  item({ BackupId: 103, BackupJobID: 5003, BackupStartTime: '2024-05-01T10:05:59Z' }),
  item({ BackupId: 999, BackupJobID: 6001, BackupStartTime: '2024-05-02T00:00:00Z' }),
  item({ BackupId: 1000, BackupJobID: 6002, BackupStartTime: '2024-05-02T00:00:00Z' }),
  item({ BackupId: 9007199254740993n, BackupJobID: 6003, BackupStartTime: '2024-05-02T00:00:00Z' }),
  item({ BackupId: 9007199254740992n, BackupJobID: 6004, BackupStartTime: '2024-05-02T00:00:00Z' }),
  item({ BackupId: 77, BackupType: 'IncrementalBackup', BackupStartTime: '2024-05-03T00:00:00Z' }),
];

let emulator: RunningEmulator;
let client: RPCClient;

beforeAll(async () => {
  const dataset = createDemoDataset();
  dataset.instances['r-query0test00001'] = {
    FullStorageSize: 111,
    LogStorageSize: 222,
    Backups: [...QUERY_ITEMS],
  };
  dataset.instances['r-query0override01'] = {
    Backups: generateBackups({
      instanceId: 'r-query0override01',
      count: 31,
      newest: new Date('2024-06-30T03:00:17Z'),
    }),
    Override: { TotalCount: 100 },
  };
  emulator = await startEmulator({ dataset });
  client = new RPCClient({
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    endpoint: emulator.url,
    apiVersion: '2015-01-01',
  });
});

afterAll(async () => {
  await emulator.close();
});

function query(params: Record<string, unknown>): Promise<Page> {
  return client.request<Page>('DescribeBackups', { ...WIDE, ...params }, { method: 'GET' });
}

async function ids(params: Record<string, unknown>): Promise<string[]> {
  const page = await query({ InstanceId: 'r-query0test00001', PageSize: 300, ...params });

  return page.Backups.Backup.map((backup) => String(backup.BackupId));
}

async function rawText(params: Record<string, string>): Promise<string> {
  const signed = signV1Params(
    'GET',
    { Action: 'DescribeBackups', Version: '2015-01-01', ...WIDE, ...params },
    emulator,
  );
  const response = await fetch(`${emulator.url}/?${canonicalQuery(signed)}`);

  return response.text();
}

describe('emulator DescribeBackups filtering', () => {
  it('excludes a backup at 10:06:30 from EndTime 10:06 and keeps the one at 10:06:00', async () => {
    const window = { StartTime: '2024-05-01T10:00Z', EndTime: '2024-05-01T10:06Z' };

    expect(await ids(window)).toEqual(['102', '103']);
    expect(await ids({ ...window, EndTime: '2024-05-01T10:07Z' })).toEqual(['101', '102', '103']);
    expect(await ids({ StartTime: '2024-05-01T10:06Z', EndTime: '2024-05-01T10:07Z' })).toEqual([
      '101',
      '102',
    ]);
  });

  it('filters by BackupId and by BackupJobId as exact decimal strings', async () => {
    expect(await ids({ BackupId: '9007199254740993' })).toEqual(['9007199254740993']);
    expect(await ids({ BackupId: '1000' })).toEqual(['1000']);
    expect(await ids({ BackupJobId: '5002' })).toEqual(['102']);
    expect(await ids({ BackupId: '424242' })).toEqual([]);
  });

  it('lists IncrementalBackup items only with NeedAof=1', async () => {
    expect(await ids({ NeedAof: '0' })).not.toContain('77');
    expect(await ids({})).not.toContain('77');
    expect((await ids({ NeedAof: '1' }))[0]).toBe('77');
  });

  it('orders by BackupStartTime descending, then BackupId descending, exactly for big ids', async () => {
    expect(await ids({})).toEqual([
      '9007199254740993',
      '9007199254740992',
      '1000',
      '999',
      '101',
      '102',
      '103',
    ]);
  });

  it('reports the instance storage sizes whatever the filters', async () => {
    const page = await query({ InstanceId: 'r-query0test00001', BackupId: '424242' });

    expect(page).toMatchObject({ TotalCount: 0, FullStorageSize: 111, LogStorageSize: 222 });
  });
});

describe('emulator DescribeBackups paging', () => {
  it.each([30, 50, 100, 200, 300])(
    'pages the 450-backup instance at PageSize %i',
    async (pageSize) => {
      const expected = emulator
        .sortedBackups(DEMO_INSTANCE_IDS.large)
        .map((backup) => String(backup.BackupId));
      const seen: string[] = [];
      const pages = Math.ceil(450 / pageSize);
      for (let pageNumber = 1; pageNumber <= pages; pageNumber += 1) {
        const page = await query({
          InstanceId: DEMO_INSTANCE_IDS.large,
          PageSize: pageSize,
          PageNumber: pageNumber,
        });
        expect(page).toMatchObject({ TotalCount: 450, PageSize: pageSize, PageNumber: pageNumber });
        seen.push(...page.Backups.Backup.map((backup) => String(backup.BackupId)));
      }

      expect(expected).toHaveLength(450);
      expect(seen).toEqual(expected);
    },
  );

  it('answers a PageNumber past the end with no items and the right TotalCount', async () => {
    const page = await query({ InstanceId: DEMO_INSTANCE_IDS.large, PageSize: 300, PageNumber: 3 });

    expect(page.TotalCount).toBe(450);
    expect(page.Backups.Backup).toEqual([]);
  });

  it('reports Override.TotalCount while paging the real list', async () => {
    const second = await query({ InstanceId: 'r-query0override01', PageNumber: 2 });

    expect(second.TotalCount).toBe(100);
    expect(second.Backups.Backup).toHaveLength(1);
  });

  it('serves a backup added between two pages', async () => {
    const before = await query({ InstanceId: 'r-query0test00001' });
    emulator.addBackup(
      'r-query0test00001',
      item({ BackupId: 5555, BackupStartTime: '2024-05-04T00:00:00Z' }),
    );
    const after = await query({ InstanceId: 'r-query0test00001' });

    expect(after.TotalCount).toBe(before.TotalCount + 1);
    expect(after.Backups.Backup[0]?.BackupId).toBe(5555);
    expect(() => emulator.addBackup('r-unknown', item({}))).toThrow(/instanceId must be one of/);
  });
  it('stops serving a removed backup', async () => {
    const before = await ids({});
    const removed = emulator.removeBackup('r-query0test00001', '9007199254740993');

    expect(removed).toBe(true);
    expect(await ids({})).toEqual(before.filter((id) => id !== '9007199254740993'));
    expect(emulator.removeBackup('r-query0test00001', '9007199254740993')).toBe(false);
  });
});

describe('emulator DescribeBackups bodies', () => {
  it('serves the published example item verbatim with the example body shape', async () => {
    const body = JSON.parse(await rawText({ InstanceId: DEMO_INSTANCE_IDS.example }));
    const { RequestId: _ours, TotalCount: _one, ...rest } = body;
    const { RequestId: _theirs, TotalCount: _five, ...published } = example;

    expect(Object.keys(body)).toEqual(Object.keys(example));
    expect(rest).toEqual(published);
    expect(body.Backups.Backup[0]).toEqual(example.Backups.Backup[0]);
  });

  it('writes a BackupId beyond 2^53 as an exact integer literal', async () => {
    const text = await rawText({
      InstanceId: DEMO_INSTANCE_IDS.standard,
      BackupId: '9007199254740993',
    });
    const page = await query({
      InstanceId: DEMO_INSTANCE_IDS.standard,
      BackupId: '9007199254740993',
    });

    expect(text).toContain('"BackupId":9007199254740993,');
    expect(String(page.Backups.Backup[0]?.BackupId)).toBe('9007199254740993');
  });

  it('gives every answer a fresh uppercase RequestId', async () => {
    const [first, second] = await Promise.all([
      query({ InstanceId: DEMO_INSTANCE_IDS.empty }),
      query({ InstanceId: DEMO_INSTANCE_IDS.empty }),
    ]);

    expect(first.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(first.RequestId).not.toBe(second.RequestId);
    expect(first).toMatchObject({ TotalCount: 0, FullStorageSize: 0, Backups: { Backup: [] } });
  });
});

describe('emulator DescribeBackups validation', () => {
  const standard = { InstanceId: DEMO_INSTANCE_IDS.standard };

  it.each([
    ['StartTime with seconds', { StartTime: '2024-05-01T10:00:00Z' }, 'InvalidStartTime.Malformed'],
    ['an impossible EndTime', { EndTime: '2024-02-30T10:00Z' }, 'InvalidEndTime.Malformed'],
    [
      'EndTime equal to StartTime',
      { StartTime: '2024-05-01T10:00Z', EndTime: '2024-05-01T10:00Z' },
      'InvalidStartTimeAndEndTime.Malformed',
    ],
    [
      'EndTime before StartTime',
      { StartTime: '2024-05-01T10:00Z', EndTime: '2024-05-01T09:00Z' },
      'InvalidStartTimeAndEndTime.Malformed',
    ],
    ['PageSize 25', { PageSize: 25 }, 'InvalidPageSize.Malformed'],
    ['PageSize 500', { PageSize: 500 }, 'InvalidPageSize.Malformed'],
    ['PageNumber 0', { PageNumber: 0 }, 'InvalidParameter'],
    ['PageNumber 1.5', { PageNumber: '1.5' }, 'InvalidParameter'],
    ['a non-numeric BackupId', { BackupId: 'abc' }, 'InvalidParameter'],
    ['NeedAof 2', { NeedAof: '2' }, 'InvalidParameter'],
    ['no InstanceId', { InstanceId: undefined }, 'MissingParameter'],
    ['no StartTime', { StartTime: undefined }, 'MissingParameter'],
    ['no EndTime', { EndTime: undefined }, 'MissingParameter'],
  ])('rejects %s with %s (400)', async (_title, params, code) => {
    const merged = Object.fromEntries(
      Object.entries({ ...WIDE, ...standard, ...params }).filter(
        ([, value]) => value !== undefined,
      ),
    );
    const error = await client
      .request('DescribeBackups', merged, { method: 'GET' })
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code, entry: { response: { statusCode: 400 } } });
  });

  it('rejects an unknown instance with InvalidInstanceId.NotFound (404)', async () => {
    const error = await query({ InstanceId: 'r-bp1doesnotexist' }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({
      code: 'InvalidInstanceId.NotFound',
      entry: { response: { statusCode: 404 } },
    });
  });
});
