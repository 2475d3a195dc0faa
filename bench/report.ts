import os from 'node:os';
import type { LoadOptions } from './load.js';
import type { SuiteMeasurement } from './measure-suite.js';
import type { LoadRun, ThroughputMeasurement } from './measure-throughput.js';
import { startArgs } from './processes.js';
import { LIST_FIELDS } from './suite.js';

export interface BenchRun {
  started: Date;
  latencyMs: number;
  samples: number;
  load: LoadOptions;
  suite: SuiteMeasurement;
  throughput: ThroughputMeasurement;
  /** One-minute load average at the start and at the end of the run. */
  loadAverages: number[];
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const rps = (run: LoadRun) => `${Math.round(run.requestsPerSecond).toLocaleString('en-US')}`;
const met = (ok: boolean) => (ok ? 'met' : '**not met**');
const perRequest = (run: LoadRun) =>
  run.upstreamCallsPerRequest === null ? 'none' : run.upstreamCallsPerRequest.toFixed(2);

function machine(): string {
  const cpus = os.cpus();

  return (
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node.js ${process.version}`
  );
}

function loadRow(name: string, run: LoadRun, ceiling: LoadRun | null, target: number | null) {
  const ratio = ceiling ? run.requestsPerSecond / ceiling.requestsPerSecond : null;
  const verdict = ratio !== null && target !== null ? `${met(ratio >= target)} (≥ ${target})` : '';

  return (
    `| ${name} | ${rps(run)} | ${ms(run.latencyP50Ms)} | ${ms(run.latencyP99Ms)} | ` +
    `${perRequest(run)} | ${run.failures} | ${ratio === null ? '' : ratio.toFixed(2)} | ${verdict} |`
  );
}

/** Why each unmet target is unmet, from this run's own figures; empty when all are met. */
function whyUnmet(run: BenchRun): string {
  const { suite, throughput: t, latencyMs } = run;
  const reasons: string[] = [];
  const single = suite.cases.find((c) => c.optimumCalls === 1 && c.rounds === 1);
  if (suite.cases.some((c) => c.addedP50Ms > 2) && single) {
    reasons.push(
      `**Added latency.** One direct pop-core call to the emulator, with no gateway at all, ` +
        `answers in a p50 of ${ms(single.directP50Ms)} at L = ${latencyMs} ms: ` +
        `${ms(single.directP50Ms - latencyMs)} of pop-core's own work (signing, json-bigint ` +
        "parsing), the loopback network and the timer's lateness, which p50 − L × rounds charges " +
        'to the gateway. Over the direct calls, the gateway adds ' +
        `${ms(Math.min(...suite.cases.map((c) => c.addedOverDirectP50Ms)))} to ` +
        `${ms(Math.max(...suite.cases.map((c) => c.addedOverDirectP50Ms)))}: its CPU time per ` +
        'request, largest for the pages with the most rows (normalising and executing GraphQL ' +
        'over 300-row pages).',
    );
  }
  if (t.gatewayOne.requestsPerSecond < 0.8 * t.ceilingOne.requestsPerSecond) {
    const graphqlSide = t.gatewayOneSame.requestsPerSecond;
    const ceiling = t.ceilingOne.requestsPerSecond;
    const bound = 1 / (1 / graphqlSide + 1 / ceiling);
    reasons.push(
      `**Uncached throughput.** With no upstream call to make (one request repeated), the ` +
        `gateway answers ${Math.round(graphqlSide).toLocaleString('en-US')} req/s: that is its ` +
        'GraphQL side (HTTP, parsing the request, limits, execution, serialising 30 edges of 20 ' +
        'fields). Distinct requests add the upstream call, which is the work the pop-core ' +
        'ceiling does for its whole request. Where the costs of a request add up on shared cores, ' +
        `the two together allow about 1 / (1/${Math.round(graphqlSide)} + 1/${Math.round(ceiling)}) = ` +
        `${Math.round(bound)} req/s, ${(bound / ceiling).toFixed(2)} × the ceiling; measured: ` +
        `${(t.gatewayOne.requestsPerSecond / ceiling).toFixed(2)}. Reaching 0.8 would need the ` +
        "GraphQL side alone to run at four times the ceiling's rate. The 20-instance query " +
        'makes 20 calls a request; see docs/performance.md for the CPU of each part.',
    );
  }
  const rssMb =
    Math.max(t.peakRssOneMiB ?? Number.NaN, t.peakRssCachedMiB ?? Number.NaN) * 1.048576;
  if (!(rssMb < 200)) {
    reasons.push(
      `**Memory.** The gateway is at ${t.idleRssMiB?.toFixed(0) ?? 'n/a'} MiB resident once ` +
        'started, before any request: compiled JavaScript, but graphql-yoga, Pothos, graphql-jit, ' +
        'pop-core and the Apollo federation libraries loaded (the offline GraphiQL bundle, about ' +
        '70 MB more, only when someone opens GraphiQL). Under 64 connections, answers that wait ' +
        'long enough to be promoted fill the old generation with garbage until V8 collects it; ' +
        '`--heap-growing-percent` in the start command sets how far it may grow first, and a ' +
        'smaller value lowers the peak and the throughput with it (docs/performance.md).',
    );
  }
  if (t.gatewayCached.requestsPerSecond < 0.7 * t.memoryCeiling.requestsPerSecond) {
    reasons.push(
      '**Cached throughput.** The gateway runs its yoga plugins (query limits, request logging, ' +
        'metrics) and its loaders, planner and cursors on every request; the in-memory ceiling ' +
        'runs none of them.',
    );
  }

