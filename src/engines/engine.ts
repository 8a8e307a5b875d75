import type { TimeWindow } from '../params/time.js';
import type { Estimate } from './athena/estimate.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
export type Row = Record<string, JsonValue>;

export interface ResultColumn {
  name: string;
  /** Engine type name, lower case (varchar, bigint, timestamp, ...). */
  type: string;
}

export interface RunStats {
  engine: string;
  elapsedMs: number;
  rows: number;
  /** Local engine: log files and compressed bytes read for the query. */
  filesRead?: number;
  bytesRead?: number;
  /** Athena: bytes scanned, execution id, estimated cost. */
  dataScannedBytes?: number;
  queryExecutionId?: string;
  costUsd?: number;
  /** Anything else worth telling the user (store used, result reused, ...). */
  notes?: string[];
}

export interface QueryResult {
  columns: ResultColumn[];
  /** Plain JSON values: no bigint, timestamps as ISO-8601 strings. */
  rows: Row[];
  stats: RunStats;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** The event-time window; the local engine reads only the files it needs for it. */
  window?: TimeWindow;
  /** Tables the SQL reads. */
  tables?: string[];
  /** Progress lines for a terminal (state, elapsed, scanned). */
  onProgress?: (message: string) => void;
}

/**
 * A result read batch by batch as it arrives, for output that can be written row by
 * row (ndjson, csv) without holding every row in memory.
 */
export interface RowStream {
  columns: ResultColumn[];
  /** Batches of rows in order; reading them fetches them. Iterate once. */
  pages(): AsyncIterable<Row[]>;
  /** Statistics; final once pages() is exhausted. */
  stats(): RunStats;
}

/** What a run would read: the tables a query names and the period its partition predicate selects. */
export interface ScanRequest {
  tables: string[];
  window: TimeWindow;
}

/**
 * What a run would scan at most, before it runs (objects, bytes, cost, per table and
 * prefix). Only the Athena engine estimates today, so its estimate is the shape.
 */
export type ScanEstimate = Estimate;

/**
 * One handle per engine: run Athena SQL, get plain rows. `run` is the one capability
 * every engine has; `stream` and `estimate` are optional: check for them with
 * canStream and canEstimate rather than by engine name.
 */
export interface Engine {
  readonly name: string;
  /** Run the SQL and return every row. */
  run(sql: string, options?: RunOptions): Promise<QueryResult>;
  /** Run the SQL and hand back its rows batch by batch as they arrive. */
  stream?(sql: string, options?: RunOptions): Promise<RowStream>;
  /** List what a run would scan, without running anything. */
  estimate?(request: ScanRequest, options?: { signal?: AbortSignal }): Promise<ScanEstimate>;
  close(): Promise<void>;
}

export type StreamingEngine = Engine & Required<Pick<Engine, 'stream'>>;
export type EstimatingEngine = Engine & Required<Pick<Engine, 'estimate'>>;

export function canStream(engine: Engine): engine is StreamingEngine {
  return typeof engine.stream === 'function';
}

export function canEstimate(engine: Engine): engine is EstimatingEngine {
  return typeof engine.estimate === 'function';
}

/** Rows already held, handed back as a stream of batches (for an engine that reads its whole result at once). */
export function resultStream(result: QueryResult, batchRows = 1000): RowStream {
  return {
    columns: result.columns,
    async *pages() {
      for (let i = 0; i < result.rows.length; i += batchRows) yield result.rows.slice(i, i + batchRows);
    },
    stats: () => result.stats,
  };
}
