/**
 * Bundles the CLI with esbuild into dist/cli/: main.js (argument parsing and the command
 * table) plus one chunk per command and per shared slice, loaded when a command runs.
 * Loading a few large files costs far less than resolving and loading hundreds of small
 * modules one by one, which was most of `casebook list`'s start-up.
 *
 * Native and vendor-SDK packages stay external and are imported only where a command
 * uses them: @duckdb/node-api (a native addon) and the AWS SDK.
 * Files read at run time (queries/, schemas/, reports/, package.json) are found from the
 * package root as before; worker.js (the sample generator's), flow-spool-worker.js and
 * guard-worker.js are worker-thread entries, next to the chunks that start them (src/worker-thread.ts).
 *
 *   node scripts/build-cli.mjs   (part of `npm run build`)
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });

/**
 * yargs renders the full help text of every command it runs and keeps it, in case the
 * program asks for it after the handler (`showHelp()` later on): a third of its start-up
 * work. casebook never does (help is printed only for --help, and failures are one line,
 * `showHelpOnFail(false)`), so the bundle leaves that call out.
 */
const noHelpTextOnRun = {
  name: 'yargs-help-text-on-demand',
  setup(b) {
    b.onLoad({ filter: /[\\/]yargs[\\/]build[\\/]lib[\\/]command\.js$/ }, ({ path }) => {
      const call = 'yargs.getInternalMethods().getUsageInstance().cacheHelpMessage();';
      const text = readFileSync(path, 'utf8');
      if (text.split(call).length !== 2) throw new Error(`${path}: yargs changed; revisit the help-text patch in scripts/build-cli.mjs`);
      return { contents: text.replace(call, '/* help text built on demand only (casebook build) */'), loader: 'js' };
    });
  },
};

/**
 * zod re-exports every message locale (`z.locales`, `z.core.locales`: 40 % of its code); casebook never
 * switches from English (which zod's schemas import directly), so the bundle carries an
 * empty `z.locales` instead of the other languages.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, ({ importer }) =>
      /[\\/]zod[\\/]v4[\\/](classic[\\/]external|core[\\/]index)\.js$/.test(importer)
        ? { path: 'zod-locales', namespace: 'casebook-empty' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'casebook-empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'src/cli/main.ts',
    worker: 'src/sample/worker.ts',
    'flow-spool-worker': 'src/engines/duckdb/flow-spool-worker.ts',
    'guard-worker': 'src/engines/duckdb/guard-worker.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '[name]-[hash]',
  external: ['@duckdb/node-api', '@aws-sdk/*', '@smithy/*'],
  // CommonJS packages in the bundle (yargs' helpers, cli-table3) call require() for node built-ins.
  banner: { js: "import { createRequire as __casebookRequire } from 'node:module'; const require = __casebookRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [noHelpTextOnRun, zodEnglishOnly],
});
