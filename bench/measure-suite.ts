import { BENCH_INSTANCES } from './dataset.js';
import { percentile, postJson } from './http.js';
import { type Child, forkChild, startGateway } from './processes.js';
import { type SuiteCase, suiteCases } from './suite.js';

/** One suite query: the calls it made, and its latency against the emulator's. */
export interface SuiteResult {
  name: string;
  calls: number;
  optimumCalls: number;
  rounds: number;
  p50Ms: number;
  p99Ms: number;
  /** p50 − L × rounds: what the gateway adds to the least time any gateway would take. */
  addedP50Ms: number;
  /** p50 of the same upstream calls made directly with pop-core, round after round. */
  directP50Ms: number;
  /** p50 − directP50Ms: the emulator's and the network's own time taken out. */
  addedOverDirectP50Ms: number;
}

export interface SuiteMeasurement {
  cases: SuiteResult[];
}

function checkAnswer(name: string, text: string): void {
  const body = JSON.parse(text) as { errors?: unknown; data?: unknown };
  if (body.errors !== undefined || body.data == null || /"error":\{/.test(text)) {
    throw new Error(`suite case "${name}" did not answer cleanly: ${text.slice(0, 500)}`);
  }
}

async function callsOf(emulator: Child): Promise<number> {
  return (await emulator.ask<{ count: number }>({ type: 'calls' })).count;
}

async function sequentialLatency(url: string, body: unknown, samples: number): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < samples + 3; index++) {
    const { status, ms } = await postJson(url, body);
    if (status !== 200) {
      throw new Error(`${url} answered ${status} while timing`);
    }
    // The first three only warm the sockets and the JIT.
    if (index >= 3) {
      times.push(ms);
    }
  }

  return times;
}

async function measureCase(
  gateway: Child,
  emulator: Child,
  testCase: SuiteCase,
  latencyMs: number,
  samples: number,
): Promise<SuiteResult> {
  const body = { query: testCase.query, variables: testCase.variables };
  const before = await callsOf(emulator);
  const first = await postJson(gateway.url, body);
  const calls = (await callsOf(emulator)) - before;
  checkAnswer(testCase.name, first.text);
  const times = await sequentialLatency(gateway.url, body, samples);
  const p50Ms = percentile(times, 0.5);

  return {
    name: testCase.name,
    calls,
    optimumCalls: testCase.optimumCalls,
    rounds: testCase.rounds,
    p50Ms,
    p99Ms: percentile(times, 0.99),
    addedP50Ms: p50Ms - latencyMs * testCase.rounds,
    directP50Ms: Number.NaN,
    addedOverDirectP50Ms: Number.NaN,
  };
}

/** (a) and (b): each suite query once for its calls, then `samples` times one after another. */
export async function measureSuite(
  latencyMs: number,
  samples: number,
  gatewayEnv: Record<string, string>,
): Promise<SuiteMeasurement> {
  const emulator = await forkChild('emulator.ts', { BENCH_LATENCY_MS: String(latencyMs) });
  const gateway = await startGateway(emulator.url, gatewayEnv);
  const direct = await forkChild('pop-core-ceiling.ts', { BENCH_UPSTREAM_URL: emulator.url });
  try {
    const listing = await postJson(gateway.url, {
      query: `query($id: ID!) { instance(id: $id) { backups(first: 300) { edges { cursor } } } }`,
      variables: { id: BENCH_INSTANCES[0] },
    });
    const edges = (
      JSON.parse(listing.text) as {
        data: { instance: { backups: { edges: { cursor: string }[] } } };
      }
    ).data.instance.backups.edges;
    const cases = suiteCases((offset) => edges[offset]!.cursor);

    const results: SuiteResult[] = [];
    for (const testCase of cases) {
      results.push(await measureCase(gateway, emulator, testCase, latencyMs, samples));
      process.stderr.write(`  suite: ${testCase.name}\n`);
    }
    // The direct calls of each round, timed alone; a case's baseline is the sum over its rounds.
    const directP50 = new Map<string, number>();
    for (const testCase of cases) {
      let total = 0;
      for (const { instances, pageSize, pages, short } of testCase.direct) {
        const query = `instances=${instances}&pageSize=${pageSize}&pages=${pages}${short ? '&short=1' : ''}`;
        if (!directP50.has(query)) {
          const times = await sequentialLatency(`${direct.url}/?${query}`, {}, samples);
          directP50.set(query, percentile(times, 0.5));
        }
        total += directP50.get(query)!;
      }
      const result = results.find((candidate) => candidate.name === testCase.name)!;
      result.directP50Ms = total;
      result.addedOverDirectP50Ms = result.p50Ms - total;
    }

    return { cases: results };
  } finally {
    await Promise.all([gateway.stop(), direct.stop()]);
    await emulator.stop();
  }
}
