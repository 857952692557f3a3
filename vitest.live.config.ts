import { defineConfig } from 'vitest/config';

/**
 * The opt-in live suite (`npm run test:live`): real requests to the public npm registry. Its files end in
 * `.live.ts`, which the default config (`test/**\/*.test.ts`) does not pick up, so `npm test` stays offline.
 */
export default defineConfig({
  test: {
    include: ['test/live/**/*.live.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
    pool: 'forks',
    // One file at a time: polite to the registry, and the printed tables are not interleaved.
    fileParallelism: false,
  },
});
