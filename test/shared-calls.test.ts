import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLruCallCache } from '../src/cache/lru-call-cache.js';
import { DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET } from '../src/emulator/demo-data.js';
import { type RunningEmulator, startEmulator } from '../src/emulator/server.js';
import { createTairClient, type TairClient } from '../src/tair/client.js';
import { ThrottledError } from '../src/tair/errors.js';
import { describeBackupsKey, withSharedCalls } from '../src/tair/shared-calls.js';
import type { DescribeBackupsInput, DescribeBackupsPage } from '../src/tair/types.js';
import { instanceWith } from './support/gateway-harness.js';

const INSTANCE = 'r-shared0calls001';
const OTHER = 'r-shared0calls002';
const WINDOW = {
  startTime: new Date('2010-01-01T00:00:00Z'),
  endTime: new Date('2026-12-01T00:00:00Z'),
};
const input = (extra: Partial<DescribeBackupsInput> = {}): DescribeBackupsInput => ({
  instanceId: INSTANCE,
  ...WINDOW,
  ...extra,
});

let emulator: RunningEmulator;
let client: TairClient;

beforeAll(async () => {
  // The latency keeps each call in flight long enough for the others to find it.
  emulator = await startEmulator({
    dataset: {
      instances: { [INSTANCE]: instanceWith(40), [OTHER]: instanceWith(5) },
      LatencyMs: 40,
    },
  });
  client = createTairClient({
    endpoint: emulator.url,
    credentials: {
      kind: 'static',
      accessKeyId: DEMO_ACCESS_KEY_ID,
      accessKeySecret: DEMO_ACCESS_KEY_SECRET,
    },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.close();
  await emulator.close();
});

beforeEach(() => {
  emulator.clearRequests();
  emulator.setFault(INSTANCE, null);
});

describe('describeBackupsKey', () => {
  it('gives equal keys to inputs that send equal parameters, defaults filled in', () => {
    const implicit = describeBackupsKey(input());
    const explicit = describeBackupsKey(input({ pageSize: 30, pageNumber: 1, needAof: false }));

    expect(implicit).toBe(explicit);
    expect(implicit).toBe(
      JSON.stringify([
        INSTANCE,
        WINDOW.startTime.getTime(),
        WINDOW.endTime.getTime(),
        0,
        null,
        null,
        30,
        1,
      ]),
    );
  });

  it('gives different keys to inputs that differ in any parameter sent upstream', () => {
    const keys = [
      input(),
      input({ instanceId: OTHER }),
      input({ endTime: new Date('2026-12-01T00:01:00Z') }),
      input({ needAof: true }),
      input({ backupId: '1' }),
      input({ backupJobId: '1' }),
      input({ pageSize: 50 }),
      input({ pageNumber: 2 }),
    ].map(describeBackupsKey);

    expect(new Set(keys).size).toBe(keys.length);
  });

  it('returns null for an input whose times are not valid dates', () => {
    expect(describeBackupsKey(input({ startTime: new Date(Number.NaN) }))).toBeNull();
  });
});

describe('withSharedCalls', () => {
  it('makes one upstream call for equal calls in flight at the same time', async () => {
    const shared = withSharedCalls(client);

    const pages = await Promise.all([
      shared.describeBackups(input()),
      shared.describeBackups(input({ pageSize: 30 })),
      shared.describeBackups(input()),
    ]);

    expect(emulator.requests).toHaveLength(1);
    expect(pages[1]).toBe(pages[0]);
    expect(pages[2]).toBe(pages[0]);
    expect(pages[0].backups).toHaveLength(30);
    expect(shared.stats()).toEqual({ requested: 3, joined: 2, cacheHits: 0, upstream: 1 });
    expect(shared.inFlight).toBe(0);
  });

  it('makes separate calls for different parameters, in parallel', async () => {
    const shared = withSharedCalls(client);

    const [first, second] = await Promise.all([
      shared.describeBackups(input()),
      shared.describeBackups(input({ pageNumber: 2 })),
    ]);

    expect(emulator.requests.map((request) => request.pageNumber).sort()).toEqual([1, 2]);
    expect(first.backups[0]!.backupId).not.toBe(second.backups[0]!.backupId);
    expect(second.backups).toHaveLength(10);
  });

  it('calls upstream again once a shared call has settled, when there is no cache', async () => {
    const shared = withSharedCalls(client);

    await shared.describeBackups(input());
    await shared.describeBackups(input());

    expect(emulator.requests).toHaveLength(2);
  });

  it('fails every waiter with the same typed error and does not keep the failure', async () => {
    const shared = withSharedCalls(client, {
      cache: createLruCallCache<DescribeBackupsPage>({ ttlMs: 60_000 }),
    });
    emulator.setFault(INSTANCE, { Code: 'Throttling.User', HttpStatus: 400, Times: 1 });

    const results = await Promise.allSettled([
      shared.describeBackups(input()),
      shared.describeBackups(input()),
    ]);

    expect(emulator.requests).toHaveLength(1);
    const [a, b] = results.map((result) => (result.status === 'rejected' ? result.reason : null));
    expect(a).toBeInstanceOf(ThrottledError);
    expect(b).toBe(a);

    const page = await shared.describeBackups(input());
    expect(page.backups).toHaveLength(30);
    expect(emulator.requests).toHaveLength(2);
  });

  it('serves an answer from the cache within its time to live, then calls again', async () => {
    const shared = withSharedCalls(client, {
      cache: createLruCallCache<DescribeBackupsPage>({ ttlMs: 150 }),
    });

    const first = await shared.describeBackups(input());
    const second = await shared.describeBackups(input());
    expect(second).toBe(first);
    expect(emulator.requests).toHaveLength(1);
    expect(shared.stats().cacheHits).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 200));
    const third = await shared.describeBackups(input());
    expect(third).not.toBe(first);
    expect(third.requestId).not.toBe(first.requestId);
    expect(emulator.requests).toHaveLength(2);
  });

  it('calls upstream when the cache fails, and still answers', async () => {
    const shared = withSharedCalls(client, {
      cache: {
        get: () => Promise.reject(new Error('cache unreachable')),
        set: () => Promise.reject(new Error('cache unreachable')),
      },
    });

    const page = await shared.describeBackups(input({ instanceId: OTHER }));

    expect(page.backups).toHaveLength(5);
    expect(emulator.requests).toHaveLength(1);
  });

  it('passes a malformed input to the client alone, which refuses it naming the argument', async () => {
    const shared = withSharedCalls(client);

    await expect(
      shared.describeBackups(input({ endTime: new Date(Number.NaN) })),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'endTime' });
    expect(emulator.requests).toHaveLength(0);
  });
});
