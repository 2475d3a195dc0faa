import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './backup.js';
import './backup-connection.js';
import './instance.js';
import './query.js';

let schema: GraphQLSchema | undefined;

/** The client-facing schema, built once: the builder is module state, its types fixed at load. */
export function gatewaySchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: false });

  return schema;
}
