import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
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
  plugins: [ErrorsPlugin, DirectivesPlugin, RelayPlugin, FederationPlugin],
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
      description:
        'Fetches an object by its global id: an Alibaba instance ID for an Instance, or a ' +
        'Backup.id. Null when nothing has that id.',
    },
  },
  errors: {
    defaultTypes: [],
  },
});

/** The builder's type parameters, for refs declared outside a builder call. */
export type BuilderTypes =
  typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;
