import { loadPack } from './pack/load.js';
import { findQuery, prepareQuery, type PreparedQuery } from './pack/prepare.js';
import type { Engine, QueryResult } from './engines/engine.js';

export interface RunQueryOptions {
  engine: Engine;
  now?: Date;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface QueryRun {
  prepared: PreparedQuery;
  result: QueryResult;
}

/** Library entry: validate parameters, render, run on the engine. */
export async function runQuery(id: string, params: Record<string, unknown>, options: RunQueryOptions): Promise<QueryRun> {
  const query = findQuery(loadPack(), id);
  const prepared = prepareQuery(query, params, { now: options.now });
  const result = await options.engine.run(prepared.sql, {
    window: prepared.window,
    tables: query.tables,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { prepared, result };
}
