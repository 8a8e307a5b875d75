import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Argv } from 'yargs';
import { CONFIG_FILE } from '../../config.js';
import { UsageError } from '../../errors.js';
import { LocalSource, parseS3Url, printable, S3Source, type ObjectSource } from '../../bucket/source.js';
import { discover } from '../../discover/discover.js';
import { lakeSettings, writeLakeConfig } from '../../discover/config.js';
import { discoveryText } from '../../discover/text.js';
import { bucketAwsOptions, bucketAwsSettings, createBucketS3 } from '../bucket-clients.js';
import type { CommandFactory } from '../context.js';

export const discoverCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) =>
    bucketAwsOptions(y.positional('location', { type: 'string', describe: 's3://BUCKET[/PREFIX], or a local directory' }))
      .option('format', { choices: ['text', 'json'] as const, default: 'text', describe: 'Output format' })
      .option('write-config', {
        type: 'boolean',
        default: false,
        describe: `Write the lake: settings found (location, accounts, regions, org-id, flow-log layout) into the config file (--config, else ${CONFIG_FILE})`,
      })
      .option('depth', {
        type: 'number',
        default: 3,
        describe: "Folder levels above AWSLogs/ to search (custom prefixes, Control Tower's o-xxxx/)",
      }),
  handler: async (args) => {
    const argv = args as unknown as Record<string, unknown> & {
      location: string;
      format: 'text' | 'json';
      'write-config': boolean;
      depth: number;
      config?: string;
    };
    let source: ObjectSource;
    let prefix = '';
    const s3 = argv.location.startsWith('s3://');
    if (s3) {
      const loc = parseS3Url(argv.location, 'discover location');
      // --write-config may name a config file that does not exist yet: the settings then come from the command line and environment.
      const newConfig = argv['write-config'] && argv.config !== undefined && !existsSync(resolve(ctx.io.cwd, argv.config));
      const aws = bucketAwsSettings(newConfig ? { ...argv, config: undefined } : argv, ctx, newConfig);
      source = new S3Source(await createBucketS3(aws), loc.bucket, aws);
      prefix = loc.prefix;
    } else {
      const dir = resolve(ctx.io.cwd, argv.location);
      if (!existsSync(dir) || !statSync(dir).isDirectory())
        throw new UsageError(`discover: ${argv.location} is neither s3://BUCKET[/PREFIX] nor a directory`);
      source = new LocalSource(dir);
    }
    const d = await discover(source, { prefix, strict: s3, depth: argv.depth, signal: ctx.io.signal });
    const { settings, notes } = lakeSettings(d, { s3 });
    d.notes.push(...notes);
    ctx.io.stdout(argv.format === 'json' ? `${JSON.stringify({ ...d, lake: settings }, null, 2)}\n` : discoveryText(d));
    if (argv['write-config']) {
      if (d.roots.length === 0) throw new UsageError('discover found no logs: nothing to write to the config');
      const file = resolve(ctx.io.cwd, argv.config ?? CONFIG_FILE);
      writeLakeConfig(file, settings);
      ctx.io.stderr(`wrote lake: settings to ${printable(file)}:\n${stringify({ lake: settings }).trimEnd()}\n`);
    }
  },
});
