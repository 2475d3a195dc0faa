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
  /**
   * The executed operation's name; the requested one when it never executed; null if anonymous.
   * For a batch, the names of its operations joined with ", " ("anonymous" for one without).
   */
  operationName: string | null;
  /** The operation's type; for a batch, its operations' type when they all share one. */
  operationType: 'query' | 'mutation' | 'subscription' | null;
  /** Operations in the request: 1, or the size of a batch. */
  operations: number;
  httpStatus: number;
  durationMs: number;
  /** Distinct upstream calls the request's loaders started (retries not counted), batch-wide. */
  upstreamCalls: number;
  /** Typed errors in `data`, by GraphQL type name. */
  typedErrors: Record<string, number>;
  /** Entries of the response's `errors`, by `extensions.code` (`UNCODED` without one). */
  graphqlErrors: Record<string, number>;
  outcome: OperationOutcome;
}

interface Operation {
  name: string | null;
  type: OperationSummary['operationType'];
}

interface Pending {
  startedAt: number;
  /** As requested (onParams), then as executed: one entry per operation of a batch. */
  requested: (string | null)[];
  executed: Operation[];
  /** Each operation of a batch has a context (and loaders) of its own. */
  contexts: Partial<GatewayContext>[];
  errors: readonly GraphQLError[];
  batch: boolean;
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
        requested: [],
        executed: [],
        contexts: [],
        errors: [],
        batch: false,
      });
    },
    onParams({ request, params }) {
      const entry = pending.get(request);
      // Params are what the client sent, checked only after this hook: a batch entry can be
      // null, and operationName anything at all.
      const operationName: unknown = (params as Partial<typeof params> | null)?.operationName;
      entry?.requested.push(
        typeof operationName === 'string' && operationName ? operationName : null,
      );
    },
    onExecute({ args }) {
      countTypedErrors(args.schema);
      const context = args.contextValue as Partial<GatewayContext> & { request?: Request };
      const entry = context.request ? pending.get(context.request) : undefined;
      if (!entry) {
        return;
      }

      const operation = getOperationAST(args.document, args.operationName);
      entry.executed.push({
        name: operation?.name?.value ?? args.operationName ?? null,
        type: operation?.operation ?? null,
      });
      entry.contexts.push(context);
      tallyOf(context);
    },
    onResultProcess({ request, result }) {
      const entry = pending.get(request);
      if (!entry || Symbol.asyncIterator in result) {
        return;
      }
      // A batch is one request: its line counts the errors of every operation in it.
      const results = Array.isArray(result) ? result : [result];
      entry.batch = Array.isArray(result);
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
  const typedErrors: Record<string, number> = {};
  let upstreamCalls = 0;
  for (const context of entry.contexts) {
    for (const [type, count] of tallyOf(context)) {
      typedErrors[type] = (typedErrors[type] ?? 0) + count;
    }
    upstreamCalls += context.loaders?.upstreamCalls ?? 0;
  }
  const graphqlErrors: Record<string, number> = {};
  for (const error of entry.errors) {
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'UNCODED';
    graphqlErrors[code] = (graphqlErrors[code] ?? 0) + 1;
  }
  const failed = entry.errors.length > 0 || httpStatus >= 400;
  // What executed, else what was asked for (a request refused before execution).
  const operations: Operation[] =
    entry.executed.length > 0
      ? entry.executed
      : entry.requested.map((name) => ({ name, type: null }));
  const types = new Set(operations.map((operation) => operation.type));
  const batch = entry.batch || operations.length > 1;

  return {
    requestId,
    operationName: batch
      ? operations.map((operation) => operation.name ?? 'anonymous').join(', ')
      : (operations[0]?.name ?? null),
    operationType: types.size === 1 ? (operations[0]?.type ?? null) : null,
    operations: batch ? operations.length : 1,
    httpStatus,
    durationMs: Math.round((performance.now() - entry.startedAt) * 10) / 10,
    upstreamCalls,
    typedErrors,
    graphqlErrors,
    outcome: failed ? 'error' : Object.keys(typedErrors).length > 0 ? 'typed_error' : 'ok',
  };
}
