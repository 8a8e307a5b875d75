import { loadPack } from '../../pack/load.js';
import { formatResult, FORMATS, type Format } from '../../format/format.js';
import { renderTable } from '../../format/table.js';
import { UsageError } from '../../errors.js';
import type { CommandFactory } from '../context.js';
import { optionName } from '../query-options.js';

export const listCommand: CommandFactory = (ctx) => ({
  builder: (y) =>
    y
      .option('format', {
        choices: FORMATS,
        default: 'table' as Format,
        describe: 'Output format (json: one object per query, with its parameters)',
      })
      .option('group', { type: 'string', describe: 'Only queries of this group' })
      .option('audience', { type: 'string', describe: 'Only queries for this audience (security, compliance, cost, operations)' })
      .option('wide', {
        type: 'boolean',
        default: false,
        describe: 'Table: every column, however wide (default on a terminal: fit its width)',
      }),
  handler: (args) => {
    const argv = args as unknown as { format: Format; group?: string; audience?: string; wide: boolean };
    const pack = loadPack();
    const groups = [...new Set(pack.queries.map((q) => q.group))].sort();
    if (argv.group !== undefined && !groups.includes(argv.group))
      throw new UsageError(`unknown group "${argv.group}": the groups are ${groups.join(', ')}`);
    const audiences = [...new Set(pack.queries.flatMap((q) => q.audience as string[]))].sort();
    if (argv.audience !== undefined && !audiences.includes(argv.audience))
      throw new UsageError(`unknown audience "${argv.audience}": the audiences are ${audiences.join(', ')}`);
    const queries = pack.queries
      .filter((q) => !argv.group || q.group === argv.group)
      .filter((q) => !argv.audience || (q.audience as string[]).includes(argv.audience));
    if (argv.format === 'json') {
      const out = queries.map((q) => ({
        id: q.id,
        title: q.title,
        group: q.group,
        audience: q.audience,
        tables: q.tables,
        severity: q.severity ?? null,
        mitre: q.mitre ?? [],
        description: q.description,
        parameters: Object.entries(q.allParams).map(([name, p]) => ({
          name: optionName(name),
          type: p.type === 'list' ? `list<${p.of}>` : p.type,
          required: Boolean(p.required),
          default: p.default ?? null,
          values: p.values ?? undefined,
          help: p.help,
        })),
        columns: q.columns,
      }));
      ctx.io.stdout(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    const rows = queries.map((q) => ({
      id: q.id,
      group: q.group,
      title: q.title,
      audience: q.audience.join(','),
      severity: q.severity ?? '',
    }));
    const names = ['id', 'group', 'title', 'audience', 'severity'] as const;
    if (argv.format === 'table') {
      // On a terminal: fit its width, wrapping titles and leaving out audience, then group, if need be.
      const cells = rows.map((r) => names.map((n) => r[n]));
      const t = renderTable([...names], cells, {
        width: ctx.io.stdoutColumns,
        wide: argv.wide,
        wrap: [false, false, true, false, false],
        drop: [3, 1],
      });
      ctx.io.stdout(t.text);
      const hidden = t.hidden.length
        ? ` (${t.hidden.join(' and ')} left out to fit ${ctx.io.stdoutColumns} columns: --wide or --format json shows them)`
        : '';
      ctx.io.stderr(`${rows.length} quer${rows.length === 1 ? 'y' : 'ies'}${hidden}\n`);
      return;
    }
    ctx.io.stdout(
      formatResult(
        {
          columns: names.map((name) => ({ name, type: 'varchar' })),
          rows,
          stats: { engine: 'pack', elapsedMs: 0, rows: rows.length },
        },
        argv.format,
      ),
    );
  },
});
