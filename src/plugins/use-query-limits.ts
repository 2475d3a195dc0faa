import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { GraphQLError, type ValidationContext, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Bounds on one GraphQL request, each enforced before any upstream call. */
export interface QueryLimits {
  /** Nesting of fields (fragments flattened; introspection exempt). @default 10 */
  maxDepth: number;
  /** Aliased fields in one operation. @default 30 */
  maxAliases: number;
  /** Lexical tokens in the document. @default 2000 */
  maxTokens: number;
  /** Directives in one operation. @default 20 */
  maxDirectives: number;
  /** Cost by `@pothos/plugin-complexity` (see src/schema/complexity.ts). @default 50000 */
  maxCost: number;
  /** Operations in one batched (JSON array) request; 0 refuses batches. @default 10 */
  maxBatch: number;
}

/** Defaults the README examples, GraphiQL's query and 100 ids × `first: 30` all pass. */
export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = {
  maxDepth: 10,
  maxAliases: 30,
  maxTokens: 2000,
  maxDirectives: 20,
  maxCost: 50_000,
  maxBatch: 10,
};

/** What a refusal of the cost limit carries besides its message. */
const COST_EXTENSIONS = { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' };

/**
 * The cost check. It depends on variables (`first: $n`, `ids: $ids`), so it cannot be a
 * validation rule: yoga caches validation by document alone. It runs at the start of execution
 * instead, still before any resolver, and answers like a validation error: HTTP 400 under
 * `application/graphql-response+json`, 200 under `application/json`.
 */
function useCostLimit(maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refusals: GraphQLError[] = [];
      const rule = createComplexityRule({
        context: args.contextValue as object,
        variableValues: (args.variableValues ?? {}) as Record<string, unknown>,
        operationName: args.operationName ?? null,
        validate: ({ complexity }) => {
          if (complexity > maxCost) {
            refusals.push(
              new GraphQLError(
                `Query cost ${complexity} exceeds the limit of ${maxCost} (QUERY_MAX_COST); ask ` +
                  'for fewer ids, fewer edges (first/last) or fewer fields',
                {
                  extensions: {
                    ...COST_EXTENSIONS,
                    cost: complexity,
                    maxCost,
                    http: { spec: true, status: 400 },
                  },
                },
              ),
            );
          }
        },
      });
      // Only the cost verdict is used: bad variables are left to execution, which names them.
      validate(args.schema, args.document, [rule]);

      if (refusals.length > 0) {
        setResultAndStopExecution({ errors: refusals });
      }
    },
  };
}

/**
 * graphql-armor throws its refusal out of the validation visitor by default, which yoga answers
 * with HTTP 200 like an execution error. Reported through the validation context instead, it is
 * a validation error: 400 under `application/graphql-response+json`. Armor's "Syntax Error: "
 * prefix is dropped, as the document is well-formed.
 */
function reportAs(limit: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        context?.reportError(
          new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit },
          }),
        );
      },
    ],
  };
}

/**
 * Depth, aliases, tokens and directives through graphql-armor, and cost through
 * `@pothos/plugin-complexity`. Batch size is yoga's own `batching` option (graphql-armor has no
 * plugin for it); see createGateway.
 */
export function useQueryLimits(limits: QueryLimits): Plugin {
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(maxTokensPlugin({ n: limits.maxTokens }));
      addPlugin(
        maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, ...reportAs('depth') }),
      );
      addPlugin(maxAliasesPlugin({ n: limits.maxAliases, ...reportAs('aliases') }));
      addPlugin(maxDirectivesPlugin({ n: limits.maxDirectives, ...reportAs('directives') }));
      addPlugin(useCostLimit(limits.maxCost));
    },
  };
}
