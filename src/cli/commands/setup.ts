import type { Argv } from 'yargs';
import { settingSources, type CommandFactory } from '../context.js';
import { UsageError } from '../../errors.js';
import { ALL_LAYOUT_FIELDS, givenLayoutOptions, layoutOptions } from '../../glue/cli-options.js';
import { resolvePlan } from '../../glue/config.js';
import { ACCOUNT_ID } from '../../layout/segments.js';
import { AWS } from '../../aws/settings.js';
import { ATHENA } from '../../engines/athena/settings.js';
import { addOptions, rawValue, resolveSection } from '../../settings/model.js';
import type { GlueSend } from '../../glue/setup.js';

export const setupCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) =>
    addOptions(addOptions(layoutOptions(y, ALL_LAYOUT_FIELDS), ATHENA, ['database'], 'Glue:'), AWS)
      .option('tables', {
        type: 'string',
        describe: 'Tables to set up, comma-separated (default: every table with a location)',
        group: 'Glue:',
      })
      .option('create-database', {
        type: 'boolean',
        default: true,
        describe: 'Create the database when missing (--no-create-database to refuse)',
        group: 'Glue:',
      })
      .option('catalog-id', { type: 'string', describe: "Glue Data Catalog id (default: the caller's account)", group: 'Glue:' })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'Print the TableInputs and the differences from what Glue holds; change nothing',
        group: 'Glue:',
      })
      .example('casebook setup --location s3://BUCKET/ --accounts 111122223333 --regions us-east-1 --dry-run', 'See what would be created')
      .example('casebook setup --config casebook.config.yaml', 'Options from a file'),
  handler: async (args) => {
    const argv = args as unknown as Record<string, unknown> & {
      config?: string;
      tables?: string;
      catalogId?: string;
      createDatabase: boolean;
      dryRun: boolean;
    };
    const now = ctx.io.now?.() ?? new Date();
    if (argv.catalogId !== undefined && !ACCOUNT_ID.test(argv.catalogId))
      throw new UsageError(`--catalog-id "${argv.catalogId}" is not a 12-digit account id`);
    const src = settingSources(argv, ctx);
    const database = rawValue(ATHENA, ATHENA.options.database, { ...src, config: {} });
    const plan = resolvePlan(
      {
        ...givenLayoutOptions(src),
        config: argv.config,
        tables: argv.tables,
        catalogId: argv.catalogId,
        ...(typeof database === 'string' ? { database } : {}),
      },
      ctx.io.cwd,
      now,
    );
    for (const n of plan.notes) ctx.io.stderr(`note: ${n}\n`);
    const aws = resolveSection(AWS, src);
    if (aws.region === undefined && plan.awsRegion !== undefined) aws.region = plan.awsRegion;
    const { createGlueClient } = await import('../../aws/client.js');
    const client = await createGlueClient(aws);
    let glue: GlueSend = client;
    if (argv.dryRun) {
      // A dry run without AWS (no credentials, region or network) still shows what would be created.
      const { catalogForDryRun } = await import('../../glue/offline.js');
      const found = await catalogForDryRun(glue, plan.database, plan.catalogId, aws.timeoutMs);
      if (found.note) ctx.io.stderr(`note: ${found.note}\n`);
      glue = found.glue;
    }
    const { setupGlue } = await import('../../glue/setup.js');
    try {
      await setupGlue(glue, {
        database: plan.database,
        catalogId: plan.catalogId,
        createDatabase: argv.createDatabase,
        dryRun: argv.dryRun,
        tables: plan.specs,
        now,
        log: (l) => ctx.io.stdout(`${l}\n`),
        warn: (l) => ctx.io.stderr(`${l}\n`),
        aws,
        retry: { attempts: aws.retries + 1 },
        signal: ctx.io.signal,
      });
    } finally {
      client.destroy();
    }
    if (argv.dryRun) ctx.io.stderr('dry run: nothing was changed\n');
  },
});
