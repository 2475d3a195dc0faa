/**
 * `tsx bench/cpu-split.ts [both|ceiling|gateway|gateway-same]`: the one-instance load of the
 * bench (64 connections, L = 0, BENCH_DURATION_S seconds after 3 of warm-up) against the pop-core
 * ceiling, the gateway (requests distinct) or the gateway with one request repeated, and the CPU
 * each process spent a request (from /proc/<pid>/stat: server, emulator, load generator) with the
 * server's peak RSS. GATEWAY_NODE_ARGS adds node flags to the gateway's start command, to compare
 * V8 settings side by side. "both" runs the two servers one after the other on one emulator,
 * where `npm run bench` gives each a fresh one.
 */
import { readFileSync } from 'node:fs';
import { measureLoad } from './load.js';
import { oneInstanceQuery } from './measure-throughput.js';
import { buildGateway, forkChild, startGateway } from './processes.js';

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');

  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const durationS = Number(process.env.BENCH_DURATION_S ?? '8');
const which = process.argv[2] ?? 'both';
buildGateway();
const emulator = await forkChild('emulator.ts', { BENCH_LATENCY_MS: '0' });
const targets: {
  name: string;
  peak?: () => number | null;
  pid: number;
  url: string;
  body: unknown;
  stop: () => Promise<void>;
}[] = [];
if (which !== 'gateway') {
  const ceiling = await forkChild('pop-core-ceiling.ts', {
    BENCH_UPSTREAM_URL: emulator.url,
    BENCH_MAX_SOCKETS: '64',
  });
  targets.push({
    name: 'ceiling',
    pid: ceiling.pid,
    url: `${ceiling.url}/?instances=1&pageSize=30`,
    body: {},
    stop: ceiling.stop,
  });
}
if (which !== 'ceiling') {
  const gateway = await startGateway(
    emulator.url,
    { UPSTREAM_MAX_CONCURRENCY: '64' },
    (process.env.GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean),
  );
  targets.push({
    name: 'gateway',
    peak: gateway.peakRssMiB,
    pid: gateway.pid,
    url: gateway.url,
    body: which === 'gateway-same' ? oneInstanceQuery() : oneInstanceQuery,
    stop: gateway.stop,
  });
}
for (const target of targets) {
  await measureLoad(target.url, target.body, { connections: 64, durationS: 3, warmupS: 0 });
  const before = [cpuSeconds(target.pid), cpuSeconds(emulator.pid), process.cpuUsage()];
  const result = await measureLoad(target.url, target.body, {
    connections: 64,
    durationS,
    warmupS: 0,
  });
  const self = process.cpuUsage(before[2] as NodeJS.CpuUsage);
  const perRequest = (seconds: number) => ((seconds * 1000) / result.total).toFixed(3);
  process.stdout.write(
    `${target.name}: ${Math.round(result.requestsPerSecond)} req/s; ms CPU a request: server ${perRequest(
      cpuSeconds(target.pid) - (before[0] as number),
    )}, emulator ${perRequest(cpuSeconds(emulator.pid) - (before[1] as number))}, load generator ${perRequest(
      (self.user + self.system) / 1e6,
    )}; peak RSS ${target.peak?.()?.toFixed(0) ?? '-'} MiB\n`,
  );
}
for (const target of targets) {
  await target.stop();
}
await emulator.stop();
