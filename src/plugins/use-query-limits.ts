import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { complexityFromQuery, createComplexityRule } from '@pothos/plugin-complexity';
import {
  type DocumentNode,
  type ExecutionArgs,
  GraphQLError,
  Kind,
  type ValidationContext,
  validate,
} from 'graphql';
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

/** The operation `operationName` selects when the document holds only that one, else null. */
function soleOperation(document: DocumentNode, operationName: string | null | undefined) {
  const operations = document.definitions.filter(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const [only] = operations;

  return operations.length === 1 && (operationName == null || only?.name?.value === operationName)
    ? only
    : null;
}

/** The cost of the selected operation, or null when its variables (or the document) are bad. */
function costOf(args: ExecutionArgs): number | null {
  const context = args.contextValue as object;
  const variableValues = (args.variableValues ?? {}) as Record<string, unknown>;
  if (soleOperation(args.document, args.operationName)) {
    // The common case, without graphql's validate() around the rule: a seventh of the CPU.
    try {
      return complexityFromQuery(args.document, {
        schema: args.schema,
        variables: variableValues,
        ctx: context,
      }).complexity;
    } catch (error) {
      if (error instanceof GraphQLError) {
        return null;
      }
      throw error;
    }
  }
  let cost: number | null = null;
  const rule = createComplexityRule({
    context,
    variableValues,
    operationName: args.operationName ?? null,
    validate: ({ complexity }) => {
      cost = complexity;
    },
  });
  validate(args.schema, args.document, [rule]);

  return cost;
}

/** A cost refusal, answered as a validation error would be (HTTP 400 under graphql-response+json). */
function costRefusal(message: string, extensions: Record<string, number>): GraphQLError {
  return new GraphQLError(message, {
    extensions: { ...COST_EXTENSIONS, ...extensions, http: { spec: true, status: 400 } },
  });
}

/**
 * The cost check. It depends on variables (`first: $n`, `ids: $ids`), so it cannot be a
 * validation rule: yoga caches validation by document alone. It runs at the start of execution
 * instead, still before any resolver, and answers like a validation error: HTTP 400 under
 * `application/graphql-response+json`, 200 under `application/json`. Bad variables are left to
 * execution, which names them.
 *
 * The limit holds for a whole HTTP request: the operations of a batch share it, in the order
 * they start executing, so a batch cannot multiply the upstream calls one request may cause by
 * QUERY_MAX_BATCH. An operation that would take the batch past it is refused on its own; the
 * operations before it run, and a refused one spends nothing.
 */
function useCostLimit(maxCost: number): Plugin {
  const spentByRequest = new WeakMap<object, number>();

  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = costOf(args);
      if (cost === null) {
        return;
      }
      if (cost > maxCost) {
        setResultAndStopExecution({
          errors: [
            costRefusal(
              `Query cost ${cost} exceeds the limit of ${maxCost} (QUERY_MAX_COST); ask ` +
                'for fewer ids, fewer edges (first/last) or fewer fields',
              { cost, maxCost },
            ),
          ],
        });

        return;
      }
      const request = (args.contextValue as { request?: object }).request;
      if (!request) {
        return;
      }
      const batchCost = (spentByRequest.get(request) ?? 0) + cost;
      if (batchCost > maxCost) {
        setResultAndStopExecution({
          errors: [
            costRefusal(
              `Query cost ${cost} would bring this request's batch to ${batchCost}, over the ` +
                `limit of ${maxCost} (QUERY_MAX_COST) that a batch shares; send it in a ` +
                'request of its own or ask for less',
              { cost, batchCost, maxCost },
            ),
          ],
        });

        return;
      }
      spentByRequest.set(request, batchCost);
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
 * graphql-js parses recursively, so a value nested about 2,000 deep (`[[[[…]]]]`) overflows the
 * stack before the token limit's count reaches it. The RangeError would be an unexpected error
 * (HTTP 500); it is a document the gateway cannot read, so it is answered as a syntax error
 * (yoga gives every GraphQLError from parsing GRAPHQL_PARSE_FAILED and HTTP 400). Added after
 * the token limit, so it wraps the parser that limit installs.
 */
function useParseStackGuard(): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, options);
        } catch (error) {
          if (error instanceof RangeError) {
            throw new GraphQLError('Syntax Error: the document is nested too deeply to parse.');
          }
          throw error;
        }
      });
    },
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
      addPlugin(useParseStackGuard());
      addPlugin(
        maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, ...reportAs('depth') }),
      );
      addPlugin(maxAliasesPlugin({ n: limits.maxAliases, ...reportAs('aliases') }));
      addPlugin(maxDirectivesPlugin({ n: limits.maxDirectives, ...reportAs('directives') }));
      addPlugin(useCostLimit(limits.maxCost));
    },
  };
}
