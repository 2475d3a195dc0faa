import { type GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../schema/context.js';
import { requestIdOf } from './request-id.js';
import { countTypedErrors, tallyOf } from './typed-error-tally.js';

/**
 * How one GraphQL request ended. `ok`: no error of any kind; `typed_error`: data carries typed
 * errors (a failed page, an error union member) but no GraphQL error; `error`: the response has
 * GraphQL `errors` (a refused request, a field that failed without a typed error, the unexpected).
 */
export type OperationOutcome = 'ok' | 'typed_error' | 'error';

/** One GraphQL request, once its response is ready. */
export interface OperationSummary {
  requestId: string;
  /** The executed operation's name; the requested one when it never executed; null if anonymous. */
  operationName: string | null;
  operationType: 'query' | 'mutation' | 'subscription' | null;
  httpStatus: number;
  durationMs: number;
  /** Distinct upstream calls the request's loaders started (retries not counted). */
  upstreamCalls: number;
  /** Typed errors in `data`, by GraphQL type name. */
  typedErrors: Record<string, number>;
  /** Entries of the response's `errors`, by `extensions.code` (`UNCODED` without one). */
  graphqlErrors: Record<string, number>;
  outcome: OperationOutcome;
}

interface Pending {
  startedAt: number;
  operationName: string | null;
  operationType: OperationSummary['operationType'];
  context: Partial<GatewayContext> | null;
  errors: readonly GraphQLError[];
}

/**
 * A plugin that hands `listener` one {@link OperationSummary} per request to `endpoint`, when the
 * response is ready. GraphiQL's page (a GET that accepts HTML) is not an operation and is skipped.
 */
export function observeOperations(
  endpoint: string,
  listener: (summary: OperationSummary) => void,
): Plugin {
  const pending = new WeakMap<Request, Pending>();

  return {
    onRequest({ request, url }) {
      // A CORS preflight carries no operation.
      if (url.pathname !== endpoint || request.method === 'OPTIONS') {
        return;
      }
      pending.set(request, {
        startedAt: performance.now(),
        operationName: null,
        operationType: null,
        context: null,
        errors: [],
      });
    },
    onParams({ request, params }) {
      const entry = pending.get(request);
      // Params are what the client sent, checked only after this hook: a batch entry can be
      // null, and operationName anything at all.
      const operationName: unknown = (params as Partial<typeof params> | null)?.operationName;
      if (entry && typeof operationName === 'string' && operationName) {
        entry.operationName = operationName;
      }
    },
    onExecute({ args }) {
      countTypedErrors(args.schema);
      const context = args.contextValue as Partial<GatewayContext> & { request?: Request };
      const entry = context.request ? pending.get(context.request) : undefined;
      if (!entry) {
        return;
      }

      const operation = getOperationAST(args.document, args.operationName);
      entry.operationName = operation?.name?.value ?? entry.operationName;
      entry.operationType = operation?.operation ?? null;
      entry.context = context;
      tallyOf(context);
    },
    onResultProcess({ request, result }) {
      const entry = pending.get(request);
      if (!entry || Symbol.asyncIterator in result) {
        return;
      }
      // A batch is one request: its line counts the errors of every operation in it.
      const results = Array.isArray(result) ? result : [result];
      entry.errors = results.flatMap((one) => one.errors ?? []);
    },
    onResponse({ request, response }) {
      const entry = pending.get(request);
      // GraphiQL's HTML page answers a GET to the endpoint; it runs no operation.
      if (!entry || response.headers.get('content-type')?.startsWith('text/html')) {
        return;
      }
      pending.delete(request);
      listener(summarize(requestIdOf(request), entry, response.status));
    },
  };
}

function summarize(requestId: string, entry: Pending, httpStatus: number): OperationSummary {
  const typedErrors = Object.fromEntries(entry.context ? tallyOf(entry.context) : []);
  const graphqlErrors: Record<string, number> = {};
  for (const error of entry.errors) {
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'UNCODED';
    graphqlErrors[code] = (graphqlErrors[code] ?? 0) + 1;
  }
  const failed = entry.errors.length > 0 || httpStatus >= 400;

  return {
    requestId,
    operationName: entry.operationName,
    operationType: entry.operationType,
    httpStatus,
    durationMs: Math.round((performance.now() - entry.startedAt) * 10) / 10,
    upstreamCalls: entry.context?.loaders?.upstreamCalls ?? 0,
    typedErrors,
    graphqlErrors,
    outcome: failed ? 'error' : Object.keys(typedErrors).length > 0 ? 'typed_error' : 'ok',
  };
}
