import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // End-to-end tests fork worker processes of their own: keep test files from oversubscribing 2 cores.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
