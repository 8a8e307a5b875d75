import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { UsageError } from '../../errors.js';
import { humanBytes } from '../../format/format.js';
import { isLogTable, type LogTable } from '../../layout/layout.js';
import { parseS3Url, printable, S3Source } from '../../bucket/source.js';
import { pullLake } from '../../pull/pull.js';
import { bucketAwsOptions, bucketAwsSettings, createBucketS3 } from '../bucket-clients.js';
import { listOption, windowFrom, windowOptions } from '../window-options.js';
import type { CommandFactory } from '../context.js';

export const pullCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) =>
    bucketAwsOptions(
      windowOptions(y.positional('location', { type: 'string', describe: 's3://BUCKET[/PREFIX] holding AWSLogs/ (or a folder above it)' })),
    )
      .option('lake', {
        type: 'string',
        demandOption: true,
        describe: "Local directory to write the lake to (laid out like the bucket below AWSLogs/'s folder)",
      })
      .option('tables', { type: 'string', describe: 'Tables to pull, comma-separated: cloudtrail, vpc_flow_logs (default: both)' })
      .option('accounts', { type: 'string', describe: 'Only these accounts, comma-separated' })
      .option('regions', { type: 'string', describe: 'Only these regions, comma-separated' })
      .option('concurrency', { type: 'number', default: 8, describe: 'Objects downloaded in parallel' })
      .option('import', { type: 'boolean', default: false, describe: "Then update the lake's Parquet store (casebook import)" })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress on stderr' }),
  handler: async (args) => {
    const argv = args as unknown as Record<string, unknown> & {
      location: string;
      lake: string;
      tables?: string;
      concurrency: number;
      import: boolean;
      quiet: boolean;
    };
    const tables = listOption(argv.tables) ?? ['cloudtrail', 'vpc_flow_logs'];
    for (const t of tables) if (!isLogTable(t)) throw new UsageError(`--tables: unknown table ${t} (cloudtrail, vpc_flow_logs)`);
    if (!Number.isInteger(argv.concurrency) || argv.concurrency < 1)
      throw new UsageError(`--concurrency ${argv.concurrency} is not a whole number of at least 1`);
    const window = windowFrom(argv as { since?: string; until?: string }, ctx);
    const loc = parseS3Url(argv.location, 'pull location');
    const aws = bucketAwsSettings(argv, ctx);
    const source = new S3Source(await createBucketS3(aws), loc.bucket, aws);
    const lake = resolve(ctx.io.cwd, argv.lake);
    const s = await pullLake({
      source,
      prefix: loc.prefix,
      lake,
      window,
      tables: tables as LogTable[],
      accounts: listOption(argv.accounts),
      regions: listOption(argv.regions),
      concurrency: argv.concurrency,
      signal: ctx.io.signal,
      onProgress: argv.quiet ? undefined : (m) => ctx.io.stderr(`${m}\n`),
    });
    ctx.io.stdout(
      `Pulled ${printable(s.location)} into ${printable(s.lake)}: ${s.objects} objects under ${s.prefixes} day prefixes (${s.days[0]} to ${s.days[s.days.length - 1]}), ` +
        `${s.downloaded} downloaded (${humanBytes(s.bytes)}), ${s.skipped} already here; ${s.signatures} digest signatures kept\n`,
    );
    if (argv.import) {
      const { importLake } = await import('../../store/import.js');
      const i = await importLake({
        lake,
        store: `${lake.replace(/[\\/]+$/, '')}.store`,
        tables,
        onProgress: argv.quiet ? undefined : (m) => ctx.io.stderr(`${m}\n`),
      });
      ctx.io.stdout(
        `Parquet store ${i.store}: ${i.partitions} partitions (${i.converted} converted, ${i.unchanged} unchanged), ${i.rows} rows\n`,
      );
    }
  },
});
