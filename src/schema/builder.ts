import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import { UPSTREAM_FIELD_COST } from './complexity.js';
import type { GatewayContext } from './context.js';
import { decodeNodeId, encodeNodeId } from './node-id.js';

/** The one SchemaBuilder of the gateway; every schema module adds its types to it. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    SafeInt: { Input: number; Output: number };
    URL: { Input: URL; Output: string };
  };
}>({
  plugins: [ErrorsPlugin, DirectivesPlugin, RelayPlugin, FederationPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  relay: {
    cursorType: 'String',
    // Only `node`: a `nodes` list would let one request fan out to any number of upstream calls.
    nodesQueryOptions: false,
    // Relay subgraphs all define PageInfo alike; a type in two subgraphs composes only if shareable.
    pageInfoTypeOptions: { shareable: true },
    encodeGlobalID: encodeNodeId,
    decodeGlobalID: decodeNodeId,
    nodeQueryOptions: {
      // An id that is neither an instance ID nor a Backup id names nothing: null, as documented.
      resolve: (_root, { id }, _context, _info, resolveNode) =>
        id.typename === 'Invalid' ? null : resolveNode(id),
      complexity: UPSTREAM_FIELD_COST,
      description:
        'Fetches an object by its global id: an Alibaba instance ID for an Instance, or a ' +
        'Backup.id. An instance ID is not looked up (that would cost an upstream call): an ' +
        'id of 1 to 256 characters gives an Instance, whose fields report ' +
        'InstanceNotFoundError when it does not exist, or InvalidArgumentError for an ID the ' +
        'API cannot take. A Backup.id is fetched: null when no backup has it, or when it is ' +
        'malformed; null with a typed entry in errors (its code, ACCESS_DENIED say) when the ' +
        'lookup fails.',
    },
  },
  errors: {
    defaultTypes: [],
  },
  // Costs only: the limit is enforced before execution by src/plugins/use-query-limits.ts. Lists
  // multiply by what their field says (first/last, ids), not by a guessed 10.
  complexity: { defaultComplexity: 1, defaultListMultiplier: 1 },
});

/** The builder's type parameters, for refs declared outside a builder call. */
export type BuilderTypes =
  typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;
