import type { Argv } from 'yargs';
import { loadPack, type Query } from '../../pack/load.js';
import { findQuery, prepareQuery } from '../../pack/prepare.js';
import { createEngine } from '../../engines/create.js';
import { formatResult, FORMATS, humanBytes, type Format } from '../../format/format.js';
import { defaultLakeDir } from '../../paths.js';
import type { RunStats } from '../../engines/engine.js';
import { engineOptions, type CommandFactory } from '../context.js';
import { queryOptions, queryParamValues } from '../query-options.js';

/** The query named after `command` in raw argv, if it is a known one (to offer its parameters as options). */
export function lookAheadQuery(argv: string[], command: string): Query | undefined {
  const i = argv.indexOf(command);
  const id = i >= 0 ? argv.slice(i + 1).find((a) => !a.startsWith('-')) : undefined;
  return id ? loadPack().byId.get(id) : undefined;
}

export function statsLine(queryId: string, s: RunStats): string {
  const parts = [`${s.rows} row${s.rows === 1 ? '' : 's'}`, `${(s.elapsedMs / 1000).toFixed(2)} s`, s.engine];
  if (s.filesRead !== undefined) parts.push(`${s.filesRead} files (${humanBytes(s.bytesRead ?? 0)}) read`);
  if (s.dataScannedBytes !== undefined) parts.push(`${humanBytes(s.dataScannedBytes)} scanned`);
  if (s.costUsd !== undefined) parts.push(`$${s.costUsd.toFixed(4)}`);
  if (s.queryExecutionId) parts.push(`execution ${s.queryExecutionId}`);
  for (const n of s.notes ?? []) parts.push(n);
  return `${queryId}: ${parts.join(', ')}\n`;
}

export const runCommand: CommandFactory = (ctx) => ({
  command: 'run <query>',
  describe: 'Run a query and print its results',
  builder: (y: Argv) => {
    const q = lookAheadQuery(ctx.argv, 'run');
    return engineOptions(y.positional('query', { type: 'string' }), ctx)
      .option('format', { choices: FORMATS, default: 'table' as Format, describe: 'Output format' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No statistics on stderr' })
      .options(q ? queryOptions(q) : {});
  },
  handler: async (args) => {
    const argv = args as unknown as Record<string, unknown> & { query: string; format: Format; engine: string; lake?: string; threads?: number; quiet: boolean };
    const query = findQuery(loadPack(), argv.query);
    const prepared = prepareQuery(query, queryParamValues(query, argv), { now: ctx.io.now?.() });
    const engine = await createEngine({ ...argv, engine: argv.engine, lake: argv.lake ?? defaultLakeDir(), threads: argv.threads });
    try {
      const result = await engine.run(prepared.sql, {
        window: prepared.window,
        tables: query.tables,
        signal: ctx.io.signal,
        onProgress: argv.quiet ? undefined : (m) => ctx.io.stderr(ctx.io.stderrIsTTY ? `\r\x1b[2K${m}` : `${m}\n`),
      });
      ctx.io.stdout(formatResult(result, argv.format));
      if (!argv.quiet) ctx.io.stderr(statsLine(query.id, result.stats));
    } finally {
      await engine.close();
    }
  },
});
