import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureSuite } from './measure-suite.js';
import { measureThroughput } from './measure-throughput.js';
import { buildGateway } from './processes.js';
import { renderResults } from './report.js';

/**
 * `npm run bench`: the emulator, the gateway and the ceilings each in a process of their own, the
 * load generator here. Writes bench/results.md. Environment: BENCH_LATENCY_MS (default 50),
 * BENCH_SAMPLES (sequential requests per suite query, default 100), BENCH_DURATION_S (per load
 * run, default 10), BENCH_CONNECTIONS (default 64), BENCH_GATEWAY_ENV (extra gateway variables as
 * JSON; default '{"UPSTREAM_MAX_CONCURRENCY":"64"}'), BENCH_OUT (default bench/results.md).
 */
const numberFrom = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number; got ${process.env[name]}`);
  }

  return value;
};

const latencyMs = numberFrom('BENCH_LATENCY_MS', 50);
const samples = numberFrom('BENCH_SAMPLES', 100);
const load = {
  connections: numberFrom('BENCH_CONNECTIONS', 64),
  durationS: numberFrom('BENCH_DURATION_S', 10),
  warmupS: numberFrom('BENCH_WARMUP_S', 3),
};
// 16 slots (the default) would split the 20 calls of a 20-instance query into two rounds.
const gatewayEnv = JSON.parse(
  process.env.BENCH_GATEWAY_ENV ?? '{"UPSTREAM_MAX_CONCURRENCY":"64"}',
) as Record<string, string>;
const out = process.env.BENCH_OUT ?? fileURLToPath(new URL('results.md', import.meta.url));

process.stderr.write('building the gateway (npm run build)\n');
buildGateway();
const started = new Date();
// Other work on the machine shares its cores with the three processes measured.
const loadAtStart = os.loadavg()[0] ?? Number.NaN;
process.stderr.write(`suite at L = ${latencyMs} ms, ${samples} samples a query\n`);
const suite = await measureSuite(latencyMs, samples, gatewayEnv);
process.stderr.write(`throughput at L = 0, ${load.connections} connections, ${load.durationS} s\n`);
const throughput = await measureThroughput(load, gatewayEnv);
const loadAverages = [loadAtStart, os.loadavg()[0] ?? Number.NaN];
const text = renderResults({ started, latencyMs, samples, load, suite, throughput, loadAverages });
await writeFile(out, text);
process.stdout.write(text);
