import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createGunzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import { CasebookError, firstLine } from '../../errors.js';
import { isoSeconds, windowDays, type TimeWindow } from '../../params/time.js';
import type { Engine, QueryResult, RunOptions, Row } from '../engine.js';
import { compatSetupSql, transpile } from './compat.js';
import { discoverFiles, gzipFirstLine, type LakeFile } from './lake.js';
import { viewSql } from './views.js';
import { toJson, typeName } from './values.js';

export interface DuckdbEngineOptions {
  /** Directory laid out like the S3 log bucket (holding AWSLogs/). */
  lake: string;
  /** DuckDB worker threads (default: all cores). */
  threads?: number;
  /** DuckDB memory limit, e.g. '2GB'. */
  memoryLimit?: string;
}

const ALL_TABLES = ['cloudtrail', 'vpc_flow_logs'];

export class DuckdbEngine implements Engine {
  readonly name = 'duckdb';
  private connection?: Promise<DuckDBConnection>;
  private instance?: DuckDBInstance;

  constructor(private readonly options: DuckdbEngineOptions) {}

  private connect(): Promise<DuckDBConnection> {
    this.connection ??= (async () => {
      const config: Record<string, string> = {};
      if (this.options.threads) config.threads = String(this.options.threads);
      if (this.options.memoryLimit) config.memory_limit = this.options.memoryLimit;
      this.instance = await DuckDBInstance.create(':memory:', config);
      const c = await this.instance.connect();
      for (const stmt of compatSetupSql()) await c.run(stmt);
      return c;
    })();
    return this.connection;
  }

  /** The window's files of each table (partition pruning); an error if there are none at all. */
  private discover(tables: string[], window: TimeWindow): Map<string, LakeFile[]> {
    const byTable = new Map<string, LakeFile[]>();
    for (const table of tables) byTable.set(table, discoverFiles(this.options.lake, table, window));
    if ([...byTable.values()].every((f) => f.length === 0)) {
      const { first, last } = windowDays(window);
      throw new CasebookError(
        `lake ${this.options.lake} holds no ${tables.join(' or ')} log files for ${isoSeconds(window.since)} to ${isoSeconds(window.until)} (days ${first} to ${last}); widen --since/--until or point --lake elsewhere`,
      );
    }
    return byTable;
  }

  async run(sql: string, options: RunOptions = {}): Promise<QueryResult> {
    const started = performance.now();
    const c = await this.connect();
    const tables = options.tables ?? ALL_TABLES.filter((t) => new RegExp(`\\b${t}\\b`).test(sql));
    const window = options.window ?? { since: new Date(0), until: new Date(8.64e15) };
    const byTable = this.discover(tables, window);
    const files = [...byTable.values()].flat();
    const onAbort = () => c.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (const [table, list] of byTable) await c.run(`CREATE OR REPLACE TEMP VIEW ${table} AS\n${viewSql(table, list)}`);
      if (options.signal?.aborted) throw new CasebookError('query cancelled');
      const reader = await c.runAndReadAll(transpile(sql));
      const names = reader.columnNames();
      const types = reader.columnTypes();
      const rows: Row[] = reader.getRowsJS().map((values) => {
        const row: Row = {};
        for (let i = 0; i < names.length; i++) row[names[i]!] = toJson(values[i], types[i]!);
        return row;
      });
      return {
        columns: names.map((name, i) => ({ name, type: typeName(types[i]!) })),
        rows,
        stats: {
          engine: this.name,
          elapsedMs: Math.round(performance.now() - started),
          rows: rows.length,
          filesRead: files.length,
          bytesRead: files.reduce((s, f) => s + f.size, 0),
        },
      };
    } catch (err) {
      if (err instanceof CasebookError) throw err;
      if (options.signal?.aborted) throw new CasebookError('query cancelled');
      throw await this.explain(err, files);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Turn a DuckDB failure into one line that names what is wrong. A read error is
   * traced to the file at fault by checking the window's files one by one.
   */
  private async explain(err: unknown, files: LakeFile[]): Promise<CasebookError> {
    const message = firstLine(err instanceof Error ? err.message : String(err));
    if (/(Invalid Input|IO Error|Conversion Error|Malformed|gzip|JSON|CSV|log file)/i.test(message)) {
      // The file DuckDB names, if any, first; then the rest.
      const named = files.filter((f) => message.includes(f.path));
      for (const f of [...named, ...files.filter((x) => !named.includes(x))]) {
        const problem = await checkFile(f);
        if (problem) return new CasebookError(`${problem}`, { cause: err });
      }
    }
    return new CasebookError(`query failed on the local engine: ${message}`, { cause: err });
  }

  async close(): Promise<void> {
    if (this.connection) {
      const c = await this.connection.catch(() => undefined);
      c?.closeSync();
      this.instance?.closeSync();
      this.connection = undefined;
    }
  }
}

/** Why a log file cannot be read, or undefined if it reads cleanly. */
export async function checkFile(f: LakeFile): Promise<string | undefined> {
  let text: string;
  try {
    text = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      createReadStream(f.path).pipe(createGunzip()).on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
    });
  } catch (err) {
    return `log file ${f.path} is corrupt or truncated: ${(err as Error).message}`;
  }
  if (f.path.endsWith('.json.gz')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      return `log file ${f.path} is not JSON: ${(err as Error).message}`;
    }
    if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { Records?: unknown }).Records)) {
      return `log file ${f.path} is not a CloudTrail log file (no "Records" array)`;
    }
    return undefined;
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const width = gzipFirstLine(f.path).trim().split(/\s+/).length;
  for (let i = 1; i < lines.length; i++) {
    const n = lines[i]!.trim().split(/\s+/).length;
    if (n !== width) return `flow-log file ${f.path} line ${i + 1} has ${n} fields where its header has ${width}`;
  }
  return undefined;
}

export function createDuckdbEngine(options: DuckdbEngineOptions): Engine {
  return new DuckdbEngine(options);
}
