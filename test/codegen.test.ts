import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../codegen.js';

const OUTPUT = 'test/codegen/generated/operations.ts';

let dir: string;
let generated: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tair-codegen-'));
  const target = config.generates[OUTPUT];
  if (!target) {
    throw new Error(`codegen.ts has no output ${OUTPUT}`);
  }
  const [file] = await generate(
    { ...config, silent: true, generates: { [join(dir, 'operations.ts')]: target } },
    true,
  );
  generated = file!.content;
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Typechecks `source` beside the generated types with the project's strict settings. */
async function typecheck(name: string, source: string): Promise<string[]> {
  const path = join(dir, name);
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }');
  await writeFile(path, source);
  const program = ts.createProgram([path], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    types: [],
  });

  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

/** The README's example answer, the first JSON block after the example query. */
function readmeAnswer(): unknown {
  const readme = readFileSync('README.md', 'utf8');
  const block = /answers, on the demo data:\s*```json\n([\s\S]*?)```/.exec(readme);
  if (!block) {
    throw new Error('README.md has no JSON block after "answers, on the demo data:"');
  }

  return JSON.parse(block[1]!);
}

const EQUAL = `type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;`;

describe('codegen over schema.graphql and docs/examples', () => {
  it('generates a type for every example operation and its variables', () => {
    for (const name of ['BackupsQuery', 'BackupsPageQuery', 'BackupsPageQueryVariables']) {
      expect(generated).toContain(`export type ${name} = `);
    }
    expect(generated).toContain('export type BackupNodeQuery = ');
    expect(generated).toContain('export type ErrorCode =');
  });

  it('types backups.edges[].node.backupId as string, and the rest as the schema says', async () => {
    const errors = await typecheck(
      'check.ts',
      `import type { BackupsPageQuery, BackupsPageQueryVariables, BackupsQuery } from './operations.js';
${EQUAL}
type Node = BackupsQuery['instance']['backups']['edges'][number]['node'];
type PageError = NonNullable<BackupsPageQuery['instance']['backups']['error']>;
type Storage = BackupsQuery['instance']['backupStorage'];
export const checks: [
  Equal<Node['backupId'], string>,
  Equal<Node['startTime'], string>,
  Equal<Node['sizeBytes'], number | null>,
  Equal<BackupsQuery['instance']['backups']['totalCount'], number | null>,
  Equal<PageError['retryable'], boolean>,
  Equal<BackupsPageQueryVariables['id'], string | number>,
] = [true, true, true, true, true, true];
export function storageBytes(storage: Storage): number | null {
  return 'fullBytes' in storage ? storage.fullBytes : null;
}
export const answer: { data: BackupsQuery } = ${JSON.stringify(readmeAnswer(), null, 2)};
`,
    );

    expect(errors).toEqual([]);
  });

  it('refuses code that misreads the generated types', async () => {
    const errors = await typecheck(
      'wrong.ts',
      `import type { BackupsQuery } from './operations.js';
type Node = BackupsQuery['instance']['backups']['edges'][number]['node'];
export const id: Node['backupId'] = 2300000034;
export const missing: Node['downloadUrl'] = null;
`,
    );

    expect(errors).toEqual([
      "Type 'number' is not assignable to type 'string'.",
      expect.stringContaining("Property 'downloadUrl' does not exist"),
    ]);
  });
});
