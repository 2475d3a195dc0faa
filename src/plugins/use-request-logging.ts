import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { type OperationSummary, observeOperations } from './observe-operations.js';
import { requestIdOf } from './request-id.js';

/** Options of {@link useRequestLogging}. */
export interface RequestLoggingOptions {
  logger: Logger;
  /** @default '/graphql' */
  endpoint?: string;
}

/**
 * One `info` line per GraphQL request, when its response is ready: request id, operation name
 * and type, HTTP status, duration, upstream calls, typed errors by type, GraphQL errors by code
 * and the outcome; the response carries the id as `x-request-id`. Variables and headers are never logged: they may hold whatever a client sends.
 */
export function useRequestLogging(options: RequestLoggingOptions): Plugin {
  const logger = options.logger;
  const observer = observeOperations(
    options.endpoint ?? '/graphql',
    (summary: OperationSummary) => {
      const { operationName, outcome, durationMs } = summary;
      logger.info(
        summary,
        `${operationName ?? 'anonymous'} ${outcome} in ${durationMs} ms, ` +
          `${summary.upstreamCalls} upstream call${summary.upstreamCalls === 1 ? '' : 's'}`,
      );
    },
  );

  return {
    onPluginInit({ addPlugin }) {
      addPlugin(observer);
    },
    onResponse({ request, response }) {
      // The id a client quotes when it reports a problem is the one in the server's logs.
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
