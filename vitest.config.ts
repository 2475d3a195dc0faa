import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds without an exports map: Node loads the
    // CJS one for every importer, Vite would load the ESM one for ours. Two copies break
    // `instanceof GraphQLError`, so tests resolve it the way Node does in production.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Scans every harness's responses and logs for the run's credentials after each file.
    setupFiles: ['test/support/suite-secrets-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Every network test binds its own emulator on port 0, so files can run in parallel.
    pool: 'forks',
  },
});
