import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { createBackupLoaders } from './loaders/backup-loaders.js';
import type { Logger } from './logger.js';
import { renderGraphiQLOffline } from './plugins/render-graphiql-offline.js';
import { requestIdOf } from './plugins/request-id.js';
import { useBodyLimit } from './plugins/use-body-limit.js';
import { useCompiledExecution } from './plugins/use-compiled-execution.js';
import { useCompressedGraphiQL } from './plugins/use-compressed-graphiql.js';
import { corsAllowlist, useVaryOrigin } from './plugins/use-cors-allowlist.js';
import { Readiness, useHealth } from './plugins/use-health.js';
import { createGatewayMetrics, type GatewayMetrics, useMetrics } from './plugins/use-metrics.js';
import {
  DEFAULT_QUERY_LIMITS,
  type QueryLimits,
  useQueryLimits,
} from './plugins/use-query-limits.js';
import { useRequestLogging } from './plugins/use-request-logging.js';
import { useSearchParamsParser } from './plugins/use-search-params-parser.js';
import { useUnexpectedErrorLog } from './plugins/use-unexpected-error-log.js';
import type { GatewayContext, SchemaSettings } from './schema/context.js';
import { gatewaySchema, subgraphSchema } from './schema/index.js';
import type { TairBackupClient } from './tair/types.js';

export interface GatewayOptions {
  client: TairBackupClient;
  logger: Logger;
  /** @default { withholdDownloadUrls: false } */
  settings?: Partial<SchemaSettings>;
  /** The query GraphiQL opens with. @default an example over `exampleInstanceId` */
  exampleInstanceId?: string;
  /** The request's clock; tests pin it. @default () => new Date() */
  now?: () => Date;
  /** Bounds on every request (QUERY_MAX_*). @default DEFAULT_QUERY_LIMITS */
  limits?: Partial<QueryLimits>;
  /** Origins allowed cross-origin (CORS_ORIGINS); `['*']`: any, without credentials. @default [] */
  corsOrigins?: readonly string[];
  /** Served at `/metrics`; share it with the client's `onUpstreamCall`. @default a new registry */
  metrics?: GatewayMetrics;
  /** The largest request body read (MAX_BODY_BYTES). @default DEFAULT_MAX_BODY_BYTES, 1 MiB */
  maxBodyBytes?: number;
  /** Reported at `/readyz`. @default ready */
  readiness?: Readiness;
  /**
   * `subgraph` serves the Federation 2 subgraph schema (`_entities`, `_service`, no `Query.node`)
   * to a router instead of the client schema; see docs/federation.md. @default 'client'
   */
  schema?: 'client' | 'subgraph';
  /**
   * A document runs compiled by graphql-jit from its Nth execution on (QUERY_COMPILE_AFTER);
   * before that, and always with 0, graphql-js's executor runs it. @default 2
   */
  compileQueriesAfter?: number;
  /** Serve GraphiQL's page to browsers at the endpoint (GRAPHIQL). @default true */
  graphiql?: boolean;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext>;

/** The example GraphiQL opens with: it runs as-is against the demo data. */
export function exampleQuery(instanceId: string): string {
  return `# Backups of one Tair instance, newest first, 5 at a time.
# Page on with backups(first: 5, after: "<endCursor>").
query Backups {
  instance(id: "${instanceId}") {
    id
    backupStorage {
      __typename
      ... on BackupStorage { fullBytes logBytes }
      ... on Error { code message }
    }
    backups(first: 5) {
      totalCount
      window { startTime endTime }
      error { __typename code message retryable }
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          backupId
          status
          type
          mode
          method
          startTime
          endTime
          sizeBytes
          nodeId
        }
      }
    }
  }
}
`;
}

/** The GraphQL endpoint (`/graphql`, GraphiQL on GET from a browser) over one client. */
export function createGateway(options: GatewayOptions): Gateway {
  const settings: SchemaSettings = { withholdDownloadUrls: false, ...options.settings };
  const now = options.now ?? (() => new Date());
  const logger = options.logger;
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const metrics = options.metrics ?? createGatewayMetrics();

  return createYoga<Record<string, unknown>, GatewayContext>({
    schema: options.schema === 'subgraph' ? subgraphSchema() : gatewaySchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    cors: corsAllowlist(options.corsOrigins ?? []),
    batching: limits.maxBatch > 0 ? { limit: limits.maxBatch } : false,
    logging: logger,
    // One plugin a concern, each in src/plugins/use-<feature>.ts.
    plugins: [
      useCompressedGraphiQL(),
      useSearchParamsParser(),
      useVaryOrigin(options.corsOrigins ?? []),
      useHealth({ readiness: options.readiness ?? new Readiness('ready') }),
      useMetrics({ metrics }),
      useRequestLogging({ logger }),
      // After the request log and the metrics, so that a refused body is logged and counted.
      useBodyLimit(options.maxBodyBytes),
      useQueryLimits(limits),
      useUnexpectedErrorLog(),
      useCompiledExecution({
        compileAfter: options.compileQueriesAfter,
        onCompiledExecution: () => metrics.observeCompiledExecution(),
      }),
    ],
    // GraphiQL's scripts and styles from the package, not a CDN: it works offline.
    renderGraphiQL: renderGraphiQLOffline,
    graphiql:
      options.graphiql === false
        ? false
        : {
            title: 'tair-backup-graph',
            defaultQuery: exampleQuery(options.exampleInstanceId ?? 'r-bp1zxszhcgatnx1234'),
          },
    context: ({ request }) => {
      const requestId = requestIdOf(request);
      const requestLogger = logger.child({ requestId });

      return {
        loaders: createBackupLoaders(options.client, requestLogger),
        now: now(),
        logger: requestLogger,
        settings,
      };
    },
    // Unexpected errors reach clients as "Unexpected error."; useUnexpectedErrorLog logs them.
    maskedErrors: true,
  });
}
