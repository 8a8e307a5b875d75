import { resolve } from 'node:path';
import type { CommandFactory } from '../context.js';
import { humanBytes } from '../../format/format.js';
import { UsageError } from '../../errors.js';
import { defaultLakeDir } from '../../paths.js';

/** The store beside a lake (the engine's default); kept here so `import` does not load DuckDB before it must. */
function defaultStore(lake: string): string {
  return `${resolve(lake).replace(/[\\/]+$/, '')}.store`;
}

export const importCommand: CommandFactory = (ctx) => ({
  builder: (y) =>
    y
      .option('lake', {
        type: 'string',
        default: ctx.io.env.CASEBOOK_LAKE,
        describe: 'Directory laid out like the log bucket (holding AWSLogs/); default: the sample lake',
      })
      .option('store', { type: 'string', describe: 'Store directory (default: <lake>.store, where the local engine looks for it)' })
      .option('table', {
        type: 'string',
        array: true,
        choices: ['cloudtrail', 'vpc_flow_logs'],
        describe: 'Tables to convert (default: both)',
      })
      .option('threads', { type: 'number', describe: 'DuckDB worker threads (default: all cores)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress on stderr' }),
  handler: async (args) => {
    const argv = args as unknown as { lake?: string; store?: string; table?: string[]; threads?: number; quiet: boolean };
    const lake = resolve(ctx.io.cwd, argv.lake ?? defaultLakeDir());
    const store = argv.store ? resolve(ctx.io.cwd, argv.store) : defaultStore(lake);
    if (argv.threads !== undefined && (!Number.isInteger(argv.threads) || argv.threads < 1))
      throw new UsageError(`--threads ${argv.threads} is not a whole number of at least 1`);
    const { importLake } = await import('../../store/import.js');
    const s = await importLake({
      lake,
      store,
      tables: argv.table,
      threads: argv.threads,
      onProgress: argv.quiet ? undefined : (m) => ctx.io.stderr(`${m}\n`),
    });
    ctx.io.stdout(
      `Parquet store ${s.store}: ${s.partitions} partitions (${s.converted} converted, ${s.unchanged} unchanged), ` +
        `${s.rows} rows from ${s.sourceFiles} files (${humanBytes(s.sourceBytes)}) as ${humanBytes(s.parquetBytes)} of Parquet, ${s.seconds.toFixed(1)} s\n`,
    );
  },
});
