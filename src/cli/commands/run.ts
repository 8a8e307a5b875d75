import type { Argv } from 'yargs';
import { loadPack } from '../../pack/load.js';
import { findQuery } from '../../pack/prepare.js';
import { configuredFlowFormat } from '../../glue/config.js';
import { prepare, runPrepared, streamPrepared } from '../../pipeline.js';
import { createEngine } from '../../engines/create.js';
import { formatResult, FORMATS, humanBytes, type Format } from '../../format/format.js';
import type { Row, RowStream, RunStats } from '../../engines/engine.js';
import { carriedOptions, nextCommands } from '../next.js';
import { formatCostTable, isCostResult } from '../../format/cost-table.js';
import { ATHENA_PRICE_PER_TB_USD, usd } from '../../engines/athena/cost.js';
import { stringify } from 'csv-stringify/sync';
import { CSV_QUOTE, csvCell } from '../../format/csv-safe.js';
import { columnsNote } from '../../engines/athena/result-audit.js';
import type { CliIO } from '../io.js';
import { engineOptions, resolveEngineSettings, type CommandFactory } from '../context.js';
import { lookAheadQuery, queryOptions, queryParamValues } from '../query-options.js';

export function statsLine(queryId: string, s: RunStats, pricePerTb = ATHENA_PRICE_PER_TB_USD): string {
  const parts = [`${s.rows} row${s.rows === 1 ? '' : 's'}`, `${(s.elapsedMs / 1000).toFixed(2)} s`, s.engine];
  if (s.filesRead !== undefined) parts.push(`${s.filesRead} file${s.filesRead === 1 ? '' : 's'} (${humanBytes(s.bytesRead ?? 0)}) read`);
  if (s.dataScannedBytes !== undefined) parts.push(`${humanBytes(s.dataScannedBytes)} scanned`);
  if (s.costUsd !== undefined) parts.push(`${usd(s.costUsd)} at $${pricePerTb}/TB`);
  if (s.queryExecutionId) parts.push(`execution ${s.queryExecutionId}`);
  for (const n of s.notes ?? []) parts.push(n);
  return `${queryId}: ${parts.join(', ')}\n`;
}

export const runCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) => {
    const q = lookAheadQuery(ctx.argv, 'run');
    return engineOptions(y.positional('query', { type: 'string' }), ctx)
      .option('format', { choices: FORMATS, default: 'table' as Format, describe: 'Output format' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No statistics on stderr' })
      .option('wide', {
        type: 'boolean',
        default: false,
        describe: 'Table: one row per line however wide (default on a terminal: one block per record when the table does not fit)',
      })
      .options(q ? queryOptions(q) : {});
  },
  handler: async (args) => {
    const argv = args as unknown as Record<string, unknown> & { query: string; format: Format; quiet: boolean; wide: boolean };
    const query = findQuery(loadPack(), argv.query);
    const prepared = prepare(query, queryParamValues(query, argv), {
      now: ctx.io.now?.(),
      flowFormat: configuredFlowFormat(ctx.io.cwd, typeof argv.config === 'string' ? argv.config : undefined),
    });
    const settings = resolveEngineSettings(argv, ctx);
    const engine = await createEngine(settings);
    const progress = progressLine(ctx.io, argv.quiet);
    try {
      // The local engine's progress (phase, files read of the total) is a live line on a terminal only.
      const options = {
        signal: ctx.io.signal,
        onProgress: settings.engine === 'duckdb' && !ctx.io.stderrIsTTY ? undefined : progress.update,
      };
      let stats: RunStats;
      let rows: Row[] = [];
      if (argv.format === 'ndjson' || argv.format === 'csv') {
        // Rows are written batch by batch as the engine hands them over (as they arrive, where it streams).
        const stream = await streamPrepared(engine, prepared, options);
        progress.clear();
        await writeStream(stream, argv.format, ctx.io.stdout);
        stats = withColumnsNote(stream.stats(), query.columns, stream.columns);
      } else {
        const result = await runPrepared(engine, prepared, options);
        progress.clear();
        if (argv.format === 'table' && isCostResult(result)) {
          // Human units, the price's basis beside the dollars, a total line; csv and json keep the raw numbers.
          const t = formatCostTable(result, { width: ctx.io.stdoutColumns, wide: argv.wide });
          ctx.io.stdout(t.text);
          if (t.hidden.length && !argv.quiet)
            ctx.io.stderr(`columns left out to fit the terminal: ${t.hidden.join(', ')} (--wide or --format csv shows them)\n`);
        } else {
          ctx.io.stdout(formatResult(result, argv.format, { width: ctx.io.stdoutColumns, wide: argv.wide }));
        }
        stats = withColumnsNote(result.stats, query.columns, result.columns);
        rows = result.rows;
      }
      if (!argv.quiet) ctx.io.stderr(statsLine(query.id, stats, settings.engine === 'athena' ? settings.athena.pricePerTb : undefined));
      if (!argv.quiet && ctx.io.stderrIsTTY) {
        const next = nextCommands(
          query.id,
          prepared.params,
          rows,
          carriedOptions({ ...argv, engine: argv.engine === 'duckdb' ? undefined : argv.engine }),
        );
        // The comment saying why goes when it would wrap the command past the terminal's width.
        const width = ctx.io.stdoutColumns ?? 100;
        const fitWidth = (l: string) => (l.length + 2 <= width ? l : l.replace(/ {4}# [^']*$/, ''));
        if (next.length) ctx.io.stderr(`next:\n${next.map((l) => `  ${fitWidth(l)}`).join('\n')}\n`);
      }
    } finally {
      progress.clear();
      await engine.close();
    }
  },
});

function withColumnsNote(stats: RunStats, declared: string[], columns: { name: string }[]): RunStats {
  const note = columnsNote(declared, columns);
  return note ? { ...stats, notes: [...(stats.notes ?? []), note] } : stats;
}

/**
 * Progress on stderr: on a terminal one live line, rewritten in place; otherwise a
 * line when the state changes (the text before the first comma), at most every 30 s
 * while it stays the same.
 */
export function progressLine(io: CliIO, quiet: boolean): { update?: (m: string) => void; clear: () => void } {
  if (quiet) return { update: undefined, clear: () => undefined };
  let shown = false;
  let lastKey = '';
  let lastAt = 0;
  return {
    update: (m) => {
      if (io.stderrIsTTY) {
        io.stderr(`\r\x1b[2K${m}`);
        shown = true;
        return;
      }
      const key = m.split(',')[0]!;
      const now = Date.now();
      if (key !== lastKey || now - lastAt >= 30_000) {
        io.stderr(`${m}\n`);
        lastKey = key;
        lastAt = now;
      }
    },
    clear: () => {
      if (shown) io.stderr('\r\x1b[2K');
      shown = false;
    },
  };
}

/** Write a streamed result as ndjson or csv, the same bytes formatResult would give. */
export async function writeStream(stream: RowStream, format: 'ndjson' | 'csv', out: (text: string) => void): Promise<void> {
  const names = stream.columns.map((c) => c.name);
  let header = format === 'csv';
  for await (const page of stream.pages()) {
    if (format === 'ndjson') out(page.map((r) => `${JSON.stringify(r)}\n`).join(''));
    else {
      out(
        stringify(
          page.map((r) => names.map((n) => csvCell(r[n] ?? null))),
          { header, columns: names, record_delimiter: '\n', ...CSV_QUOTE },
        ),
      );
      header = false;
    }
  }
  if (header) out(stringify([], { header: true, columns: names, record_delimiter: '\n' }));
}