  return reasons.length === 0
    ? ''
    : `## Why the unmet targets are unmet\n\n${reasons.join('\n\n')}\n\n`;
}

/** bench/results.md: every figure as measured in this run. */
export function renderResults(run: BenchRun): string {
  const { suite, throughput: t, latencyMs, load } = run;
  const callsOk = suite.cases.every((c) => c.calls === c.optimumCalls);
  const latencyOk = suite.cases.every((c) => c.addedP50Ms <= 2);
  const directOk = suite.cases.every((c) => c.addedOverDirectP50Ms <= 2);
  const oneRatio = t.gatewayOne.requestsPerSecond / t.ceilingOne.requestsPerSecond;
  const manyRatio = t.gatewayMany.requestsPerSecond / t.ceilingMany.requestsPerSecond;
  const cachedRatio = t.gatewayCached.requestsPerSecond / t.memoryCeiling.requestsPerSecond;
  const rss = Math.max(t.peakRssOneMiB ?? Number.NaN, t.peakRssCachedMiB ?? Number.NaN);
  const env = Object.entries(t.gatewayEnv).map(([key, value]) => `${key}=${value}`);

  return `# Benchmark results

Measured ${run.started.toISOString()} on ${machine()}.
Reproduce with \`npm run bench\` (about six minutes); see [docs/performance.md](../docs/performance.md).

The emulator, the server under test and the load generator (autocannon, in the bench process) run
as three processes on the same machine, so they share its ${os.cpus().length} cores: figures are
ratios measured in one run, not absolute capacities. One-minute load average at the start and the
end of the run: ${run.loadAverages.map((value) => value.toFixed(2)).join(' and ')} (anything above
about 0 at the start is other work sharing the cores). The gateway runs as \`npm start\` runs it,
\`node ${startArgs().join(' ')}\`, with its defaults${env.length > 0 ? `, plus ${env.join(', ')}` : ''};
its logs at \`LOG_LEVEL=info\` go to /dev/null.

## Targets

| target | measured | verdict |
|---|---|---|
| upstream calls = optimum on every suite query | ${suite.cases.filter((c) => c.calls === c.optimumCalls).length} of ${suite.cases.length} | ${met(callsOk)} |
| added p50 latency ≤ 2 ms on every suite query (p50 − L × rounds) | worst ${ms(Math.max(...suite.cases.map((c) => c.addedP50Ms)))} | ${met(latencyOk)} |
| the same, over the direct pop-core calls instead of L × rounds | worst ${ms(Math.max(...suite.cases.map((c) => c.addedOverDirectP50Ms)))} | ${met(directOk)} |
| uncached throughput ≥ 0.8 × ceiling, one instance | ${oneRatio.toFixed(2)} | ${met(oneRatio >= 0.8)} |
| uncached throughput ≥ 0.8 × ceiling, 20 instances | ${manyRatio.toFixed(2)} | ${met(manyRatio >= 0.8)} |
| cached throughput ≥ 0.7 × cached ceiling | ${cachedRatio.toFixed(2)} | ${met(cachedRatio >= 0.7)} |
| peak RSS under the one-instance load < 200 MB | ${(rss * 1.048576).toFixed(0)} MB | ${met(rss * 1.048576 < 200)} |

${whyUnmet(run)}## (a, b) Calls and latency per suite query, emulator latency L = ${latencyMs} ms

Each query runs once for its upstream calls (counted by the emulator), then ${run.samples} times one
after another for its latency; the suite selects what a list view shows (\`${LIST_FIELDS}\` and
the cursor). "Added" is p50 − L × rounds, rounds being the upstream round trips that must follow
one another: the spec's measure. The emulator answers each call L after it arrived, its own work
inside L; the measure still charges the gateway with pop-core's work on the answer (json-bigint
parsing), the loopback network and the timer's lateness, so "direct" times the same upstream calls
made with pop-core straight from a bare HTTP server, round after round, and "added over direct" is
p50 minus that: what the gateway itself adds.

| query | calls | optimum | rounds | p50 | p99 | added p50 | direct p50 | added over direct |
|---|---|---|---|---|---|---|---|---|
${suite.cases
  .map(
    (c) =>
      `| ${c.name} | ${c.calls} | ${c.optimumCalls} | ${c.rounds} | ${ms(c.p50Ms)} | ${ms(c.p99Ms)} | ` +
      `${ms(c.addedP50Ms)} | ${ms(c.directP50Ms)} | ${ms(c.addedOverDirectP50Ms)} |`,
  )
  .join('\n')}

## (c) Throughput, L = 0, ${load.connections} connections, ${load.durationS} s each after ${load.warmupS} s of warm-up

| server | req/s | p50 | p99 | upstream calls / request | failures | ratio to ceiling | target |
|---|---|---|---|---|---|---|---|
${loadRow('pop-core ceiling, one instance (PageSize 30)', t.ceilingOne, null, null)}
${loadRow('gateway, one instance, `first: 30`, every Backup field, requests distinct', t.gatewayOne, t.ceilingOne, 0.8)}
${loadRow('gateway, the same, one request repeated (calls shared)', t.gatewayOneSame, t.ceilingOne, null)}
${loadRow('pop-core ceiling, 20 instances (PageSize 30)', t.ceilingMany, null, null)}
${loadRow('gateway, 20 instances, `first: 10`, every Backup field, requests distinct', t.gatewayMany, t.ceilingMany, 0.8)}
${loadRow('gateway, the same, one request repeated (calls shared)', t.gatewayManySame, t.ceilingMany, null)}
${loadRow('in-memory ceiling: same schema and query, rows held in memory', t.memoryCeiling, null, null)}
${loadRow('gateway with CACHE_TTL_MS=60000, same query repeated', t.gatewayCached, t.memoryCeiling, 0.7)}

"Requests distinct": each request moves \`filter.startTime\` by a minute (long before the first
backup, so the answer is the same), so no two requests make equal upstream calls and the gateway
makes every call the ceiling makes: these rows carry the targets. "One request repeated" lets
concurrent equal requests share calls (upstream calls / request below 1, or below 20), which the
ceiling cannot; they are shown for what sharing buys, not for the targets.

"Failures" are answers other than 2xx, socket errors and timeouts seen by the load generator. The
pop-core ceiling keeps at most ${t.gatewayEnv.UPSTREAM_MAX_CONCURRENCY ?? 16} calls in flight, as the gateway does
(UPSTREAM_MAX_CONCURRENCY); it does not retry, so an upstream failure is a 502 there, where the
gateway retries and shows it as upstream calls / request above 1 (or 20). Each server gets a fresh
emulator.

At L = 0 the emulator does real work per call (signature check, filtering and sorting 450 rows,
JSON): both the gateway and the pop-core ceiling call the same emulator, so the ratio is fair, but
where the emulator is the bottleneck it caps both.

## (d) Memory

Resident memory of the gateway once started, before any load: ${t.idleRssMiB?.toFixed(0) ?? 'n/a'} MiB.
Peak RSS (VmHWM) of the gateway process, in MiB: ${t.peakRssOneMiB?.toFixed(0) ?? 'n/a'} after the
one-instance run (distinct requests), ${t.peakRssMiB?.toFixed(0) ?? 'n/a'} after all four uncached runs
(the 20-instance ones included), ${t.peakRssCachedMiB?.toFixed(0) ?? 'n/a'} over the cached run.
`;
}
