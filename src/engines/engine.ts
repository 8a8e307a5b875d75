import type { TimeWindow } from '../params/time.js';

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

/** One handle per engine: run Athena SQL, get plain rows. */
export interface Engine {
  readonly name: string;
  run(sql: string, options?: RunOptions): Promise<QueryResult>;
  close(): Promise<void>;
}
