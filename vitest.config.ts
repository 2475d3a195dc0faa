import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Every network test binds its own emulator on port 0, so files can run in parallel.
    pool: 'forks',
  },
});
