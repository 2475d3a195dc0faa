/**
 * Writes the committed SDL files from the code-first schema: `schema.graphql` for clients and
 * codegen, `subgraph.graphql` for a Federation 2 supergraph (what `_service { sdl }` returns).
 * `npm test` fails when a committed file differs from what this prints.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printGatewaySchema, printSubgraphSchema } from '../src/schema/print.js';

for (const [file, print] of [
  ['schema.graphql', printGatewaySchema],
  ['subgraph.graphql', printSubgraphSchema],
] as const) {
  const target = fileURLToPath(new URL(`../${file}`, import.meta.url));
  writeFileSync(target, print());
  console.log(`wrote ${target}`);
}
