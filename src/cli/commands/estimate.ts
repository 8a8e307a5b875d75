import type { Argv } from 'yargs';
import { loadPack } from '../../pack/load.js';
import { findQuery } from '../../pack/prepare.js';
import { estimatePrepared, prepare } from '../../pipeline.js';
import { createEngine } from '../../engines/create.js';
import { formatTable, humanBytes } from '../../format/format.js';
import { isoSeconds } from '../../params/time.js';
import { ATHENA } from '../../engines/athena/settings.js';
import { AWS } from '../../aws/settings.js';
import { LAKE } from '../../settings/lake.js';
import { addOptions, resolveSection } from '../../settings/model.js';
import { usd } from '../../engines/athena/cost.js';
import type { LakeLayout } from '../../engines/athena/estimate.js';
import type { ScanEstimate } from '../../engines/engine.js';
import { configOption, settingSources, type CommandFactory } from '../context.js';
import { lookAheadQuery, queryOptions, queryParamValues } from '../query-options.js';

/** The lake options estimate reads (src/settings/lake.ts). */
const LAKE_FIELDS = [
  'location',
  'cloudtrailLocation',
  'flowlogsLocation',
  'accounts',
  'regions',
  'orgId',
  'hivePrefixes',
  'hourly',
  'parquet',
] as const;

/** The estimate as text: per table, rows per account and region, then the totals. */
export function estimateText(queryId: string, e: ScanEstimate, showPrefixes: boolean): string {
  const lines: string[] = [];
  lines.push(
    `${queryId}: what Athena would scan at most for ${isoSeconds(new Date(e.window.since))} to ${isoSeconds(new Date(e.window.until))}` +
      ` (partition days ${e.days[0]} to ${e.days[e.days.length - 1]}, ${e.days.length} days with the day of slack)`,
  );
  for (const t of e.tables) {
    lines.push(
      '',
      `${t.table} in ${t.location} (${t.layouts.join(', ') || 'nothing found'}): ${t.prefixes.length} prefixes, ${t.objects} objects, ${humanBytes(t.bytes)}, ${usd(t.costUsd)}`,
    );
    const groups = new Map<string, { account: string; region: string; layout: string; days: number; objects: number; bytes: number }>();
    for (const p of t.prefixes) {
      const key = `${p.account}|${p.region}|${p.layout}`;
      const g = groups.get(key) ?? { account: p.account, region: p.region, layout: p.layout, days: 0, objects: 0, bytes: 0 };
      g.days++;
      g.objects += p.objects;
      g.bytes += p.bytes;
      groups.set(key, g);
    }
    if (groups.size > 0) {
      const rows = [...groups.values()].map((g) => ({
        account: g.account,
        region: g.region,
        layout: g.layout,
        days: g.days,
        objects: g.objects,
        bytes: humanBytes(g.bytes),
        cost: usd(g.bytes === 0 ? 0 : (g.bytes / t.bytes) * t.costUsd),
      }));
      lines.push(
        formatTable({
          columns: ['account', 'region', 'layout', 'days', 'objects', 'bytes', 'cost'].map((name) => ({ name, type: 'varchar' })),
          rows,
          stats: { engine: 'estimate', elapsedMs: 0, rows: rows.length },
        }).trimEnd(),
      );
    }
    if (showPrefixes) for (const p of t.prefixes) lines.push(`  ${p.prefix}  ${p.objects} objects, ${humanBytes(p.bytes)}`);
    for (const n of t.notes) lines.push(`note: ${n}`);
  }
  lines.push(
    '',
    `Total: ${humanBytes(e.bytes)} in ${e.objects} objects; at most ${usd(e.costUsd)} per run at $${e.pricePerTb}/TB (Athena bills at least 10 MB a query). ${e.listRequests} S3 LIST requests made.`,
  );
  return `${lines.join('\n')}\n`;
}

export const estimateCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) => {
    const q = lookAheadQuery(ctx.argv, 'estimate');
    const withSettings = addOptions(
      addOptions(addOptions(y.positional('query', { type: 'string' }), AWS), ATHENA, ['pricePerTb'], AWS.title),
      LAKE,
      LAKE_FIELDS,
    );
    return configOption(withSettings)
      .option('format', { choices: ['table', 'json'] as const, default: 'table', describe: 'Output format (json: every prefix)' })
      .option('prefixes', { type: 'boolean', default: false, describe: 'List every prefix' })
      .options(q ? queryOptions(q) : {});
  },
  handler: async (args) => {
    const argv = args as unknown as Record<string, unknown> & { query: string; format: 'table' | 'json'; prefixes: boolean };
    const query = findQuery(loadPack(), argv.query);
    const prepared = prepare(query, queryParamValues(query, argv), { now: ctx.io.now?.() });
    const src = settingSources(argv, ctx);
    const aws = resolveSection(AWS, src);
    const athena = resolveSection(ATHENA, src);
    const { flowlogsLocation, ...lake } = resolveSection(LAKE, src, LAKE_FIELDS);
    const lakeLayout: LakeLayout = { ...lake, flowLogsLocation: flowlogsLocation };
    // Estimating is what Athena would scan: the Athena engine, with the AWS options and the lake's S3 layout.
    const engine = await createEngine({ engine: 'athena', athena, aws, lakeLayout });
    try {
      const estimate = await estimatePrepared(engine, prepared, { signal: ctx.io.signal });
      ctx.io.stdout(
        argv.format === 'json'
          ? `${JSON.stringify({ query: query.id, ...estimate }, null, 2)}\n`
          : estimateText(query.id, estimate, argv.prefixes),
      );
    } finally {
      await engine.close();
    }
  },
});
