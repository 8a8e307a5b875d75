import { loadPack, type Query } from './pack/load.js';
import { findQuery, prepareQuery, type PreparedQuery, type PrepareOptions } from './pack/prepare.js';
import {
  canEstimate,
  canStream,
  resultStream,
  type Engine,
  type QueryResult,
  type RowStream,
  type RunOptions,
  type ScanEstimate,
} from './engines/engine.js';
import { UsageError } from './errors.js';

/**
 * The one path from a query to its rows, used by the CLI (run, estimate), the library
 * entry (runner.ts) and reports:
 *
 *   prepare: query + raw parameter values -> validated parameters, rendered Athena SQL,
 *            the window to scan and the tables to read (pack/prepare.ts)
 *   then, on an engine: run (every row), stream (rows batch by batch) or estimate
 *            (what a run would scan, for an engine that can say).
 */

export type { PreparedQuery } from './pack/prepare.js';

/** Validate raw parameter values for a query (given as itself or by id) and render its SQL. */
export function prepare(
  query: Query | string,
  raw: Record<string, unknown>,
  opts: Pick<PrepareOptions, 'now' | 'flowFormat'> = {},
): PreparedQuery {
  return prepareQuery(typeof query === 'string' ? findQuery(loadPack(), query) : query, raw, opts);
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  /** Progress lines for a terminal (state, elapsed, scanned). */
  onProgress?: (message: string) => void;
}

/** What an engine is told besides the SQL: the window and tables to read, cancellation, progress. */
export function runOptions(prepared: PreparedQuery, opts: ExecuteOptions = {}): RunOptions {
  return { window: prepared.window, tables: prepared.tables, signal: opts.signal, onProgress: opts.onProgress };
}

/** Run a prepared query on an engine: every row, in memory. */
export function runPrepared(engine: Engine, prepared: PreparedQuery, opts: ExecuteOptions = {}): Promise<QueryResult> {
  return engine.run(prepared.sql, runOptions(prepared, opts));
}

/**
 * Run a prepared query and read its rows batch by batch: as they arrive on an engine
 * that streams, else the whole result handed back as batches.
 */
export async function streamPrepared(engine: Engine, prepared: PreparedQuery, opts: ExecuteOptions = {}): Promise<RowStream> {
  if (canStream(engine)) return engine.stream(prepared.sql, runOptions(prepared, opts));
  return resultStream(await runPrepared(engine, prepared, opts));
}

/** What running a prepared query would scan, from an engine that can estimate it. */
export async function estimatePrepared(
  engine: Engine,
  prepared: PreparedQuery,
  opts: Pick<ExecuteOptions, 'signal'> = {},
): Promise<ScanEstimate> {
  if (!canEstimate(engine)) throw new UsageError(`the ${engine.name} engine cannot estimate what a query would scan`);
  return engine.estimate({ tables: prepared.tables, window: prepared.window }, { signal: opts.signal });
}
