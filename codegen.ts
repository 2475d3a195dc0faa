import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * TypeScript types for the example operations in docs/examples, from the committed schema:
 * `npx graphql-codegen` writes them to the gitignored test/codegen/generated/; the suite
 * (test/codegen.test.ts) runs the same configuration into a temporary directory.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: 'docs/examples/*.graphql',
  generates: {
    'test/codegen/generated/operations.ts': {
      // typescript-operations 6 emits the enums and inputs it uses: no `typescript` plugin.
      plugins: ['typescript-operations'],
      config: {
        // As they travel in JSON: DateTime and URL are strings, SafeInt a number.
        scalars: {
          DateTime: 'string',
          SafeInt: 'number',
          URL: 'string',
        },
        enumsAsTypes: true,
        avoidOptionals: { field: true },
        useTypeImports: true,
      },
    },
  },
  // The output sits in the linted tree: formatted as the house style wants it.
  hooks: { afterAllFileWrite: ['biome check --write'] },
};

export default config;
