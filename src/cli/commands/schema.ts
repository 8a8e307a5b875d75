import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { CommandFactory } from '../context.js';
import { UsageError } from '../../errors.js';
import { getTable } from '../../tables/model.js';
import { hiveType } from '../../tables/column-types.js';
import { tableName } from '../../glue/config.js';
import { defaultFlowFormat, flowFormatFromFile, formatString, mapFlowFields, parseFlowFormat } from '../../glue/flow-format.js';

export const schemaCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) =>
    y
      .positional('table', { type: 'string', describe: 'cloudtrail or vpc_flow_logs (alias flowlogs)' })
      .option('format', { type: 'string', describe: "Flow logs: the flow log's format, '${version} ${vpc-id} ...'" })
      .option('header-from', { type: 'string', describe: 'Flow logs: take the fields from the header line of this log file' })
      .example("casebook schema flowlogs --format '${version} ${vpc-id} ${srcaddr} ${dstaddr} ${action}'", 'Columns of a custom format'),
  handler: (args) => {
    const argv = args as unknown as { table: string; format?: string; headerFrom?: string };
    const table = tableName(argv.table);
    const t = getTable(table);
    const rows: string[][] = [];
    if (table === 'vpc_flow_logs') {
      if (argv.format !== undefined && argv.headerFrom !== undefined)
        throw new UsageError('give the flow-log fields once: --format or --header-from, not both');
      const format =
        argv.format !== undefined
          ? parseFlowFormat(argv.format, '--format')
          : argv.headerFrom !== undefined
            ? flowFormatFromFile(resolve(ctx.io.cwd, argv.headerFrom))
            : defaultFlowFormat();
      const mapping = mapFlowFields(format, t);
      rows.push(['#', 'field', 'column', 'text type', 'parquet type', 'since']);
      mapping.fields.forEach((f, i) => {
        const k = f.known;
        rows.push([
          String(i + 1),
          f.field,
          f.column,
          k ? hiveType(k.textType ?? k.type) : 'string',
          k ? hiveType(k.type) : 'string',
          k?.since !== undefined ? `v${k.since}` : f.renamed ? '(partition has the name)' : '(unknown to casebook)',
        ]);
      });
      for (const p of t.partitions) rows.push(['', '', p.name, hiveType(p.type), hiveType(p.type), 'partition']);
      ctx.io.stdout(`vpc_flow_logs columns for ${format.source}:\n  ${formatString(format.fields)}\n\n`);
    } else {
      if (argv.format !== undefined || argv.headerFrom !== undefined)
        throw new UsageError('--format and --header-from describe flow logs, not CloudTrail');
      rows.push(['#', 'column', 'type', 'comment']);
      t.columns.forEach((c, i) => {
        rows.push([
          String(i + 1),
          c.name,
          hiveType(c.type).length > 60 ? `${hiveType(c.type).slice(0, 57)}...` : hiveType(c.type),
          c.comment ?? '',
        ]);
      });
      for (const p of t.partitions) rows.push(['', p.name, hiveType(p.type), `partition: ${p.comment ?? ''}`]);
    }
    const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
    ctx.io.stdout(
      `${rows
        .map((r) =>
          r
            .map((c, j) => c.padEnd(widths[j]!))
            .join('  ')
            .trimEnd(),
        )
        .join('\n')}\n`,
    );
  },
});
