import { useGraphQlJit } from '@envelop/graphql-jit';
import {
  type DocumentNode,
  execute,
  type GraphQLAbstractType,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  isInterfaceType,
  isUnionType,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** A document is compiled once it has been executed this many times. */
const DEFAULT_COMPILE_AFTER = 2;

const adapted = new WeakSet<GraphQLSchema>();

/**
 * graphql-jit calls `resolveType(value, context, info)` without the abstract type that
 * graphql-js passes fourth; Pothos falls back to graphql's `defaultTypeResolver`, which needs it.
 * Every abstract type's resolver gets its own type when the caller left it out. The schema is
 * changed in place once, like `countTypedErrors` does; graphql-js callers pass the argument, so
 * nothing changes for them.
 */
function supplyAbstractTypes(schema: GraphQLSchema): void {
  if (adapted.has(schema)) {
    return;
  }
  adapted.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(isInterfaceType(type) || isUnionType(type)) || !type.resolveType) {
      continue;
    }
    const original = type.resolveType;
    const self: GraphQLAbstractType = type;
    type.resolveType = (value, context, info, abstractType) => {
      if (abstractType) {
        return original(value, context, info, abstractType);
      }
      // graphql-jit does not catch what a type resolver throws: the response would never be
      // sent. Unresolved, the value becomes a field error saying so, and the request completes.
      try {
        return original(value, context, info, self);
      } catch {
        return undefined;
      }
    };
  }
}

/** The offset in `body` of a 1-based line and column. */
function offsetOf(body: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = body.indexOf('\n', offset);
    if (next === -1) {
      break;
    }
    offset = next + 1;
  }

  return offset + column - 1;
}

/**
 * graphql-jit's errors carry `locations` but neither `nodes` nor `source` and `positions`, and
 * their properties cannot be changed. Yoga rebuilds every error it serialises from those, so
 * the locations would be lost; and a result with errors and no `data` is a request error (bad
 * variables, an unknown operation) that yoga's own executor marks for HTTP 400. Each such error
 * becomes a graphql-js GraphQLError with its positions in the document, marked like yoga's.
 */
function asGraphQLJsError(
  error: GraphQLError,
  document: DocumentNode,
  requestError: boolean,
): GraphQLError {
  const plain = error.nodes === undefined && error.positions === undefined;
  if (!plain && !requestError) {
    return error;
  }
  const source = document.loc?.source;
  const positions =
    plain && source && error.locations
      ? error.locations.map(({ line, column }) => offsetOf(source.body, line, column))
      : undefined;
  const extensions: Record<string, unknown> = { ...error.extensions };
  if (requestError) {
    extensions.http = { ...(extensions.http as object | undefined), status: 400 };
  }

  return new GraphQLError(error.message, {
    ...(plain
      ? { source, positions }
      : { nodes: error.nodes, source: error.source, positions: error.positions }),
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

/** Marks a request error for HTTP 400, as yoga's own executor does. */
function withHttp400(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: {
      ...error.extensions,
      http: { ...(error.extensions.http as object | undefined), status: 400 },
    },
  });
}

/**
 * graphql-js's errors for the variables of a request graphql-jit refused, or none when the
 * variables are not what it refused (an unknown operation, say). graphql-jit words them its own
 * way and, for a value inside an input object or a list, names the inner field as if it were the
 * variable and leaves out the path to it; a client should read the same message whichever
 * executor ran. This runs only for refused requests, which do no other work.
 */
function interpreterVariableErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation?.variableDefinitions?.length) {
    return [];
  }
  // graphql-js's execute allows 50 variable errors before it stops; so does this.
  const coerced = getVariableValues(schema, operation.variableDefinitions, variables ?? {}, {
    maxErrors: 50,
  });

  return 'errors' in coerced && coerced.errors ? coerced.errors.map(withHttp400) : [];
}

/**
 * Executes operations with graphql-jit (through `@envelop/graphql-jit`) instead of the
 * interpreter. A document is compiled on its `compileAfter`-th execution, so a query sent once
 * (GraphiQL typing, a scan of unique documents) never pays for compilation; the compiled query
 * lives as long as yoga's parse cache keeps the document, which bounds their number. With
 * `compileAfter` 0 nothing is compiled.
 *
 * Measured with the bench's one-instance `first: 30` query (every Backup field): CPU a request
 * 2.87 → 1.88 ms in process (docs/performance.md).
 */
export function useCompiledExecution(
  options: {
    compileAfter?: number | undefined;
    /** Called for every execution of a compiled document (a metric). */
    onCompiledExecution?: () => void;
  } = {},
): Plugin {
  const compileAfter = options.compileAfter ?? DEFAULT_COMPILE_AFTER;
  const executions = new WeakMap<DocumentNode, number>();
  if (!Number.isInteger(compileAfter) || compileAfter < 0) {
    throw new RangeError(`compileAfter must be an integer ≥ 0; received ${compileAfter}`);
  }

  return {
    onPluginInit({ addPlugin }) {
      if (compileAfter === 0) {
        return;
      }
      // An envelop plugin typed for any context; yoga's context is one.
      addPlugin(
        useGraphQlJit(
          {},
          {
            enableIf: ({ document }) => {
              const count = (executions.get(document) ?? 0) + 1;
              executions.set(document, count);
              if (count < compileAfter) {
                return false;
              }
              options.onCompiledExecution?.();

              return true;
            },
          },
        ) as Plugin,
      );
    },
    onExecute({ args, setExecuteFn }) {
      supplyAbstractTypes(args.schema);
      // Before compilation, graphql-js's own executor rather than yoga's: it writes an object's
      // fields in the order the query asks for them, as the compiled query does, where yoga's
      // writes them as they complete. (graphql-jit, added after this plugin, replaces it for
      // the documents it compiles.)
      setExecuteFn(execute);

      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result || !result.errors?.length) {
            return;
          }
          const requestError = !('data' in result);
          const variableErrors = requestError
            ? interpreterVariableErrors(
                args.schema,
                args.document,
                args.operationName,
                args.variableValues as Record<string, unknown> | null | undefined,
              )
            : [];
          if (variableErrors.length > 0) {
            setResult({ errors: variableErrors });

            return;
          }
          // `errors` first, where graphql-js puts it (graphql-jit puts `data` first), so that a
          // document's answers read the same before and after it is compiled.
          const { errors, ...rest } = result;
          setResult({
            errors: errors.map((error) => asGraphQLJsError(error, args.document, requestError)),
            ...rest,
          });
        },
      };
    },
  };
}
