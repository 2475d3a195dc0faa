import { GraphQLError } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../schema/context.js';

/**
 * Logs every unexpected error (one that is not a GraphQLError: a bug, not a typed failure) whole,
 * through the request's own logger, so the line carries the request id the client can quote.
 * It runs before yoga masks the error; the client only ever sees `Unexpected error.`.
 */
export function useUnexpectedErrorLog(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const context = args.contextValue as Partial<GatewayContext>;

      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result }) => {
            for (const error of result.errors ?? []) {
              const original = error.originalError;
              if (original && !(original instanceof GraphQLError)) {
                context.logger?.error(
                  { err: original, path: error.path },
                  'unexpected error while executing an operation',
                );
              }
            }
          });
        },
      };
    },
  };
}
