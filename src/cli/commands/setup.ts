import type { Argv } from 'yargs';
import type { CommandFactory } from '../context.js';
import { UsageError } from '../../errors.js';
import { layoutOptions } from '../../glue/cli-options.js';
import { resolvePlan, type LayoutCliOptions } from '../../glue/config.js';
import { ACCOUNT_ID } from '../../glue/lint.js';
import type { GlueSend } from '../../glue/setup.js';

/** A Glue client from the default credential chain (tests mock GlueClient with aws-sdk-client-mock). */
async function glueClient(region: string | undefined): Promise<GlueSend> {
  const { GlueClient } = await import('@aws-sdk/client-glue');
  return new GlueClient(region ? { region } : {});
}

export const setupCommand: CommandFactory = (ctx) => ({
  command: 'setup',
  describe: 'Create or update the Glue database and tables Athena queries (idempotent; --dry-run shows the changes)',
  builder: (y: Argv) => layoutOptions(y)
    .option('tables', { type: 'string', describe: 'Tables to set up, comma-separated (default: every table with a location)', group: 'Glue:' })
    .option('cloudtrail-location', { type: 'string', describe: 'CloudTrail bucket folder, when it differs from --location', group: 'Where the logs are:' })
    .option('flowlogs-location', { type: 'string', describe: 'Flow-log bucket folder, when it differs from --location', group: 'Where the logs are:' })
    .option('database', { type: 'string', describe: 'Glue database (default: casebook)', group: 'Glue:' })
    .option('create-database', { type: 'boolean', default: true, describe: 'Create the database when missing (--no-create-database to refuse)', group: 'Glue:' })
    .option('catalog-id', { type: 'string', describe: 'Glue Data Catalog id (default: the caller\'s account)', group: 'Glue:' })
    .option('aws-region', { type: 'string', describe: 'Region of the Glue catalog (default: AWS_REGION / the profile\'s)', group: 'Glue:' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Print the TableInputs and the differences from what Glue holds; change nothing', group: 'Glue:' })
    .example('casebook setup --location s3://BUCKET/ --accounts 111122223333 --regions us-east-1 --dry-run', 'See what would be created')
    .example('casebook setup --config casebook.config.yaml', 'Options from a file'),
  handler: async (args) => {
    const argv = args as unknown as LayoutCliOptions & { createDatabase: boolean; dryRun: boolean };
    const now = ctx.io.now?.() ?? new Date();
    if (argv.catalogId !== undefined && !ACCOUNT_ID.test(argv.catalogId)) throw new UsageError(`--catalog-id "${argv.catalogId}" is not a 12-digit account id`);
    const plan = resolvePlan(argv, ctx.io.cwd, now);
    plan.notes.forEach((n) => ctx.io.stderr(`note: ${n}\n`));
    let glue = await glueClient(plan.awsRegion);
    if (argv.dryRun) {
      // A dry run without AWS (no credentials, region or network) still shows what would be created.
      const { catalogForDryRun } = await import('../../glue/offline.js');
      const found = await catalogForDryRun(glue, plan.database, plan.catalogId);
      if (found.note) ctx.io.stderr(`note: ${found.note}\n`);
      glue = found.glue;
    }
    const { setupGlue } = await import('../../glue/setup.js');
    await setupGlue(glue, {
      database: plan.database,
      catalogId: plan.catalogId,
      createDatabase: argv.createDatabase,
      dryRun: argv.dryRun,
      tables: plan.specs,
      now,
      log: (l) => ctx.io.stdout(`${l}\n`),
      warn: (l) => ctx.io.stderr(`${l}\n`),
    });
    if (argv.dryRun) ctx.io.stderr('dry run: nothing was changed\n');
  },
});
