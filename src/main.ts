import { createServer, type ServerResponse } from 'node:http';
import { createLruCallCache } from './cache/lru-call-cache.js';
import { ConfigError, type GatewayConfig, loadConfig } from './config.js';
import { DatasetError, loadDatasetFile } from './emulator/dataset.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_ACCESS_KEY_SECRET,
  DEMO_INSTANCE_IDS,
} from './emulator/demo-data.js';
import { type RunningEmulator, startEmulator } from './emulator/server.js';
import { createLogger, type Logger } from './logger.js';
import { Readiness } from './plugins/use-health.js';
import { createGatewayMetrics } from './plugins/use-metrics.js';
import { createGateway } from './server.js';
import { createTairClient, type TairClientOptions } from './tair/client.js';
import { withSharedCalls } from './tair/shared-calls.js';
import type { DescribeBackupsPage } from './tair/types.js';

async function upstreamFor(
  config: GatewayConfig,
  logger: Logger,
): Promise<{
  emulator: RunningEmulator | null;
  /** The instances the emulator serves, to name at start; empty in cloud mode. */
  instanceIds: string[];
  options: Pick<TairClientOptions, 'endpoint' | 'credentials'>;
}> {
  if (config.upstream) {
    return { emulator: null, instanceIds: [], options: config.upstream };
  }

  const dataset = config.emulatorData
    ? await loadDatasetFile(config.emulatorData).catch((error: unknown) => {
        // The file's own problem, named by the variable that pointed at it.
        throw error instanceof DatasetError
          ? new ConfigError([`EMULATOR_DATA: ${error.message}`])
          : error;
      })
    : undefined;
  const emulator = await startEmulator({
    logger: logger.child({ component: 'emulator' }),
    ...(dataset ? { dataset } : {}),
  });

  return {
    emulator,
    instanceIds: dataset ? Object.keys(dataset.instances) : Object.values(DEMO_INSTANCE_IDS),
    options: {
      endpoint: emulator.url,
      credentials: {
        kind: 'static',
        accessKeyId: DEMO_ACCESS_KEY_ID,
        accessKeySecret: DEMO_ACCESS_KEY_SECRET,
      },
    },
  };
}

/** Why the server could not listen, in the words of the variables that decide it. */
function listenProblem(error: NodeJS.ErrnoException, config: GatewayConfig): string {
  const where = `${config.host}:${config.port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `PORT ${config.port} is already in use on ${config.host}; set PORT to a free port (or 0 for any)`;
    case 'EACCES':
      return `PORT ${config.port} needs privileges this process does not have; choose a port above 1023`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `HOST ${JSON.stringify(config.host)} is not an address of this machine (${error.code}); use 127.0.0.1, 0.0.0.0 or one of its interfaces`;
    default:
      return `could not listen on ${where}: ${error.code ?? error.message}`;
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.stdout.isTTY === true);
  const logger = createLogger({ level: config.logLevel, pretty: config.prettyLogs });
  // A bug that loses a promise must not take every other request down with the process.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection; the process goes on');
  });
  if (config.ignoredVariables.length > 0) {
    logger.warn(
      { ignored: config.ignoredVariables },
      `${config.ignoredVariables.join(', ')} set but not read in ${config.mode} mode (TAIR_MODE, README "Configuration")`,
    );
  }
  const { emulator, instanceIds, options } = await upstreamFor(config, logger);
  const metrics = createGatewayMetrics();
  const readiness = new Readiness();
  const client = createTairClient({
    ...options,
    logger: logger.child({ component: 'tair-client' }),
    timeoutMs: config.upstreamTimeoutMs,
    maxAttempts: config.upstreamMaxAttempts,
    deadlineMs: config.upstreamDeadlineMs,
    maxConcurrency: config.upstreamMaxConcurrency,
    onUpstreamCall: metrics.observeUpstreamCall,
  });
  // Equal calls in flight for different requests share one; CACHE_TTL_MS > 0 also keeps answers.
  const sharedClient = withSharedCalls(client, {
    logger,
    ...(config.cacheTtlMs > 0
      ? {
          cache: createLruCallCache<DescribeBackupsPage>({
            ttlMs: config.cacheTtlMs,
            maxSize: config.cacheMaxRows,
            sizeOf: (page) => page.backups.length,
          }),
        }
      : {}),
  });
  const gateway = createGateway({
    client: sharedClient,
    logger,
    settings: { withholdDownloadUrls: config.withholdDownloadUrls },
    limits: config.queryLimits,
    compileQueriesAfter: config.compileQueriesAfter,
    corsOrigins: config.corsOrigins,
    graphiql: config.graphiql,
    exampleInstanceId: emulator ? DEMO_INSTANCE_IDS.standard : undefined,
    schema: config.schema,
    maxBodyBytes: config.maxBodyBytes,
    metrics,
    readiness,
  });
  const server = createServer(gateway);
  // Responses still to be written when SIGTERM comes; they are told to close their connection.
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_request, response: ServerResponse) => {
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError([listenProblem(error, config)]);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/graphql`;
  // In demo mode the emulator was started (and awaited) before the server: both are up now.
  readiness.markReady();

  // The address, under the name of what a person opens there.
  const where = config.graphiql ? 'graphiql' : 'graphql';
  if (emulator) {
    const data = config.emulatorData
      ? `the dataset in ${config.emulatorData}`
      : "the built-in emulator's demo data";
    // Keys set with TAIR_MODE=demo are the other way into demo mode (and warned of above).
    const why = config.ignoredVariables.some((name) => name.startsWith('ALIBABA_CLOUD_ACCESS_KEY'))
      ? 'TAIR_MODE=demo'
      : 'no Alibaba Cloud credentials set';
    logger.info(
      { [where]: url, emulator: emulator.url, instances: instanceIds },
      `demo mode (${why}), serving ${data}; ${config.graphiql ? 'open GraphiQL' : 'GraphQL'} at ${url}`,
    );
  } else {
    logger.info({ [where]: url, endpoint: options.endpoint }, `gateway ready at ${url}`);
  }

  const shutdown = (signal: string) => {
    if (readiness.state === 'stopping') {
      return;
    }
    readiness.markStopping();
    logger.info(
      { signal, inFlight: inFlight.size, graceMs: config.shutdownGraceMs },
      'shutting down: no new connections; finishing requests in flight',
    );
    for (const response of inFlight) {
      // A keep-alive connection would otherwise stay open after its last response.
      if (!response.headersSent) {
        response.setHeader('connection', 'close');
      }
    }
    const forced = setTimeout(() => {
      logger.warn(
        { inFlight: inFlight.size },
        'requests still in flight after the grace period; closing them',
      );
      server.closeAllConnections();
    }, config.shutdownGraceMs);
    forced.unref();
    server.close(async () => {
      client.close();
      await emulator?.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  // `on`, not `once`: a second signal while stopping must not kill the process mid-drain.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exit(1);
});
