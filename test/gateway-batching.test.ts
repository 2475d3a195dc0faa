import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, instanceWith, startHarness, TEST_NOW } from './support/gateway-harness.js';

const MANY = Array.from({ length: 50 }, (_, index) => `r-many${String(index).padStart(3, '0')}`);
const LATENCY_MS = 400;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    dataset: {
      instances: {
        'r-one': instanceWith(61),
        'r-two': instanceWith(5),
        ...Object.fromEntries(MANY.map((id) => [id, instanceWith(3)])),
      },
    },
  });
});
afterAll(() => harness.close());

interface Edges {
  edges: Array<{ node: { backupId: string } }>;
}

describe('batching upstream calls within one operation', () => {
  it('makes one call for aliases that ask for the same page', async () => {
    harness.resetCalls();
    const response = await harness.query<Record<string, { backups: Edges }>>(`{
      a: instance(id: "r-one") { backups(first: 10) { edges { node { backupId } } } }
      b: instance(id: "r-one") { backups(first: 10) { edges { node { backupId } } } }
      c: instance(id: "r-one") { ...Page }
    }
    fragment Page on Instance { backups(first: 10) { edges { node { backupId } } } }`);

    expect(response.body.errors).toBeUndefined();
    expect(harness.calls()).toBe(1);
    const a = response.body.data!.a!.backups.edges.map((edge) => edge.node.backupId);
    expect(a).toHaveLength(10);
    expect(response.body.data!.b!.backups.edges.map((edge) => edge.node.backupId)).toEqual(a);
    expect(response.body.data!.c!.backups.edges.map((edge) => edge.node.backupId)).toEqual(a);
  });

  it('makes one call per distinct page, however the pages are asked for', async () => {
    harness.resetCalls();
    const response = await harness.query(`{
      instances(ids: ["r-one", "r-two", "r-one"]) {
        id
        first: backups(first: 30) { totalCount }
        aof: backups(first: 30, filter: { includeAof: true }) { totalCount }
        again: backups(filter: { includeAof: false }) { totalCount }
      }
    }`);

    expect(response.body.errors).toBeUndefined();
    // r-one and r-two, each with and without NeedAof; `again` is the default first page.
    expect(harness.calls()).toBe(4);
    const needAof = harness.emulator.requests.map((request) => request.params['NeedAof'] ?? '0');
    expect(needAof.sort()).toEqual(['0', '0', '1', '1']);
  });

  it('sends 50 instances as 50 calls that are all in flight together', async () => {
    for (const id of MANY) {
      harness.emulator.setFault(id, { LatencyMs: LATENCY_MS });
    }
    try {
      harness.resetCalls();
      const response = await harness.query<{ instances: Array<{ id: string; backups: Edges }> }>(
        `query Many($ids: [ID!]!) { instances(ids: $ids) { id backups(first: 3) { edges { node { backupId } } } } }`,
        { ids: MANY },
      );

      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!.instances.map((instance) => instance.id)).toEqual(MANY);
      expect(
        response.body.data!.instances.every((instance) => instance.backups.edges.length === 3),
      ).toBe(true);
      const requests = harness.emulator.requests;
      expect(requests).toHaveLength(50);
      expect(new Set(requests.map((request) => request.instanceId))).toEqual(new Set(MANY));
      // Every call arrived before the first could have been answered: they ran in parallel.
      const arrivals = requests.map((request) => request.time.getTime());
      expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(LATENCY_MS);
    } finally {
      for (const id of MANY) {
        harness.emulator.setFault(id, null);
      }
    }
  });

  it('refuses more than 100 ids with an error naming `ids` and makes no call', async () => {
    harness.resetCalls();
    const ids = Array.from({ length: 101 }, (_, index) => `r-x${index}`);
    const response = await harness.query(
      'query Many($ids: [ID!]!) { instances(ids: $ids) { id backups { totalCount } } }',
      { ids },
    );

    expect(response.body.data).toBeNull();
    expect(response.body.errors![0]!.message).toContain('at most 100');
    expect(response.body.errors![0]!.extensions).toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'ids',
    });
    expect(harness.calls()).toBe(0);
  });

  it('makes no upstream call for instance(id:) alone', async () => {
    harness.resetCalls();
    const response = await harness.query('{ instance(id: "r-one") { id } }');

    expect(response.body.data).toEqual({ instance: { id: 'r-one' } });
    expect(harness.calls()).toBe(0);
  });
});

describe('Instance.backupStorage', () => {
  const storage = '... on BackupStorage { fullBytes logBytes }';

  it('reuses the call the same request made for backups', async () => {
    harness.resetCalls();
    const response = await harness.query(`{
      instance(id: "r-one") {
        backupStorage { ${storage} }
        backups(first: 5, filter: { startTime: "2026-11-01T00:00:00Z" }) { totalCount }
      }
    }`);

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      instance: { backupStorage: { fullBytes: 1061, logBytes: 5000 }, backups: { totalCount: 61 } },
    });
    expect(harness.calls()).toBe(1);
  });

  it('makes one small call alone: the default first page', async () => {
    harness.resetCalls();
    const response = await harness.query(
      `{ instance(id: "r-two") { backupStorage { ${storage} } } }`,
    );

    expect(response.body.data).toEqual({
      instance: { backupStorage: { fullBytes: 1005, logBytes: 5000 } },
    });
    expect(
      harness.emulator.requests.map((request) => [request.pageSize, request.pageNumber]),
    ).toEqual([[30, 1]]);
  });
});

describe('"now"', () => {
  it('is read once per request: default windows of one operation end at the same minute', async () => {
    harness.resetCalls();
    const response = await harness.query<
      Record<string, { backups: { window: { endTime: string } } }>
    >(`{
      a: instance(id: "r-one") { backups(first: 1) { window { endTime } } }
      b: instance(id: "r-two") { backups(first: 1) { window { endTime } } }
    }`);

    expect(response.body.data!.a!.backups.window.endTime).toBe(TEST_NOW.toISOString());
    expect(response.body.data!.b!.backups.window.endTime).toBe(TEST_NOW.toISOString());
    expect(new Set(harness.emulator.requests.map((request) => request.params['EndTime']))).toEqual(
      new Set(['2026-12-01T00:00Z']),
    );
  });
});
