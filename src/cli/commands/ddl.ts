import type { Argv } from 'yargs';
import type { CommandFactory } from '../context.js';
import { CasebookError } from '../../errors.js';
import { givenLayoutOptions, layoutOptions } from '../../glue/cli-options.js';
import { resolvePlan, tableName } from '../../glue/config.js';
import { renderAddPartitions, renderCreateTable } from '../../glue/ddl.js';
import { layoutName } from '../../layout/layout.js';
import { planTables } from '../../glue/plan.js';
import { registeredPartitions } from '../../glue/table-input.js';

export const ddlCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) =>
    layoutOptions(y.positional('table', { type: 'string', describe: 'cloudtrail or vpc_flow_logs (alias flowlogs)' }))
      .option('database', { type: 'string', describe: 'Qualify the table name with this database' })
      .example(
        'casebook ddl cloudtrail --location s3://BUCKET/PREFIX/ --accounts 111122223333 --regions us-east-1,eu-west-1 --start-date 2024/01/01',
        'Single- or multi-account trail',
      )
      .example(
        'casebook ddl cloudtrail --location s3://BUCKET/ --org-id o-a1b2c3d4e5 --accounts 111122223333,444455556666',
        'Organization trail',
      )
      .example(
        "casebook ddl flowlogs --location s3://BUCKET/ --accounts 111122223333 --format '${version} ${account-id} ${interface-id} ...'",
        'Flow logs, custom text format',
      ),
  handler: (args) => {
    const argv = args as unknown as Record<string, unknown> & { table: string; database?: string; config?: string };
    const now = ctx.io.now?.() ?? new Date();
    const table = tableName(argv.table);
    const plan = resolvePlan({ ...givenLayoutOptions({ argv, env: ctx.io.env }), config: argv.config }, ctx.io.cwd, now, table);
    for (const n of plan.notes) ctx.io.stderr(`note: ${n}\n`);
    const [built] = planTables(plan.specs, now, (w) => ctx.io.stderr(`${w}\n`));
    if (!built) throw new CasebookError(`no definition for ${table}`);
    const out = [
      `-- casebook: ${built.input.Name}, layout ${layoutName(built.spec.layout)}\n`,
      renderCreateTable(built.input, { database: argv.database }),
    ];
    const partitions = registeredPartitions(built, now);
    if (partitions.length) {
      out.push(
        `\n-- Hive-compatible prefixes cannot be projected onto day = 'yyyy/MM/dd' (docs/decisions/0004-table-layouts.md):\n` +
          `-- register each day's partition (${partitions.length} here, through ${built.spec.options.partitionsUntil}); \`casebook setup\` does this for you.\n`,
      );
      const keys = (built.input.PartitionKeys ?? []).map((k) => k.Name!);
      for (const stmt of renderAddPartitions(built.input.Name!, keys, partitions, { database: argv.database })) out.push(`\n${stmt}`);
    }
    ctx.io.stdout(out.join(''));
  },
});
