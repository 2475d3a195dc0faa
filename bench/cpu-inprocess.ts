/**
 * `tsx bench/cpu-inprocess.ts [popcore] [client] [gateway]` (all three when none is named): CPU
 * time a request in this one process, best of 3 rounds of 2,000 requests, CONC at a time
 * (default 16), the emulator in a child process at L = 0. "popcore" is the bare pop-core call
 * the ceiling makes, "client" our client's describeBackups (normalisation, retries and the
 * concurrency limit on top), "gateway" the bench's one-instance query through `yoga.fetch` (no
 * HTTP server). The "CPU a request" figures of docs/performance.md come from here.
 */
import http from 'node:http';
import RPCClient from '@alicloud/pop-core';
import { DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET } from '../src/emulator/demo-data.js';
import { silentLogger } from '../src/logger.js';
import { createGateway } from '../src/server.js';
import { createTairClient } from '../src/tair/client.js';
import { formatRequestTime } from '../src/tair/request.js';
import { withSharedCalls } from '../src/tair/shared-calls.js';
import { ACTION, API_VERSION } from '../src/wire/describe-backups.js';
import { BENCH_INSTANCES } from './dataset.js';
import { oneInstanceQuery } from './measure-throughput.js';
import { forkChild } from './processes.js';

const emulator = await forkChild('emulator.ts', { BENCH_LATENCY_MS: '0' });
const credentials = {
  kind: 'static' as const,
  accessKeyId: DEMO_ACCESS_KEY_ID,
  accessKeySecret: DEMO_ACCESS_KEY_SECRET,
};
const rpc = new RPCClient({
  endpoint: emulator.url,
  apiVersion: API_VERSION,
  accessKeyId: DEMO_ACCESS_KEY_ID,
  accessKeySecret: DEMO_ACCESS_KEY_SECRET,
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const client = createTairClient({ endpoint: emulator.url, credentials, maxConcurrency: 64 });
const gateway = createGateway({
  client: withSharedCalls(client, { logger: silentLogger }),
  logger: silentLogger,
});
const end = formatRequestTime(new Date(Math.ceil(Date.now() / 60000) * 60000));

async function measure(
  name: string,
  total: number,
  concurrency: number,
  one: (i: number) => Promise<unknown>,
) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      await one(next++);
    }
  };
  const run = async () => {
    next = 0;
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  await run();
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000 / total);
  }
  process.stdout.write(`${name}: ${best.toFixed(3)} ms CPU each (best of 3 x ${total})\n`);
}

const which = process.argv.slice(2);
const wants = (name: string) => which.length === 0 || which.includes(name);
if (wants('popcore')) {
  await measure('raw pop-core call', 2000, Number(process.env.CONC ?? 16), () =>
    rpc.request(
      ACTION,
      {
        InstanceId: BENCH_INSTANCES[0],
        StartTime: '2010-01-01T00:00Z',
        EndTime: end,
        PageSize: '30',
        PageNumber: '1',
      },
      { method: 'POST', timeout: 10000, agent },
    ),
  );
}
if (wants('client')) {
  await measure('client.describeBackups', 2000, Number(process.env.CONC ?? 16), (i) =>
    client.describeBackups({
      instanceId: BENCH_INSTANCES[0]!,
      startTime: new Date(Date.UTC(2010, 0, 1) + i * 60000),
      endTime: new Date(Math.ceil(Date.now() / 60000) * 60000),
      pageSize: 30,
      pageNumber: 1,
    }),
  );
}
if (wants('gateway')) {
  await measure('gateway yoga.fetch', 2000, Number(process.env.CONC ?? 16), async (i) => {
    const response = await gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(oneInstanceQuery(i)),
    });
    const text = await response.text();
    if (!text.includes('"edges"') || text.includes('"errors"')) throw new Error(text.slice(0, 300));
  });
}
client.close();
agent.destroy();
await emulator.stop();
