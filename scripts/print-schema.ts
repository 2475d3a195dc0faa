/**
 * Writes the committed SDL files from the code-first schema: `schema.graphql` for clients and
 * codegen. `npm test` fails when the committed file differs from what this prints.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printGatewaySchema } from '../src/schema/print.js';

const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));
writeFileSync(target, printGatewaySchema());
console.log(`wrote ${target}`);
