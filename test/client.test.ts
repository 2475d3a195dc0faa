import JSONbig from 'json-bigint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BIG_BACKUP_ID, DEMO_INSTANCE_IDS } from '../src/emulator/demo-data.js';
import type { UpstreamCallEvent } from '../src/tair/client.js';
import { UnsafeInteger } from '../src/tair/types.js';
import type { RawBackup } from '../src/wire/describe-backups.js';
import { PAGE_SIZES } from '../src/wire/describe-backups.js';
import { clientHarness, WIDE_WINDOW } from './fixtures/client-emulator.js';
import { EXAMPLE_PAGE, EXAMPLE_TEXT } from './fixtures/client-example.js';
import { capturingLogger } from './fixtures/client-logger.js';

const EXAMPLE_INSTANCE = 'r-bp10noxlhcoim2****';
const EXAMPLE_ITEM = (JSONbig.parse(EXAMPLE_TEXT) as { Backups: { Backup: RawBackup[] } }).Backups
  .Backup[0] as RawBackup;
const HUGE_INSTANCE = 'r-huge0numbers001';

let harness: Awaited<ReturnType<typeof clientHarness>>;

beforeAll(async () => {
  const demo = (await import('../src/emulator/demo-data.js')).createDemoDataset();
  harness = await clientHarness({
    instances: {
      ...demo.instances,
      [EXAMPLE_INSTANCE]: {
        FullStorageSize: 1000,
        LogStorageSize: 5000,
        Backups: [{ ...EXAMPLE_ITEM, BackupId: 0, BackupJobID: 24340, BackupSize: 1024 }],
        Override: { TotalCount: 5 },
      },
      [HUGE_INSTANCE]: {
        FullStorageSize: 2n ** 60n + 7n,
        Backups: [
          {
            BackupId: 2n ** 64n - 1n,
            BackupJobID: 2n ** 53n + 1n,
            BackupSize: 2n ** 53n + 3n,
            BackupStartTime: '2024-05-01T10:06:30Z',
          },
        ],
      },
    },
  });
});

afterAll(async () => {
  await harness.stop();
});

