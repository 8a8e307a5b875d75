import type { CommandFactory } from '../context.js';
import { engineOptions, resolveEngineSettings } from '../context.js';
import { UsageError } from '../../errors.js';
import { parseTime } from '../../params/time.js';
import { humanBytes } from '../../format/format.js';
import { DEFAULT_DATABASE } from '../../engines/athena/settings.js';

export const compactCommand: CommandFactory = (ctx) => ({
  builder: (y) =>
    engineOptions(y, ctx)
      .option('table', { type: 'string', choices: ['cloudtrail', 'vpc_flow_logs'], demandOption: true, describe: 'Table to compact' })
      .option('since', {
        type: 'string',
        demandOption: true,
        describe: 'First delivery day (ISO-8601 date or time, or a duration back from now such as 7d)',
      })
      .option('until', { type: 'string', default: 'now', describe: 'End of the range (exclusive)' })
      .option('target-database', {
        type: 'string',
        default: 'casebook_parquet',
        describe: 'Database of the Parquet table (created by you or `casebook setup`; same table name)',
      })
      .option('location', {
        type: 'string',
        demandOption: true,
        describe: 's3:// prefix for the Parquet files (the table goes under <location>/<table>/)',
      })
      .option('account', {
        type: 'string',
        array: true,
        describe: 'One statement per day and account (estates with more than 100 account-region pairs a day)',
      })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'Print the statements for a table that does not exist yet, and run nothing',
      }),
  handler: async (args) => {
    const argv = args as unknown as Record<string, unknown> & {
      table: string;
      since: string;
      until: string;
      targetDatabase: string;
      location: string;
      account?: string[];
      dryRun: boolean;
    };
    const now = ctx.io.now?.() ?? new Date();
    const since = parseTime(argv.since, now, '--since');
    const until = parseTime(argv.until, now, '--until');
    const { compact, compactDays, compactStatements } = await import('../../store/compact.js');
    const settings = resolveEngineSettings(argv, ctx);
    const options = {
      table: argv.table,
      sourceDatabase: settings.engine === 'athena' ? settings.athena.database : DEFAULT_DATABASE,
      targetDatabase: argv.targetDatabase,
      location: argv.location,
      days: compactDays(since, until),
      accounts: argv.account,
    };
    if (argv.dryRun) {
      ctx.io.stdout(
        `${compactStatements(options, false)
          .map((s) => `${s.sql};`)
          .join('\n\n')}\n`,
      );
      return;
    }
    if (settings.engine !== 'athena')
      throw new UsageError('casebook compact runs on Athena: add --engine athena (the local engine has casebook import)');
    const { createEngine } = await import('../../engines/create.js');
    const engine = await createEngine(settings);
    try {
      const s = await compact(engine, options, (m) => ctx.io.stderr(`${m}\n`), ctx.io.signal);
      ctx.io.stdout(
        `${options.targetDatabase}.${options.table}: ${s.written.length} day(s) written, ${s.skipped.length} already there; ${humanBytes(s.scannedBytes)} scanned\n`,
      );
    } finally {
      await engine.close();
    }
  },
});
