import { defineConfig } from 'vitest/config';

/**
 * Files that run the whole pack on generated or real lakes, build report bundles over
 * lakes, or drive a headless browser (minutes). `npm test` runs every file;
 * `npm run test:quick` (the edit loop) runs the rest. To check one query:
 * `npx vitest run test/pack.test.ts -t <query-id>`.
 */
const SLOW_FILES = [
  'test/pack.test.ts',
  'test/layouts.test.ts',
  'test/store.test.ts',
  'test/sql-injection.test.ts',
  'test/athena-pack.test.ts',
  'test/report-lakes.test.ts',
  'test/report-html.test.ts',
  'test/library-package.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Both cores: the slow files (the pack on every layout, the store) run beside the rest.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'quick', include: ['test/**/*.test.ts'], exclude: SLOW_FILES } },
      { extends: true, test: { name: 'slow', include: SLOW_FILES } },
    ],
  },
});
