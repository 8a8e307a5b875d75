import { defineConfig } from 'vitest/config';

/**
 * Files that run the whole pack on generated or real lakes (minutes). `npm test` runs
 * every file; `npm run test:quick` (the edit loop) runs the rest, in seconds. To check
 * one query: `npx vitest run test/pack.test.ts -t <query-id>`.
 */
const LAKE_FILES = [
  'test/pack.test.ts',
  'test/layouts.test.ts',
  'test/store.test.ts',
  'test/sql-injection.test.ts',
  'test/athena-pack.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'quick', include: ['test/**/*.test.ts'], exclude: LAKE_FILES } },
      { extends: true, test: { name: 'lake', include: LAKE_FILES } },
    ],
  },
});
