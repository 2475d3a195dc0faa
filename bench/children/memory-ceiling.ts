import { createServer } from 'node:http';
import { type GraphQLObjectType, getNamedType } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET } from '../../src/emulator/demo-data.js';
import { createBackupLoaders } from '../../src/loaders/backup-loaders.js';
import { silentLogger } from '../../src/logger.js';
import { resolveBackupConnection } from '../../src/schema/backup-connection.js';
import type { GatewayContext } from '../../src/schema/context.js';
import { gatewaySchema } from '../../src/schema/index.js';
import { createTairClient } from '../../src/tair/client.js';
import { BENCH_INSTANCES } from '../dataset.js';

/**
 * The cached ceiling: the gateway's own schema served by graphql-yoga, with `Instance.backups`
 * answering one connection held in memory. Per request there are no loaders, no planner and no
 * client; the Backup fields resolve exactly as in the gateway. The held connection is fetched
 * once at start, through the real path, so its rows and cursors are the gateway's.
 */
const first = Number(process.env.BENCH_FIRST ?? '30');
const client = createTairClient({
  endpoint: process.env.BENCH_UPSTREAM_URL!,
  credentials: {
    kind: 'static',
    accessKeyId: DEMO_ACCESS_KEY_ID,
    accessKeySecret: DEMO_ACCESS_KEY_SECRET,
  },
});
const now = new Date();
const held = await resolveBackupConnection(
  { id: BENCH_INSTANCES[0]!, argument: 'id' },
  { first },
  createBackupLoaders(client, silentLogger),
  now,
);
client.close();
if (held.error !== null) {
  throw new Error(`the held page could not be fetched: ${held.error.message}`);
}

const schema = gatewaySchema();
const instance = getNamedType(schema.getType('Instance')) as GraphQLObjectType;
instance.getFields().backups!.resolve = () => held;

const refuse = () => Promise.reject(new Error('the memory ceiling makes no upstream call'));
const yoga = createYoga<Record<string, unknown>, GatewayContext>({
  schema,
  landingPage: false,
  graphiql: false,
  logging: false,
  context: () => ({
    loaders: { page: refuse, anyPage: refuse, upstreamCalls: 0 },
    now,
    logger: silentLogger,
    settings: { withholdDownloadUrls: false },
  }),
});

const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}/graphql` });
});
process.on('disconnect', () => process.exit(0));
// An exit, not a kill, so that --cpu-prof writes its profile.
process.on('SIGTERM', () => process.exit(0));
