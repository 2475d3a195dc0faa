import { lexicographicSortSchema, printSchema } from 'graphql';
import { gatewaySchema } from './index.js';

/** The client-facing SDL exactly as committed in `schema.graphql`. */
export function printGatewaySchema(): string {
  return `${printSchema(lexicographicSortSchema(gatewaySchema()))}\n`;
}
