import { printSubgraphSchema as printFederatedSchema } from '@apollo/subgraph';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { gatewaySchema, subgraphSchema } from './index.js';

/** The client-facing SDL exactly as committed in `schema.graphql`. */
export function printGatewaySchema(): string {
  return `${printSchema(lexicographicSortSchema(gatewaySchema()))}\n`;
}

/** The subgraph SDL exactly as committed in `subgraph.graphql`: what `_service { sdl }` returns. */
export function printSubgraphSchema(): string {
  return `${printFederatedSchema(subgraphSchema())}\n`;
}
