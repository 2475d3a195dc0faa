import { GraphQLError, type GraphQLFieldConfig, type GraphQLFieldResolver } from 'graphql';
import { parseNodeId } from '../paging/global-id.js';
import { toGraphQLError } from '../schema/errors.js';
import { namedAfter } from '../schema/instance-ref.js';
import { InvalidArgumentError } from '../tair/errors.js';

/** Representations one `_entities` call may hold: Backups group into few upstream calls. */
export const MAX_REPRESENTATIONS = 1000;
/**
 * Distinct instances one `_entities` call may reach, as `instances(ids:)` allows: an Instance
 * reference, or the instance of a Backup reference (each instance costs at least one call).
 */
export const MAX_INSTANCES = 100;

/** The instance a representation reaches, or null when it names none. */
function instanceOf(representation: unknown): string | null {
  if (typeof representation !== 'object' || representation === null) {
    return null;
  }
  const { __typename: typename, id } = representation as Record<string, unknown>;
  if (typeof id !== 'string') {
    return null;
  }
  if (typename === 'Instance') {
    return id;
  }
  const parsed = typename === 'Backup' ? parseNodeId(id) : null;

  return parsed?.kind === 'Backup' ? parsed.instanceId : null;
}

const ENTITY_TYPES = new Set(['Backup', 'Instance']);

function refusal(message: string, argument: string): GraphQLError {
  return toGraphQLError(new InvalidArgumentError(argument, message));
}

/** Why one representation cannot be looked up, or null when it can. */
function representationProblem(representation: unknown, index: number): GraphQLError | null {
  const argument = `representations[${index}]`;
  if (
    typeof representation !== 'object' ||
    representation === null ||
    Array.isArray(representation)
  ) {
    return refusal(`${argument} is not an object`, argument);
  }
  const { __typename: typename, id } = representation as Record<string, unknown>;
  if (typename === undefined) {
    return refusal(
      `${argument} has no __typename; this subgraph resolves Backup and Instance`,
      argument,
    );
  }
  if (typeof typename !== 'string' || !ENTITY_TYPES.has(typename)) {
    return refusal(
      `${argument} has __typename ${JSON.stringify(typename)}; this subgraph resolves Backup and Instance`,
      argument,
    );
  }
  if (typeof id !== 'string' || id.length === 0) {
    return refusal(`${argument} needs its key, a non-empty string \`id\``, argument);
  }
  if (typename === 'Backup') {
    const parsed = parseNodeId(id);
    if (parsed.kind !== 'Backup') {
      const reason = parsed.kind === 'Invalid' ? parsed.reason : 'it is an instance ID';
      return refusal(`${argument} has an id that is not a Backup.id: ${reason}`, argument);
    }
  }

  return null;
}

/**
 * An error about the `instanceId` argument of an upstream call, renamed after the representation
 * that made the call (`_entities` has no argument of that name); anything else as it is. The
 * error can be a list item, thrown by one, or a TairError not yet made a GraphQLError.
 */
function forRepresentation(result: unknown, index: number): unknown {
  const argument = `representations[${index}]`;
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => forRepresentation(value, index),
      (error: unknown) => {
        throw forRepresentation(error, index);
      },
    );
  }
  if (result instanceof GraphQLError && result.extensions.argument === 'instanceId') {
    return new GraphQLError(result.message.replaceAll('instanceId', argument), {
      originalError: result.originalError,
      extensions: { ...result.extensions, argument },
    });
  }

  return namedAfter(result, argument);
}

/**
 * Wraps `_entities` so that one call cannot fan out without bound (at most MAX_REPRESENTATIONS,
 * reaching at most MAX_INSTANCES instances, refused before any upstream call), so that it costs
 * its selection once per representation under QUERY_MAX_COST (Pothos's complexity, as
 * `instances(ids:)` costs per id; a list field otherwise counts 10), and so that a malformed
 * representation fails only its own entry, with a typed error naming it: left to
 * @apollo/subgraph, an unknown __typename throws for the whole list.
 */
export function guardEntities<Source, Context>(
  field: GraphQLFieldConfig<Source, Context>,
): GraphQLFieldConfig<Source, Context> {
  const resolve = field.resolve as GraphQLFieldResolver<Source, Context>;

  return {
    ...field,
    extensions: {
      ...field.extensions,
      complexity: (args: { representations?: unknown }) => ({
        field: 1,
        multiplier: Array.isArray(args.representations) ? args.representations.length : 1,
      }),
    },
    resolve: (source, args, context, info) => {
      const representations = (args as { representations: unknown[] }).representations;
      if (representations.length > MAX_REPRESENTATIONS) {
        throw refusal(
          `representations holds ${representations.length} references; at most ${MAX_REPRESENTATIONS} per call`,
          'representations',
        );
      }
      const instances = new Set(representations.map(instanceOf));
      instances.delete(null);
      if (instances.size > MAX_INSTANCES) {
        throw refusal(
          `representations reach ${instances.size} instances (Instance references and the instances of Backup references); at most ${MAX_INSTANCES} per call, as instances(ids:) allows`,
          'representations',
        );
      }

      const problems = representations.map(representationProblem);
      const valid = representations.filter((_, index) => problems[index] === null);
      const resolved = resolve(source, { ...args, representations: valid }, context, info) as
        | unknown[]
        | Promise<unknown[]>;
      const merge = (results: unknown[]) => {
        let next = 0;

        // A GraphQLError as a list item fails that item alone, at its own path.
        return problems.map(
          (problem, index) => problem ?? forRepresentation(results[next++], index),
        );
      };

      return Array.isArray(resolved) ? merge(resolved) : resolved.then(merge);
    },
  };
}
