import type { Engine, ResultColumn, Row, RunOptions, RunStats } from '../engine.js';

/**
 * A result read page by page as it arrives, for output that can be written row by row
 * (ndjson, csv) without holding every row in memory.
 */
export interface RowStream {
  columns: ResultColumn[];
  queryExecutionId?: string;
  /** Pages of rows in order; reading them fetches them. Iterate once. */
  pages(): AsyncIterable<Row[]>;
  /** Statistics; final once pages() is exhausted. */
  stats(): RunStats;
}

/** An engine that can also hand back its rows as a stream. */
export interface StreamingEngine {
  stream(sql: string, options?: RunOptions): Promise<RowStream>;
}

export function canStream(engine: Engine): engine is Engine & StreamingEngine {
  return typeof (engine as Partial<StreamingEngine>).stream === 'function';
}