describe('TairClient.describeBackups against the emulator', () => {
  it('returns the published example as the exact typed page', async () => {
    const page = await harness.client().describeBackups({
      instanceId: EXAMPLE_INSTANCE,
      startTime: new Date('2019-03-14T00:00:00Z'),
      endTime: new Date('2019-03-15T00:00:00Z'),
    });

    expect(page).toStrictEqual({ ...EXAMPLE_PAGE, requestId: expect.any(String) });
    expect(page.requestId).not.toBe('');
  });

  it('keeps an ID beyond 2^53 exact, from the demo dataset and filtered by backupId', async () => {
    const page = await harness.client().describeBackups({
      instanceId: DEMO_INSTANCE_IDS.standard,
      ...WIDE_WINDOW,
      backupId: DEMO_BIG_BACKUP_ID.toString(),
    });

    expect(page.backups.map((backup) => backup.backupId)).toEqual(['9007199254740993']);
  });

  it('keeps 64-bit IDs and sizes past 2^53 exact', async () => {
    const page = await harness
      .client()
      .describeBackups({ instanceId: HUGE_INSTANCE, ...WIDE_WINDOW });
    const backup = page.backups[0];

    expect(backup?.backupId).toBe('18446744073709551615');
    expect(backup?.jobId).toBe('9007199254740993');
    expect(backup?.sizeBytes).toStrictEqual(new UnsafeInteger('9007199254740995'));
    expect(page.fullStorageSize).toStrictEqual(new UnsafeInteger('1152921504606846983'));
  });

  it.each(PAGE_SIZES)(
    'pages the 450-backup instance at PageSize %i into the emulator list',
    async (pageSize) => {
      const client = harness.client();
      const ids: string[] = [];
      let pageNumber = 1;
      let totalCount = Number.POSITIVE_INFINITY;
      while (ids.length < totalCount) {
        const page = await client.describeBackups({
          instanceId: DEMO_INSTANCE_IDS.large,
          ...WIDE_WINDOW,
          pageSize,
          pageNumber,
        });
        expect([page.pageSize, page.pageNumber, page.droppedItems]).toEqual([
          pageSize,
          pageNumber,
          0,
        ]);
        expect(page.backups.length).toBeGreaterThan(0);
        totalCount = page.totalCount;
        ids.push(...page.backups.map((backup) => backup.backupId));
        pageNumber += 1;
      }
      const expected = harness.emulator
        .sortedBackups(DEMO_INSTANCE_IDS.large)
        .map((backup) => String(backup.BackupId));

      expect(totalCount).toBe(450);
      expect(ids).toEqual(expected);
    },
  );

  it('sends POST with the typed input formatted as the API wants', async () => {
    harness.emulator.clearRequests();
    await harness.client().describeBackups({
      instanceId: DEMO_INSTANCE_IDS.empty,
      startTime: new Date('2024-05-01T00:00:00Z'),
      endTime: new Date('2024-05-08T10:06:00Z'),
      pageSize: 50,
      pageNumber: 2,
      needAof: true,
    });
    const [record] = harness.emulator.requests;

    expect(record?.method).toBe('POST');
    expect(record?.path).toBe('/');
    expect(record?.params).toMatchObject({
      Action: 'DescribeBackups',
      Version: '2015-01-01',
      InstanceId: DEMO_INSTANCE_IDS.empty,
      StartTime: '2024-05-01T00:00Z',
      EndTime: '2024-05-08T10:06Z',
      PageSize: '50',
      PageNumber: '2',
      NeedAof: '1',
    });
  });

  it('logs each call at debug and reports it to onUpstreamCall, without the key id', async () => {
    const capture = capturingLogger();
    const events: UpstreamCallEvent[] = [];
    const page = await harness
      .client({ logger: capture.logger, onUpstreamCall: (event) => events.push(event) })
      .describeBackups({ instanceId: DEMO_INSTANCE_IDS.empty, ...WIDE_WINDOW, pageSize: 100 });

    expect(events).toEqual([
      {
        instanceId: DEMO_INSTANCE_IDS.empty,
        pageSize: 100,
        pageNumber: 1,
        durationMs: expect.any(Number),
        outcome: 'ok',
        requestId: page.requestId,
        attempt: 1,
      },
    ]);
    expect(capture.lines.find((line) => line.msg === 'upstream call')).toMatchObject({
      level: 20,
      action: 'DescribeBackups',
      instanceId: DEMO_INSTANCE_IDS.empty,
      requestId: page.requestId,
      outcome: 'ok',
    });
    expect(capture.text()).not.toContain(harness.emulator.accessKeyId);
  });

  it('keeps at most maxConcurrency calls in flight at the emulator', async () => {
    harness.emulator.setFault(DEMO_INSTANCE_IDS.cluster, { LatencyMs: 100 });
    harness.emulator.clearRequests();
    const client = harness.client({ maxConcurrency: 2 });
    await Promise.all(
      Array.from({ length: 6 }, () =>
        client.describeBackups({ instanceId: DEMO_INSTANCE_IDS.cluster, ...WIDE_WINDOW }),
      ),
    );
    harness.emulator.setFault(DEMO_INSTANCE_IDS.cluster, null);
    const arrivals = harness.emulator.requests
      .map((record) => record.time.getTime())
      .sort((a, b) => a - b);

    expect(arrivals).toHaveLength(6);
    // With two slots, the third call can only arrive once the first (100 ms at the emulator) is done.
    for (let index = 2; index < arrivals.length; index += 1) {
      expect(arrivals[index]! - arrivals[index - 2]!).toBeGreaterThanOrEqual(90);
    }
  });

  it('lets calls run side by side without a tight bound (control for the test above)', async () => {
    harness.emulator.setFault(DEMO_INSTANCE_IDS.cluster, { LatencyMs: 100 });
    harness.emulator.clearRequests();
    const client = harness.client({ maxConcurrency: 16 });
    await Promise.all(
      Array.from({ length: 6 }, () =>
        client.describeBackups({ instanceId: DEMO_INSTANCE_IDS.cluster, ...WIDE_WINDOW }),
      ),
    );
    harness.emulator.setFault(DEMO_INSTANCE_IDS.cluster, null);
    const arrivals = harness.emulator.requests.map((record) => record.time.getTime());

    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(90);
  });

  it('answers even when the onUpstreamCall hook throws', async () => {
    const page = await harness
      .client({
        onUpstreamCall: () => {
          throw new Error('metrics are down');
        },
      })
      .describeBackups({ instanceId: DEMO_INSTANCE_IDS.empty, ...WIDE_WINDOW });

    expect(page.totalCount).toBe(0);
  });

  it('refuses an endpoint that is not an http(s) URL and option values out of range', () => {
    expect(() => harness.client({ endpoint: 'r-kvstore.aliyuncs.com' })).toThrow(
      /endpoint must be an http\(s\) URL; received "r-kvstore.aliyuncs.com"/,
    );
    expect(() => harness.client({ maxAttempts: 0 })).toThrow(
      /maxAttempts must be a positive integer/,
    );
    expect(() => harness.client({ timeoutMs: 1.5 })).toThrow(
      /timeoutMs must be a positive integer/,
    );
  });

  it('exposes no credentials in the enumerable properties of the client', () => {
    const client = harness.client();

    expect(Object.keys(client).sort()).toEqual(['close', 'describeBackups']);
    expect(JSON.stringify(client)).not.toContain(harness.emulator.accessKeySecret);
  });
});
