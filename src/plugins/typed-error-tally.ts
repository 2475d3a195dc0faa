import {
  type GraphQLAbstractType,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  isInterfaceType,
  isUnionType,
} from 'graphql';

/** Typed errors in one response, by GraphQL type name. */
export type ErrorTally = Map<string, number>;

const tallies = new WeakMap<object, ErrorTally>();
const instrumented = new WeakSet<GraphQLSchema>();

/** The tally of one operation, keyed by its context object; created on first use. */
export function tallyOf(context: object): ErrorTally {
  let tally = tallies.get(context);
  if (!tally) {
    tally = new Map();
    tallies.set(context, tally);
  }

  return tally;
}

/**
 * Makes every abstract type that can resolve to an `Error` implementation count what it
 * resolves to, in the tally of the operation's context. Type resolution is the one place every
 * typed error passes, whichever fields the client selected (`__typename` or not), so counting
 * there needs nothing from the resolvers. The schema's types are changed in place once per
 * schema, the way envelop's on-resolve plugin wraps resolvers; an operation whose context has no
 * tally yet is counted all the same, and nobody reads it.
 */
export function countTypedErrors(schema: GraphQLSchema): void {
  if (instrumented.has(schema)) {
    return;
  }
  instrumented.add(schema);

  const errorInterface = schema.getType('Error');
  if (!isInterfaceType(errorInterface)) {
    return;
  }
  const errorTypes = new Set(schema.getPossibleTypes(errorInterface).map((type) => type.name));

  for (const type of Object.values(schema.getTypeMap())) {
    if (!(isInterfaceType(type) || isUnionType(type)) || !type.resolveType) {
      continue;
    }
    if (!schema.getPossibleTypes(type).some((member) => errorTypes.has(member.name))) {
      continue;
    }
    type.resolveType = counting(type.resolveType, errorTypes);
  }
}

function counting(
  original: GraphQLTypeResolver<unknown, unknown>,
  errorTypes: ReadonlySet<string>,
): GraphQLTypeResolver<unknown, unknown> {
  return (value, context, info, abstractType: GraphQLAbstractType) => {
    const count = (typeName: string | undefined) => {
      if (typeName !== undefined && errorTypes.has(typeName) && isObject(context)) {
        const tally = tallyOf(context);
        tally.set(typeName, (tally.get(typeName) ?? 0) + 1);
      }

      return typeName;
    };
    const resolved = original(value, context, info, abstractType);

    return resolved instanceof Promise ? resolved.then(count) : count(resolved);
  };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
