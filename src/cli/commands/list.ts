import { loadPack } from '../../pack/load.js';
import { formatResult, FORMATS, type Format } from '../../format/format.js';
import type { CommandFactory } from '../context.js';
import { optionName } from '../query-options.js';

export const listCommand: CommandFactory = (ctx) => ({
  command: 'list',
  describe: 'List the investigations in the pack',
  builder: (y) => y
    .option('format', { choices: FORMATS, default: 'table' as Format, describe: 'Output format (json: one object per query, with its parameters)' })
    .option('group', { type: 'string', describe: 'Only queries of this group' })
    .option('audience', { type: 'string', describe: 'Only queries for this audience (security, compliance, cost, operations)' }),
  handler: (args) => {
    const argv = args as unknown as { format: Format; group?: string; audience?: string };
    const queries = loadPack().queries
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
      id: q.id, group: q.group, title: q.title, audience: q.audience.join(','), severity: q.severity ?? '',
    }));
    ctx.io.stdout(formatResult({
      columns: ['id', 'group', 'title', 'audience', 'severity'].map((name) => ({ name, type: 'varchar' })),
      rows,
      stats: { engine: 'pack', elapsedMs: 0, rows: rows.length },
    }, argv.format));
    if (argv.format === 'table') ctx.io.stderr(`${rows.length} queries\n`);
  },
});
