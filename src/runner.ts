import type { PreparedQuery } from './pack/prepare.js';
import type { Engine, QueryResult, RowStream } from './engines/engine.js';
import { prepare, runPrepared, streamPrepared } from './pipeline.js';

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

export interface QueryStream {
  prepared: PreparedQuery;
  stream: RowStream;
}

/** Library entry: validate parameters, render, run on the engine. */
export async function runQuery(id: string, params: Record<string, unknown>, options: RunQueryOptions): Promise<QueryRun> {
  const prepared = prepare(id, params, { now: options.now });
  return { prepared, result: await runPrepared(options.engine, prepared, options) };
}

/** Library entry: the same, with the rows read batch by batch (see streamPrepared). */
export async function streamQuery(id: string, params: Record<string, unknown>, options: RunQueryOptions): Promise<QueryStream> {
  const prepared = prepare(id, params, { now: options.now });
  return { prepared, stream: await streamPrepared(options.engine, prepared, options) };
}
