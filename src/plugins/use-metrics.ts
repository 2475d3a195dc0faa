import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { UpstreamCallEvent } from '../tair/client.js';
import { type OperationSummary, observeOperations } from './observe-operations.js';
import { methodNotAllowed } from './use-health.js';

/** Operation names are chosen by clients: past this many distinct ones, new names count as `other`. */
const MAX_OPERATION_LABELS = 100;
const OPERATION_LABEL = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The gateway's Prometheus metrics, in a registry of their own (never prom-client's global). */
export interface GatewayMetrics {
  registry: Registry;
  /** Records one upstream attempt; pass it as the client's `onUpstreamCall`. */
  observeUpstreamCall(event: UpstreamCallEvent): void;
  /** Records one GraphQL request. */
  observeOperation(summary: OperationSummary): void;
  /** Records one execution of a document compiled by graphql-jit. */
  observeCompiledExecution(): void;
}

/** Options of {@link createGatewayMetrics}. */
export interface GatewayMetricsOptions {
  /** Also collect prom-client's process metrics (CPU, memory, event loop lag). @default true */
  processMetrics?: boolean;
}

/** Creates a registry and the gateway's metrics in it. Each gateway gets its own. */
export function createGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
  }

  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests, by operation name and outcome (ok, typed_error, error).',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from request to response, by operation name and outcome.',
    labelNames: ['operation', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [registry],
  });
  const typedErrors = new Counter({
    name: 'graphql_typed_errors_total',
    help: 'Typed errors returned in data, by GraphQL type.',
    labelNames: ['type'],
    registers: [registry],
  });
  const upstreamCalls = new Counter({
    name: 'tair_upstream_calls_total',
    help: 'DescribeBackups attempts (each retry counts), by outcome: ok or the ErrorCode.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const upstreamSeconds = new Histogram({
    name: 'tair_upstream_call_duration_seconds',
    help: 'Duration of one DescribeBackups attempt, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const compiledExecutions = new Counter({
    name: 'graphql_compiled_executions_total',
    help: "Operations executed compiled by graphql-jit (from a document's QUERY_COMPILE_AFTER-th execution).",
    registers: [registry],
  });
  const seenOperations = new Set<string>();

  const operationLabel = (name: string | null): string => {
    if (name === null) {
      return 'anonymous';
    }
    if (!OPERATION_LABEL.test(name)) {
      return 'other';
    }
    if (!seenOperations.has(name) && seenOperations.size >= MAX_OPERATION_LABELS) {
      return 'other';
    }
    seenOperations.add(name);

    return name;
  };

  return {
    registry,
    observeUpstreamCall(event) {
      upstreamCalls.inc({ outcome: event.outcome });
      upstreamSeconds.observe({ outcome: event.outcome }, event.durationMs / 1000);
    },
    observeOperation(summary) {
      // A batch is one request: its operations' names together would be a label per combination.
      const operation = summary.operations > 1 ? '(batch)' : operationLabel(summary.operationName);
      const labels = { operation, outcome: summary.outcome };
      requests.inc(labels);
      requestSeconds.observe(labels, summary.durationMs / 1000);
      for (const [type, count] of Object.entries(summary.typedErrors)) {
        typedErrors.inc({ type }, count);
      }
    },
    observeCompiledExecution() {
      compiledExecutions.inc();
    },
  };
}

/** Options of {@link useMetrics}. */
export interface MetricsPluginOptions {
  metrics: GatewayMetrics;
  /** @default '/graphql' */
  graphqlEndpoint?: string;
  /** @default '/metrics' */
  metricsEndpoint?: string;
}

/** Records every GraphQL request in `metrics` and serves the registry at `GET /metrics`. */
export function useMetrics(options: MetricsPluginOptions): Plugin {
  const { metrics } = options;
  const metricsEndpoint = options.metricsEndpoint ?? '/metrics';
  const observer = observeOperations(options.graphqlEndpoint ?? '/graphql', (summary) =>
    metrics.observeOperation(summary),
  );

  return {
    onPluginInit({ addPlugin }) {
      addPlugin(observer);
    },
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== metricsEndpoint) {
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(methodNotAllowed(fetchAPI));
        return;
      }
      const body = await metrics.registry.metrics();
      endResponse(
        new fetchAPI.Response(body, {
          status: 200,
          headers: { 'content-type': metrics.registry.contentType },
        }),
      );
    },
  };
}
