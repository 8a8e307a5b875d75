import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { CasebookError, UsageError } from '../../errors.js';
import { parseS3Url, S3Source, type ObjectSource } from '../../bucket/source.js';
import { lakeSource } from '../../pull/state.js';
import { publicKeysFromCloudTrail, publicKeysFromFile } from '../../validate/public-keys.js';
import { validateLogs } from '../../validate/validate.js';
import { validationText } from '../../validate/text.js';
import { bucketAwsOptions, bucketAwsSettings, createBucketS3, createCloudTrailFor } from '../bucket-clients.js';
import { listOption, windowFrom, windowOptions } from '../window-options.js';
import type { CommandFactory } from '../context.js';

export const validateLogsCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) =>
    bucketAwsOptions(
      windowOptions(y.positional('location', { type: 'string', describe: 's3://BUCKET[/PREFIX] holding AWSLogs/ (or a folder above it)' })),
    )
      .option('lake', { type: 'string', describe: 'Validate a local lake made by casebook pull instead of a bucket' })
      .option('public-keys', {
        type: 'string',
        describe: 'Offline: a file with the output of `aws cloudtrail list-public-keys` (else CloudTrail ListPublicKeys is called)',
      })
      .option('accounts', { type: 'string', describe: 'Only these accounts, comma-separated' })
      .option('regions', { type: 'string', describe: 'Only these regions, comma-separated' })
      .option('format', {
        choices: ['text', 'json'] as const,
        default: 'text',
        describe: 'Output: text (problems and a summary) or json (every file)',
      })
      .option('all', { type: 'boolean', default: false, describe: 'text: list valid files too' })
      .option('concurrency', { type: 'number', default: 8, describe: 'Objects read in parallel' }),
  handler: async (args) => {
    const argv = args as unknown as Record<string, unknown> & {
      location?: string;
      lake?: string;
      'public-keys'?: string;
      format: 'text' | 'json';
      all: boolean;
      concurrency: number;
    };
    if (Boolean(argv.location) === Boolean(argv.lake))
      throw new UsageError('validate-logs needs a bucket (s3://BUCKET[/PREFIX]) or --lake DIR, not both');
    const window = windowFrom(argv as { since?: string; until?: string }, ctx);
    const aws = bucketAwsSettings(argv, ctx);
    let source: ObjectSource;
    let prefix = '';
    if (argv.lake) {
      const lake = lakeSource(resolve(ctx.io.cwd, argv.lake));
      source = lake;
      prefix = lake.keyPrefix;
    } else {
      const loc = parseS3Url(String(argv.location), 'validate-logs location');
      source = new S3Source(await createBucketS3(aws), loc.bucket, aws);
      prefix = loc.prefix;
    }
    const keys = argv['public-keys']
      ? publicKeysFromFile(resolve(ctx.io.cwd, argv['public-keys']))
      : publicKeysFromCloudTrail(await createCloudTrailFor(aws), window, ctx.io.signal, aws);
    const report = await validateLogs({
      source,
      prefix,
      window,
      keys,
      strict: !argv.lake,
      accounts: listOption(argv.accounts),
      regions: listOption(argv.regions),
      concurrency: argv.concurrency,
      signal: ctx.io.signal,
      onProgress: (m) => ctx.io.stderr(`${m}\n`),
    });
    ctx.io.stdout(argv.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : validationText(report, { all: argv.all }));
    if (!report.ok) {
      throw new CasebookError(
        report.digests.total === 0
          ? 'no digest files in the window: the log files could not be validated'
          : `${report.digests.problems + report.logs.problems} files failed validation`,
      );
    }
  },
});
