import { BENCH_INSTANCES } from './dataset.js';
import { postJson } from './http.js';
import { type LoadOptions, type LoadResult, measureLoad } from './load.js';
import { type Child, forkChild, startGateway } from './processes.js';
import { BACKUP_FIELDS } from './suite.js';

const BASE_START_MS = Date.UTC(2010, 0, 1);

/**
 * The one-instance query of (c): `first: 30`, every Backup field. `index` moves filter.startTime
 * by whole minutes long before the first backup: the answer is the same, but no two requests
 * make equal upstream calls, so nothing is shared between them.
 */
export const oneInstanceQuery = (index = 0) => ({
  query: `query One($id: ID!, $start: DateTime!) { instance(id: $id) {
    backups(first: 30, filter: { startTime: $start }) { totalCount
    pageInfo { hasNextPage endCursor } edges { cursor node { ${BACKUP_FIELDS} } } error { code } } } }`,
  variables: {
    id: BENCH_INSTANCES[0],
    start: new Date(BASE_START_MS + index * 60_000).toISOString(),
  },
});

/** The 20-instance query of (c): `first: 10` each, every Backup field; `index` as above. */
export const manyInstancesQuery = (index = 0) => ({
  query: `query Many($ids: [ID!]!, $start: DateTime!) { instances(ids: $ids) {
    backups(first: 10, filter: { startTime: $start }) { totalCount
    edges { node { ${BACKUP_FIELDS} } } error { code } } } }`,
  variables: {
    ids: BENCH_INSTANCES,
    start: new Date(BASE_START_MS + index * 60_000).toISOString(),
  },
});

/** One load run and, for the gateway, what it cost upstream and in memory. */
export interface LoadRun extends LoadResult {
  /** Upstream calls per answered request during the run; null for the in-memory ceiling. */
  upstreamCallsPerRequest: number | null;
}

export interface ThroughputMeasurement {
  ceilingOne: LoadRun;
  ceilingMany: LoadRun;
  /** Every request distinct: the gateway's own cost per call, against the ceiling's. */
  gatewayOne: LoadRun;
  gatewayMany: LoadRun;
  /** The same request repeated: concurrent equal requests share upstream calls. */
  gatewayOneSame: LoadRun;
  gatewayManySame: LoadRun;
  memoryCeiling: LoadRun;
  gatewayCached: LoadRun;
  /** Peak RSS of the uncached gateway after the one-instance run, and after all its runs, MiB. */
  peakRssOneMiB: number | null;
  peakRssMiB: number | null;
  peakRssCachedMiB: number | null;
  /** Resident memory of the gateway once it answers, before any load, MiB. */
  idleRssMiB: number | null;
  gatewayEnv: Record<string, string>;
}

async function checked(url: string, body: unknown): Promise<void> {
  const answer = await postJson(url, typeof body === 'function' ? body(0) : body);
  if (answer.status !== 200 || /"errors"|"error":\{/.test(answer.text)) {
    throw new Error(
      `${url} did not answer cleanly (${answer.status}): ${answer.text.slice(0, 500)}`,
    );
  }
}

async function run(
  target: string,
  body: unknown,
  options: LoadOptions,
  emulator: Child,
  counts: boolean,
): Promise<LoadRun> {
  await checked(target, body);
  if (options.warmupS > 0) {
    await measureLoad(target, body, { ...options, durationS: options.warmupS });
  }
  const before = (await emulator.ask<{ count: number }>({ type: 'calls' })).count;
  const result = await measureLoad(target, body, { ...options, warmupS: 0 });
  const after = (await emulator.ask<{ count: number }>({ type: 'calls' })).count;
  process.stderr.write(`  load: ${target} ${Math.round(result.requestsPerSecond)} req/s\n`);
  // Requests still in flight when the run ended add a few calls: the figure is a close estimate.
  const perRequest = (after - before) / result.total;

  return { ...result, upstreamCallsPerRequest: counts ? perRequest : null };
}

/** A fresh emulator for each server: nothing one load leaves behind reaches the next. */
async function withEmulator<T>(use: (emulator: Child) => Promise<T>): Promise<T> {
  const emulator = await forkChild('emulator.ts', { BENCH_LATENCY_MS: '0' });
  try {
    return await use(emulator);
  } finally {
    await emulator.stop();
  }
}

/** (c) and (d), at an emulator latency of 0: each server alone in its own process, in turn. */
export async function measureThroughput(
  options: LoadOptions,
  gatewayEnv: Record<string, string>,
): Promise<ThroughputMeasurement> {
  const maxSockets = gatewayEnv.UPSTREAM_MAX_CONCURRENCY ?? '16';
  const ceilingRun = (instances: number) =>
    withEmulator(async (emulator) => {
      const ceiling = await forkChild('pop-core-ceiling.ts', {
        BENCH_UPSTREAM_URL: emulator.url,
        BENCH_MAX_SOCKETS: maxSockets,
      });
      try {
        return await run(
          `${ceiling.url}/?instances=${instances}&pageSize=30`,
          {},
          options,
          emulator,
          true,
        );
      } finally {
        await ceiling.stop();
      }
    });
  const ceilingOne = await ceilingRun(1);
  const ceilingMany = await ceilingRun(BENCH_INSTANCES.length);

  const uncached = await withEmulator(async (emulator) => {
    const gateway = await startGateway(emulator.url, gatewayEnv);
    try {
      const idleRssMiB = gateway.rssMiB();
      const gatewayOne = await run(gateway.url, oneInstanceQuery, options, emulator, true);
      const peakRssOneMiB = gateway.peakRssMiB();
      const gatewayMany = await run(gateway.url, manyInstancesQuery, options, emulator, true);
      const gatewayOneSame = await run(gateway.url, oneInstanceQuery(), options, emulator, true);
      const gatewayManySame = await run(gateway.url, manyInstancesQuery(), options, emulator, true);
      const peakRssMiB = gateway.peakRssMiB();

      return {
        idleRssMiB,
        gatewayOne,
        peakRssOneMiB,
        gatewayMany,
        gatewayOneSame,
        gatewayManySame,
        peakRssMiB,
      };
    } finally {
      await gateway.stop();
    }
  });

  const memoryCeiling = await withEmulator(async (emulator) => {
    const memory = await forkChild('memory-ceiling.ts', { BENCH_UPSTREAM_URL: emulator.url });
    try {
      return await run(memory.url, oneInstanceQuery(), options, emulator, false);
    } finally {
      await memory.stop();
    }
  });

  const cached = await withEmulator(async (emulator) => {
    const cachedGateway = await startGateway(emulator.url, {
      ...gatewayEnv,
      CACHE_TTL_MS: '60000',
    });
    try {
      const gatewayCached = await run(
        cachedGateway.url,
        oneInstanceQuery(),
        options,
        emulator,
        true,
      );

      return { gatewayCached, peakRssCachedMiB: cachedGateway.peakRssMiB() };
    } finally {
      await cachedGateway.stop();
    }
  });

  return {
    ceilingOne,
    ceilingMany,
    ...uncached,
    memoryCeiling,
    ...cached,
    gatewayEnv,
  };
}
