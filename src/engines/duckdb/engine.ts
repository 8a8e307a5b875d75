import type { DuckDBConnection, DuckDBInstance as Instance } from '@duckdb/node-api';
import { duckdb } from './api.js';
import { createGunzip } from 'node:zlib';
import { closeSync, createReadStream, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { CasebookError, firstLine } from '../../errors.js';
import { isoSeconds, type TimeWindow } from '../../params/time.js';
import { windowDays } from '../../layout/days.js';
import { resultStream, type Engine, type QueryResult, type RowStream, type RunOptions, type Row, type StreamingEngine } from '../engine.js';
import { setupCompat, transpile } from './compat.js';
import { discoverFiles, gzipFirstLine, literalPath, type LakeFile } from './lake.js';
import { MAX_JSON_OBJECT, viewSql, type FileBinder, type JsonFormat } from './views.js';
import { neededColumns } from './projection.js';
import { namesTable } from '../../sql/lexer.js';
import { getTable } from '../../tables/model.js';
import { fileStamp } from '../../cache-dir.js';
import { toJson, typeName } from './values.js';
import { storeCoverage, type StoreFiles } from '../../store/coverage.js';
import { guardLakeFiles } from './guard.js';
import { SPOOL_MIN_FILES, SpoolUnavailable, spoolFlowLogs, spoolable, type FlowSpool } from './flow-spool.js';
import { watchProgress } from './progress.js';

const { DuckDBInstance, LIST, VARCHAR, listValue } = duckdb;

export interface DuckdbEngineOptions {
  /** Directory laid out like the S3 log bucket (holding AWSLogs/). */
  lake: string;
  /** DuckDB worker threads (default: all cores). */
  threads?: number;
  /** DuckDB memory limit (default 1GB: scans stream; large sorts and aggregations spill to a temporary directory). */
  memoryLimit?: string;
  /**
   * The Parquet store of the lake (`casebook import`), used when it covers a query's
   * window and is current; default `<lake>.store` when that exists; `false`: never.
   */
  store?: string | false;
  /** Skip corrupt or unsafe log files (each named in the run's notes) instead of failing on the first. */
  skipBadFiles?: boolean;
  /**
   * Read flow-log text files through the spool (flow-spool.ts: few large files instead of
   * many small ones). Default: when the window holds at least SPOOL_MIN_FILES of them.
   */
  spoolFlowLogs?: boolean;
}

/** Where `casebook import` puts a lake's Parquet store unless told otherwise: beside the lake (so `aws s3 sync --delete` into the lake leaves it alone). */
export function defaultStoreDir(lake: string): string {
  return `${resolve(lake).replace(/[\\/]+$/, '')}.store`;
}

const ALL_TABLES = ['cloudtrail', 'vpc_flow_logs'];

export class DuckdbEngine implements StreamingEngine {
  readonly name = 'duckdb';
  private connection?: Promise<DuckDBConnection>;
  private instance?: Instance;
  /** The last flow-log spool, kept for the next run over the same files (spoolFor). */
  private spool?: { key: string; files: Map<string, string>; spool: FlowSpool };

  constructor(private readonly options: DuckdbEngineOptions) {}

  private connect(): Promise<DuckDBConnection> {
    this.connection ??= (async () => {
      const config: Record<string, string> = {
        memory_limit: this.options.memoryLimit ?? '1GB',
        temp_directory: join(tmpdir(), `casebook-duckdb-${process.pid}`),
      };
      if (this.options.threads) config.threads = String(this.options.threads);
      this.instance = await DuckDBInstance.create(':memory:', config);
      const c = await this.instance.connect();
      await setupCompat(c);
      return c;
    })();
    return this.connection;
  }

  /** The window's files of each table (partition pruning); an error if there are none at all. */
  private discover(tables: string[], window: TimeWindow, links: string[] = []): Map<string, LakeFile[]> {
    const byTable = new Map<string, LakeFile[]>();
    for (const table of tables) byTable.set(table, discoverFiles(this.options.lake, table, window, links));
    if ([...byTable.values()].every((f) => f.length === 0)) {
      const { first, last } = windowDays(window);
      throw new CasebookError(
        `lake ${this.options.lake} holds no ${tables.join(' or ')} log files for ${isoSeconds(window.since)} to ${isoSeconds(window.until)} (days ${first} to ${last}); widen --since/--until or point --lake elsewhere${links.length ? `; ${linkNote(links)}` : ''}`,
      );
    }
    return byTable;
  }

  async run(sql: string, options: RunOptions = {}): Promise<QueryResult> {
    const started = performance.now();
    const c = await this.connect();
    const tables = options.tables ?? ALL_TABLES.filter((t) => namesTable(sql, t));
    const window = options.window ?? { since: new Date(0), until: new Date(8.64e15) };
    const storeNotes: string[] = [];
    const store = this.options.store === false ? undefined : (this.options.store ?? defaultStoreDir(this.options.lake));
    if (store && existsSync(store)) {
      const coverage = storeCoverage(store, this.options.lake, tables, window);
      if (coverage.covered) return this.runOnStore(c, sql, store, coverage.byTable, options, started);
      storeNotes.push(`Parquet store not used: ${coverage.reason}`);
    }
    options.onProgress?.('duckdb: finding the log files of the window');
    const links: string[] = [];
    const byTable = this.discover(tables, window, links);
    if (links.length) storeNotes.push(linkNote(links));
    // Flow-log text files are inflated once, by the spool, which applies the pre-check's limit.
    const flows = byTable.get('vpc_flow_logs') ?? [];
    const spooling = this.options.spoolFlowLogs ?? flows.filter(spoolable).length >= SPOOL_MIN_FILES;
    let spool: FlowSpool | undefined;
    if (spooling && flows.length) {
      try {
        options.onProgress?.(`duckdb: decompressing ${flows.length.toLocaleString('en-US')} flow-log files`);
        spool = await this.spoolFor(flows, options.signal);
      } catch (err) {
        if (!(err instanceof SpoolUnavailable)) throw err;
        storeNotes.push(`flow-log files read one by one (the temporary folder could not take them: ${err.message})`);
      }
    }
    try {
      return await this.runOnFiles(c, sql, byTable, spool, storeNotes, options, started);
    } catch (err) {
      // A failed run may have met a spool that no longer reads: the next run spools again.
      this.dropSpool();
      throw err;
    }
  }

  /**
   * The flow-log spool of these files. A report runs its sections over the same window
   * one after another on one engine: the files are spooled once and the spool is kept
   * (one at a time) until the engine closes, while every file keeps the size and
   * modification time it had when spooled.
   */
  private async spoolFor(flows: LakeFile[], signal?: AbortSignal): Promise<FlowSpool> {
    const key = flows.map((f) => f.path).join('\n');
    const kept = this.spool;
    if (kept && kept.key === key && unchanged(kept.files)) return kept.spool;
    this.dropSpool();
    const files = new Map(flows.map((f) => [f.path, fileStamp(f.path)]));
    const spool = await spoolFlowLogs(flows, { signal, collect: this.options.skipBadFiles === true });
    this.spool = { key, files, spool };
    return spool;
  }

  private dropSpool(): void {
    this.spool?.spool.dispose();
    this.spool = undefined;
  }

  private async runOnFiles(
    c: DuckDBConnection,
    sql: string,
    byTable: Map<string, LakeFile[]>,
    spool: FlowSpool | undefined,
    storeNotes: string[],
    options: RunOptions,
    started: number,
  ): Promise<QueryResult> {
    const rest = spool ? new Set(spool.rest.map((f) => f.path)) : undefined;
    const guarded = [...byTable.values()].flat().filter((f) => !rest || !spoolable(f) || rest.has(f.path));
    // No file may crash the process or exhaust memory: unsafe ones are refused by name
    // (or, with skipBadFiles, left out and named in the notes).
    if (guarded.length) options.onProgress?.(`duckdb: checking ${guarded.length.toLocaleString('en-US')} log files`);
    const bad = [
      ...(await guardLakeFiles(guarded, { signal: options.signal, collect: this.options.skipBadFiles === true })),
      ...(spool?.bad ?? []),
    ].sort((a, b) => a.path.localeCompare(b.path));
    if (bad.length) {
      const skip = new Set(bad.map((b) => b.path));
      for (const [table, list] of byTable)
        byTable.set(
          table,
          list.filter((f) => !skip.has(f.path)),
        );
      storeNotes.push(...bad.map((b) => `skipped bad log file ${b.path}: ${b.problem}`));
    }
    const files = [...byTable.values()].flat();
    const onAbort = () => c.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const stopProgress = await watchProgress(c, 'reading log files', files.length, options.onProgress);
    try {
      const { notes: readNotes, ...result } = await this.runOnViews(c, sql, byTable, options, spool);
      const notes = [...storeNotes, ...readNotes];
      return {
        ...result,
        stats: {
          ...(notes.length ? { notes } : {}),
          engine: this.name,
          elapsedMs: Math.round(performance.now() - started),
          rows: result.rows.length,
          filesRead: files.length,
          bytesRead: files.reduce((s, f) => s + f.size, 0),
        },
      };
    } catch (err) {
      if (err instanceof CasebookError) throw err;
      if (options.signal?.aborted) throw new CasebookError('query cancelled');
      throw await this.explain(err, files);
    } finally {
      stopProgress();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The rows of run() in batches. The whole result is read first: a wrong guess about
   * the files (see runOnViews) is found mid-read and the query runs again, which rows
   * already written could not take back.
   */
  async stream(sql: string, options: RunOptions = {}): Promise<RowStream> {
    return resultStream(await this.run(sql, options));
  }

  /** Run on the Parquet store: one view per table over the window's Parquet partitions. */
  private async runOnStore(
    c: DuckDBConnection,
    sql: string,
    store: string,
    byTable: Map<string, StoreFiles>,
    options: RunOptions,
    started: number,
  ): Promise<QueryResult> {
    const onAbort = () => c.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const binder = new BoundFiles();
      const views: string[] = [];
      for (const [table, s] of byTable) {
        // A table with no partition in the window: the typed empty relation of the raw reader.
        const body =
          s.files.length === 0
            ? viewSql(table, [])
            : `SELECT * FROM read_parquet(${binder.list(s.files.map((f) => ({ ...f, format: 'parquet' as const })))}, hive_partitioning = false)`;
        views.push(`CREATE OR REPLACE TEMP VIEW ${table} AS ${body}`);
      }
      await binder.define(c);
      for (const v of views) await c.run(v);
      if (options.signal?.aborted) throw new CasebookError('query cancelled');
      const result = await streamRows(c, transpile(sql));
      const all = [...byTable.values()];
      const partitions = all.reduce((n, s) => n + s.files.length, 0);
      return {
        ...result,
        stats: {
          engine: this.name,
          elapsedMs: Math.round(performance.now() - started),
          rows: result.rows.length,
          filesRead: partitions,
          bytesRead: all.reduce((n, s) => n + s.files.reduce((m, f) => m + f.size, 0), 0),
          notes: [`read the Parquet store ${store} (${partitions} partition${partitions === 1 ? '' : 's'})`],
        },
      };
    } catch (err) {
      if (err instanceof CasebookError) throw err;
      if (options.signal?.aborted) throw new CasebookError('query cancelled');
      throw new CasebookError(
        `query failed on the Parquet store ${store}: ${firstLine(err instanceof Error ? err.message : String(err))}`,
        { cause: err },
      );
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Define each table's view over its files and run the query. The views declare only
   * the columns the query reads (projection.ts) and read CloudTrail files as one JSON
   * document per line (how AWS writes them); when either guess is wrong (a column the
   * analysis missed, a file spread over several lines) the query is run again with the
   * whole table and the general JSON reader, so a wrong guess costs time, never answers.
   */
  private async runOnViews(
    c: DuckDBConnection,
    sql: string,
    byTable: Map<string, LakeFile[]>,
    options: RunOptions,
    spool?: FlowSpool,
  ): Promise<Omit<QueryResult, 'stats'> & { notes: string[] }> {
    const notes: string[] = [];
    let spooled = spool !== undefined;
    let projected = true;
    let jsonFormat: JsonFormat = 'newline_delimited';
    let objectLimit: number | undefined;
    for (;;) {
      try {
        const binder = new BoundFiles();
        const views: string[] = [];
        for (const [table, list] of byTable) {
          const needs = projected ? neededColumns(sql, getTable(table).columns) : 'all';
          // Spooled flow logs: the spooled files and the files the spool left (bad ones already dropped from the list).
          const read = spooled && table === 'vpc_flow_logs' ? spoolRest(spool!, list) : undefined;
          views.push(
            `CREATE OR REPLACE TEMP VIEW ${table} AS\n${viewSql(table, read?.files ?? list, needs, jsonFormat, binder, objectLimit, read?.spooled)}`,
          );
        }
        await binder.define(c);
        for (const v of views) await c.run(v);
        if (options.signal?.aborted) throw new CasebookError('query cancelled');
        return { ...(await streamRows(c, transpile(sql))), notes };
      } catch (err) {
        if (err instanceof CasebookError || options.signal?.aborted) throw err;
        const message = err instanceof Error ? err.message : String(err);
        if (projected && /Binder Error/i.test(message)) {
          projected = false;
          notes.push('read every column (the query names a column the projection missed)');
        } else if (
          jsonFormat === 'newline_delimited' &&
          /Malformed JSON|unexpected end of data|unexpected content after document/i.test(message)
        ) {
          jsonFormat = 'unstructured';
          notes.push('CloudTrail files are not one line each: read with the general JSON reader');
        } else if (objectLimit === undefined && /maximum_object_size/i.test(message)) {
          objectLimit = MAX_JSON_OBJECT;
          await allowLargeObjects(c);
          notes.push('a CloudTrail file is larger than usual: read with a 1 GB object limit');
        } else if (spooled) {
          // A failed read of the spool: read the lake's files one by one, so the error names the file at fault.
          spooled = false;
          notes.push(`flow-log files read one by one (the spooled read failed: ${firstLine(message)})`);
        } else throw err;
      }
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
    this.dropSpool();
    if (this.connection) {
      const c = await this.connection.catch(() => undefined);
      c?.closeSync();
      this.instance?.closeSync();
      this.connection = undefined;
    }
  }
}

/** Whether every file still has the stamp (size, modification time) it had; one that cannot be read has changed. */
function unchanged(files: Map<string, string>): boolean {
  for (const [path, stamp] of files) if (stamp.endsWith(':?') || fileStamp(path) !== stamp) return false;
  return true;
}

/** What to read of the flow-log files through a spool: its files, and the lake files it left (those still in the list). */
function spoolRest(spool: FlowSpool, list: LakeFile[]): { files: LakeFile[]; spooled: FlowSpool['spooled'] } {
  const listed = new Set(list.map((f) => f.path));
  return { files: spool.rest.filter((f) => listed.has(f.path)), spooled: spool.spooled };
}

/** Why a log file cannot be read, or undefined if it reads cleanly. */
export async function checkFile(f: LakeFile): Promise<string | undefined> {
  if (f.path.endsWith('.parquet')) return checkParquetFile(f.path);
  let text: string;
  try {
    text = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      createReadStream(f.path)
        .pipe(createGunzip())
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
        .on('error', reject);
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

/** The note for log files skipped because they are symbolic links. */
function linkNote(links: string[]): string {
  return `skipped ${links.length} log file${links.length === 1 ? '' : 's'} that ${links.length === 1 ? 'is a symbolic link' : 'are symbolic links'} (only regular files are read): ${links.slice(0, 3).join(', ')}${links.length > 3 ? ', ...' : ''}`;
}

export function createDuckdbEngine(options: DuckdbEngineOptions): Engine {
  return new DuckdbEngine(options);
}

/**
 * Run a query and convert its rows chunk by chunk as DuckDB produces them, so neither
 * DuckDB nor JavaScript holds the whole result twice.
 */
async function streamRows(c: DuckDBConnection, sql: string): Promise<Omit<QueryResult, 'stats'>> {
  const result = await c.stream(sql);
  const names = result.columnNames();
  const types = result.columnTypes();
  const rows: Row[] = [];
  for await (const batch of result.yieldRowsJs()) {
    for (const values of batch) {
      const row: Row = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = toJson(values[i], types[i]!);
      rows.push(row);
    }
  }
  return { columns: names.map((name, i) => ({ name, type: typeName(types[i]!) })), rows };
}

/**
 * File lists and partition values handed to DuckDB as data, not SQL text: each list a
 * variable bound through a prepared statement, the partitions a temporary table filled
 * by an appender. With tens of thousands of files, literal lists made the view text
 * megabytes long and parsing and binding it cost more than reading the files.
 */
class BoundFiles implements FileBinder {
  private readonly lists: string[][] = [];
  private readonly files = new Map<string, LakeFile>();

  list(files: LakeFile[]): string {
    this.lists.push(files.map((f) => literalPath(f.path)));
    for (const f of files) this.files.set(f.path, f);
    return `getvariable('casebook_files_${this.lists.length - 1}')`;
  }

  parts(files: LakeFile[]): string {
    for (const f of files) this.files.set(f.path, f);
    return 'casebook_parts AS p';
  }

  async define(c: DuckDBConnection): Promise<void> {
    for (const [i, paths] of this.lists.entries()) {
      const set = await c.prepare(`SET VARIABLE casebook_files_${i} = $1`);
      set.bindList(1, listValue(paths), LIST(VARCHAR));
      await set.run();
    }
    await c.run('CREATE OR REPLACE TEMP TABLE casebook_parts (filename VARCHAR, account VARCHAR, region VARCHAR, day VARCHAR)');
    const appender = await c.createAppender('casebook_parts');
    for (const f of this.files.values()) {
      appender.appendVarchar(f.path);
      appender.appendVarchar(f.account);
      appender.appendVarchar(f.region);
      appender.appendVarchar(f.day);
      appender.endRow();
    }
    appender.closeSync();
  }
}

/** Room for the JSON reader's two buffers per thread at the largest object size. */
export async function allowLargeObjects(c: DuckDBConnection): Promise<void> {
  const r = await c.runAndReadAll("SELECT current_setting('threads')");
  const threads = Number(r.getRowsJS()[0]?.[0] ?? 2);
  await c.run(`SET memory_limit = '${threads * 2 + 1}GB'`);
}

/** A Parquet file starts and ends with the magic bytes PAR1; anything else is damaged. */
function checkParquetFile(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    if (size < 12) return `log file ${path} is not a Parquet file (${size} bytes)`;
    readSync(fd, head, 0, 4, 0);
    readSync(fd, tail, 0, 4, size - 4);
    if (head.toString('latin1') !== 'PAR1' || tail.toString('latin1') !== 'PAR1')
      return `log file ${path} is not a valid Parquet file (corrupt or truncated)`;
    return undefined;
  } catch (err) {
    return `log file ${path} cannot be read: ${(err as Error).message}`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
