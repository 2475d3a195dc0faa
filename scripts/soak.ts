/**
 * Soak test (not in CI): N concurrent clients for T seconds against the gateway over node:http,
 * with mixed queries and injected upstream faults. Reports outcomes by type, p50/p99 latency and
 * heap growth, and exits non-zero on any 5xx, unhandled rejection or heap growth past the bound.
 *
 *   npm run soak -- --clients 32 --seconds 60
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createDemoDataset, DEMO_INSTANCE_IDS } from '../src/emulator/demo-data.js';
import { generateBackups } from '../src/emulator/generate-backups.js';
import { startEmulator } from '../src/emulator/server.js';
import type { EmulatorFault } from '../src/emulator/types.js';
import { createLogger } from '../src/logger.js';
import { createGateway } from '../src/server.js';
import { createTairClient } from '../src/tair/client.js';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: process.env.SOAK_CLIENTS ?? '32' },
    seconds: { type: 'string', default: process.env.SOAK_SECONDS ?? '60' },
    // Heap growth allowed between the end of warm-up and the end, after a full GC.
    'max-growth-mb': { type: 'string', default: '16' },
  },
});
const CLIENTS = Number(args.clients);
const SECONDS = Number(args.seconds);
const MAX_GROWTH_MB = Number(args['max-growth-mb']);

const FAULTS: Record<string, EmulatorFault> = {
  'r-soak-throttled': { Code: 'Throttling.User', HttpStatus: 400, Times: 2 },
  'r-soak-internal': { Code: 'InternalError', HttpStatus: 500 },
  'r-soak-html': { Body: '<html>502 Bad Gateway</html>', HttpStatus: 502 },
  'r-soak-reset': { Reset: true },
  'r-soak-slow': { LatencyMs: 2000 },
};

let unhandled = 0;
process.on('unhandledRejection', (reason) => {
  unhandled += 1;
  console.error('unhandled rejection:', reason);
});

const gc = (globalThis as { gc?: () => void }).gc;
function heapMb(): number {
  gc?.();
  gc?.();

  return process.memoryUsage().heapUsed / 2 ** 20;
}

const dataset = createDemoDataset();
for (const [id, Fault] of Object.entries(FAULTS)) {
  dataset.instances[id] = {
    Backups: generateBackups({
      instanceId: id,
      count: 20,
      newest: new Date('2026-11-30T10:00:17Z'),
      intervalMinutes: 60,
    }),
    Fault,
  };
}
const emulator = await startEmulator({ dataset });
const logger = createLogger({ level: 'silent' });
const client = createTairClient({
  endpoint: emulator.url,
  credentials: {
    kind: 'static',
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
  },
  timeoutMs: 500,
  deadlineMs: 1500,
});
const server = createServer(createGateway({ client, logger }));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

const ERROR = '__typename ... on Error { code }';
const PAGE = `totalCount error { ${ERROR} } pageInfo { endCursor hasNextPage } edges { node { id backupId startTime sizeBytes } }`;
const FAULTY = Object.keys(FAULTS);
const ALL = [...Object.values(DEMO_INSTANCE_IDS), ...FAULTY, 'r-soak-absent'];

type Operation = () => { query: string; variables?: Record<string, unknown> };
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const cursors: string[] = [];
const OPERATIONS: Operation[] = [
  () => ({
    query: `query($id: ID!) { instance(id: $id) { backups(first: 10) { ${PAGE} } } }`,
    variables: { id: pick(ALL) },
  }),
  () => ({
    query: `{ instance(id: "${DEMO_INSTANCE_IDS.large}") { backups(first: 50, after: ${JSON.stringify(cursors.pop() ?? null)}) { ${PAGE} } } }`,
  }),
  () => ({
    query: `{ instance(id: "${DEMO_INSTANCE_IDS.large}") { backups(last: 20) { ${PAGE} } } }`,
  }),
  () => ({
    query: `query($ids: [ID!]!) { instances(ids: $ids) { backupStorage { ${ERROR} } backups(first: 3) { ${PAGE} } } }`,
    variables: { ids: ALL },
  }),
  () => ({
    query: `query($id: ID!) { instance(id: $id) { backupStorage { ${ERROR} } } }`,
    variables: { id: pick(FAULTY) },
  }),
  () => ({
    query: `{ instance(id: "${DEMO_INSTANCE_IDS.standard}") { backups(after: "garbage") { ${PAGE} } } }`,
  }),
  () => ({
    query: `{ instance(id: "r-x") { backups(filter: { startTime: "yesterday" }) { totalCount } } }`,
  }),
  () => ({
    query: `query($ids: [ID!]!) { instances(ids: $ids) { backups(first: 300) { ${PAGE} } } }`,
    variables: { ids: Array(100).fill('r-x') },
  }),
];

const outcomes = new Map<string, number>();
const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
const latencies: number[] = [];

function tally(status: number, body: unknown): void {
  count(`HTTP ${status}`);
  const text = JSON.stringify(body);
  for (const match of text.matchAll(/"__typename":"(\w+Error)"/g)) {
    count(`typed ${match[1]}`);
  }
  for (const match of text.matchAll(/"code":"(GRAPHQL_\w+|BAD_\w+)"/g)) {
    count(`request ${match[1]}`);
  }
  for (const match of text.matchAll(/"endCursor":"([\w-]+)","hasNextPage":true/g)) {
    if (cursors.length < 1000) {
      cursors.push(match[1]!);
    }
  }
}

async function clientLoop(until: number): Promise<void> {
  while (performance.now() < until) {
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
        },
        body: JSON.stringify(pick(OPERATIONS)()),
      });
      tally(response.status, await response.json());
    } catch (error) {
      count(`client failure ${(error as Error).name}`);
    }
    latencies.push(performance.now() - started);
  }
}

// The throttled instance recovers after two calls; re-arm it so it keeps throttling.
const rearm = setInterval(() => {
  emulator.setFault('r-soak-throttled', FAULTS['r-soak-throttled']!);
  emulator.clearRequests();
}, 250);

const warmupMs = Math.min(10_000, (SECONDS * 1000) / 5);
const end = performance.now() + SECONDS * 1000;
const loops = Array.from({ length: CLIENTS }, () => clientLoop(end));
await new Promise((resolve) => setTimeout(resolve, warmupMs));
const heapAfterWarmup = heapMb();
const samples = [heapAfterWarmup];
const sampler = setInterval(() => samples.push(heapMb()), 5000);
await Promise.all(loops);
clearInterval(sampler);
clearInterval(rearm);
await new Promise((resolve) => setTimeout(resolve, 500));
const heapAtEnd = heapMb();

server.closeAllConnections();
server.close();
client.close();
await emulator.close();

latencies.sort((a, b) => a - b);
const percentile = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
const fivexx = [...outcomes]
  .filter(([key]) => /^HTTP 5/.test(key))
  .reduce((sum, [, n]) => sum + n, 0);
const growth = heapAtEnd - heapAfterWarmup;

console.log(
  `soak: ${CLIENTS} clients × ${SECONDS} s, ${latencies.length} requests (${(latencies.length / SECONDS).toFixed(0)}/s)`,
);
for (const [key, n] of [...outcomes].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${key.padEnd(40)} ${n}`);
}
console.log(
  `latency: p50 ${percentile(50).toFixed(1)} ms, p99 ${percentile(99).toFixed(1)} ms, max ${percentile(100).toFixed(1)} ms`,
);
console.log(
  `heap after GC: ${heapAfterWarmup.toFixed(1)} MB after warm-up, ${heapAtEnd.toFixed(1)} MB at the end (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB); samples ${samples.map((mb) => mb.toFixed(0)).join(' ')}${gc ? '' : ' (run with --expose-gc for exact figures)'}`,
);
console.log(`5xx: ${fivexx}, unhandled rejections: ${unhandled}`);

const failed = fivexx > 0 || unhandled > 0 || growth > MAX_GROWTH_MB;
console.log(failed ? 'SOAK FAILED' : 'SOAK PASSED');
process.exit(failed ? 1 : 0);
