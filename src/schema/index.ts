import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './backup.js';
import './backup-connection.js';
import './instance.js';
import './query.js';
import { createSubgraphSchema } from './federation.js';

let schema: GraphQLSchema | undefined;
let subgraph: GraphQLSchema | undefined;

/** The client-facing schema, built once: the builder is module state, its types fixed at load. */
export function gatewaySchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: false });

  return schema;
}

/** The Federation 2 subgraph schema, built once; see createSubgraphSchema for how it differs. */
export function subgraphSchema(): GraphQLSchema {
  subgraph ??= createSubgraphSchema();

  return subgraph;
}
