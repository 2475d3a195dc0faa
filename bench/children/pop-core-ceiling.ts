import http, { createServer } from 'node:http';
import RPCClient from '@alicloud/pop-core';
import { DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET } from '../../src/emulator/demo-data.js';
import { formatRequestTime } from '../../src/tair/request.js';
import { ACTION, API_VERSION } from '../../src/wire/describe-backups.js';
import { BENCH_INSTANCES, SHORT_INSTANCE } from '../dataset.js';

/**
 * The uncached ceiling: an HTTP server that makes the same upstream calls as the gateway with
 * pop-core directly (one shared client, POST, keep-alive, the gateway's bound on calls in flight)
 * and returns their JSON. No GraphQL, no
 * validation, no normalisation, no retries. `?instances=n&pageSize=s&pages=p` picks the calls:
 * pages 1 to p of each of the first n bench instances (or of the short one, with `short=1`), all
 * at once.
 */
const endpoint = process.env.BENCH_UPSTREAM_URL!;
const rpc = new RPCClient({
  endpoint,
  apiVersion: API_VERSION,
  accessKeyId: DEMO_ACCESS_KEY_ID,
  accessKeySecret: DEMO_ACCESS_KEY_SECRET,
});
const MINUTE_MS = 60_000;
/**
 * At most BENCH_MAX_SOCKETS calls in flight (the gateway's UPSTREAM_MAX_CONCURRENCY), on
 * keep-alive connections: unbounded, a 20-instance load opened over a thousand connections at
 * once and the emulator's listener reset some, which made the ceiling lower, not higher.
 */
const agent = new http.Agent({
  keepAlive: true,
  maxSockets: Number(process.env.BENCH_MAX_SOCKETS ?? '64'),
});

const server = createServer((request, response) => {
  request.resume();
  request.on('end', async () => {
    const url = new URL(request.url ?? '/', 'http://ceiling');
    const count = Number(url.searchParams.get('instances') ?? '1');
    const pageSize = url.searchParams.get('pageSize') ?? '30';
    const pages = Number(url.searchParams.get('pages') ?? '1');
    const end = new Date(Math.ceil(Date.now() / MINUTE_MS) * MINUTE_MS);
    try {
      const instances =
        url.searchParams.get('short') === '1' ? [SHORT_INSTANCE] : BENCH_INSTANCES.slice(0, count);
      const calls = instances.flatMap((instanceId) =>
        Array.from({ length: pages }, (_, index) =>
          rpc.request(
            ACTION,
            {
              InstanceId: instanceId,
              StartTime: '2010-01-01T00:00Z',
              EndTime: formatRequestTime(end),
              PageSize: pageSize,
              PageNumber: String(index + 1),
            },
            { method: 'POST', timeout: 10_000, agent },
          ),
        ),
      );
      const answers = await Promise.all(calls);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answers));
    } catch (error) {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` });
});
process.on('disconnect', () => process.exit(0));
// An exit, not a kill, so that --cpu-prof writes its profile.
process.on('SIGTERM', () => process.exit(0));
