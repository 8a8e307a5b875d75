/**
 * `casebook import`: convert a raw lake (gzipped CloudTrail JSON, flow-log text or
 * Parquet) into the Parquet store, partition by partition (account, region, delivery
 * day), incrementally: a partition whose source files (names, sizes, modification
 * times) are unchanged since the last import is skipped, so a daily run converts only
 * the new day; a partition with a new, removed or changed file is converted again.
 */
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { availableParallelism, tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CasebookError } from '../errors.js';
import { getTable } from '../tables/model.js';
import { quoteString } from '../params/literals.js';
import { dayFolderFileNames, dayFolders, type DayFolder, type LakeFile } from '../engines/duckdb/lake.js';
import { addPartition, BATCH_BYTES, BATCH_PARTITIONS, convertBatch, SORT_KEYS, type Batch } from './batch.js';
import { fileSystemError, lockStore } from './lock.js';
import { INLINE_FILES, MAX_JSON_OBJECT, jsonObjectLimit, viewSql, type JsonFormat } from '../engines/duckdb/views.js';
import { allowLargeObjects } from '../engines/duckdb/engine.js';
import { setupCompat } from '../engines/duckdb/compat.js';
import {
  STORE_FORMAT,
  STORE_TABLES,
  partitionFolder,
  partitionKey,
  readManifest,
  schemaFingerprint,
  writeManifest,
  type PartitionEntry,
  type StoreManifest,
  type TableEntry,
} from './manifest.js';

export interface ImportOptions {
  lake: string;
  store: string;
  tables?: string[];
  /** Batches converted side by side, one DuckDB thread each (default: two, or one on a single core). */
  threads?: number;
  /** DuckDB memory limit (default 1GB; larger sorts spill to a temporary directory). */
  memoryLimit?: string;
  onProgress?: (message: string) => void;
}

export interface ImportSummary {
  store: string;
  partitions: number;
  converted: number;
  unchanged: number;
  sourceFiles: number;
  sourceBytes: number;
  rows: number;
  parquetBytes: number;
  seconds: number;
}

/** All the days a lake can hold. */
const ALL_TIME = { since: new Date('2000-01-01T00:00:00Z'), until: new Date('2100-01-01T00:00:00Z') };

export async function importLake(opts: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const lake = resolve(opts.lake);
  const store = resolve(opts.store);
  const progress = opts.onProgress ?? (() => undefined);
  if (store === lake || store.startsWith(join(lake, 'AWSLogs')))
    throw new CasebookError(`--store ${store} must not be the lake or inside its AWSLogs/ folder`);
  let unlock: () => void;
  try {
    mkdirSync(store, { recursive: true });
    unlock = lockStore(store);
  } catch (err) {
    throw fileSystemError(err, `the store ${store}`);
  }
  try {
    return await importLocked(opts, lake, store, progress, started);
  } catch (err) {
    throw fileSystemError(err, `the store ${store}`);
  } finally {
    unlock();
  }
}

async function importLocked(
  opts: ImportOptions,
  lake: string,
  store: string,
  progress: (m: string) => void,
  started: number,
): Promise<ImportSummary> {
  let manifest = readManifest(store);
  if (manifest && manifest.lake !== lake) {
    throw new CasebookError(`store ${store} was imported from another lake (${manifest.lake}); use another --store or delete it`);
  }
  manifest ??= { format: STORE_FORMAT, lake, tables: {} } satisfies StoreManifest;

  const { DuckDBInstance } = (await import('../engines/duckdb/api.js')).duckdb;
  // One single-threaded DuckDB per core, each converting its own batch: measured cheaper in
  // CPU than one DuckDB on every core converting one batch at a time (bench/RESULTS.md).
  const converters = Math.max(1, opts.threads ?? Math.min(2, availableParallelism()));
  const instances: DuckDBInstance[] = [];
  const connections: DuckDBConnection[] = [];
  for (let i = 0; i < converters; i++) {
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: opts.memoryLimit ?? '1GB',
      temp_directory: join(tmpdir(), `casebook-duckdb-${process.pid}-${i}`),
      preserve_insertion_order: 'false',
      threads: '1',
    });
    instances.push(instance);
    const conn = await instance.connect();
    await setupCompat(conn);
    connections.push(conn);
  }

  const summary: ImportSummary = {
    store,
    partitions: 0,
    converted: 0,
    unchanged: 0,
    sourceFiles: 0,
    sourceBytes: 0,
    rows: 0,
    parquetBytes: 0,
    seconds: 0,
  };
  const scratch = join(store, `.import-${process.pid}`);
  try {
    for (const table of opts.tables ?? STORE_TABLES) {
      const schema = schemaFingerprint(table);
      let entry: TableEntry | undefined = manifest.tables[table];
      if (entry && entry.schema !== schema) {
        progress(`${table}: the table definition changed since the last import: converting every partition again`);
        rmSync(join(store, table), { recursive: true, force: true });
        entry = undefined;
      }
      entry ??= { schema, partitions: {} };
      manifest.tables[table] = entry;
      const tableEntry = entry;
      const todo: Pending[] = [];
      for (const folder of dayFolders(lake, table, ALL_TIME)) {
        summary.partitions++;
        const key = partitionKey(folder);
        const folderMtimeMs = statSync(folder.path).mtimeMs;
        const names = dayFolderFileNames(folder.path, table);
        const files: Record<string, [number, number]> = {};
        for (const n of names) {
          const st = statSync(join(folder.path, n));
          files[n] = [st.size, st.mtimeMs];
          summary.sourceFiles++;
          summary.sourceBytes += st.size;
        }
        const old = tableEntry.partitions[key];
        if (old && sameFiles(old.files, files)) {
          old.folderMtimeMs = folderMtimeMs;
          summary.unchanged++;
          summary.rows += old.rows;
          summary.parquetBytes += old.bytes;
          continue;
        }
        if (names.length === 0) continue;
        const hash = createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 12);
        const output = join(partitionFolder(table, folder), `part-${hash}.parquet`);
        todo.push({ folder, key, files, folderMtimeMs, old, output });
      }
      let done = 0;
      const commit = (p: Pending, written: { rows: number; bytes: number }) => {
        if (p.old && p.old.output !== p.output) rmSync(join(store, p.old.output), { force: true });
        tableEntry.partitions[p.key] = {
          account: p.folder.account,
          region: p.folder.region,
          day: p.folder.day,
          source: relative(lake, p.folder.path),
          files: p.files,
          folderMtimeMs: p.folderMtimeMs,
          output: p.output,
          rows: written.rows,
          bytes: written.bytes,
        } satisfies PartitionEntry;
        summary.converted++;
        summary.rows += written.rows;
        summary.parquetBytes += written.bytes;
        done++;
      };
      /** Convert one batch: one statement for the merged partitions, then one per partition left. */
      const convertOne = async (c: DuckDBConnection, batch: Batch<Pending>) => {
        const written = await convertBatch(c, table, batch, (p) => join(store, p.output));
        for (const part of batch.parts) {
          const w = written.get(part);
          commit(part.item, w ?? (await convertPartition(c, table, part.files, part.merged, join(store, part.item.output))));
        }
        rmSync(batch.dir, { recursive: true, force: true });
        writeManifest(store, manifest);
        const last = batch.parts[batch.parts.length - 1];
        if (last) progress(`${table}: ${done} partitions converted (${last.item.folder.day})`);
      };
      // Each converter takes the next batch when free; batches are merged (and checked) in
      // Node one at a time, while the other converters run.
      let failure: unknown;
      let next = 0;
      let batches = 0;
      let merging: Promise<unknown> = Promise.resolve();
      const nextBatch = (): Promise<Batch<Pending> | undefined> => {
        const made = merging.then(async () => {
          if (failure !== undefined || next >= todo.length) return undefined;
          const batch: Batch<Pending> = { dir: join(scratch, `b${batches++}`), parts: [], bytes: 0 };
          while (next < todo.length && batch.bytes < BATCH_BYTES && batch.parts.length < BATCH_PARTITIONS) {
            const p = todo[next]!;
            try {
              await addPartition(batch, table, p, folderFiles(p.folder, p.files));
            } catch (err) {
              // The partitions merged before the unsafe file are still converted.
              failure ??= err;
              break;
            }
            next++;
          }
          return batch.parts.length ? batch : undefined;
        });
        merging = made.catch(() => undefined);
        return made;
      };
      const worker = async (wc: DuckDBConnection) => {
        for (;;) {
          const batch = await nextBatch();
          if (!batch) return;
          try {
            await convertOne(wc, batch);
          } catch (err) {
            failure ??= err;
            return;
          }
        }
      };
      try {
        await Promise.all(connections.map((wc) => worker(wc).catch((err: unknown) => (failure ??= err))));
      } finally {
        writeManifest(store, manifest);
      }
      if (failure !== undefined) throw failure;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    for (const x of connections) x.closeSync();
    for (const x of instances) x.closeSync();
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/** A partition whose files are new or changed since the last import. */
interface Pending {
  folder: DayFolder;
  key: string;
  files: Record<string, [number, number]>;
  folderMtimeMs: number;
  old: PartitionEntry | undefined;
  /** The Parquet file it is written to, relative to the store. */
  output: string;
}

function sameFiles(a: Record<string, [number, number]>, b: Record<string, [number, number]>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] !== undefined && b[k]![0] === a[k]![0] && b[k]![1] === a[k]![1]);
}

/** The log files of one day folder, as the local engine sees them. */
function folderFiles(
  folder: { account: string; region: string; day: string; path: string },
  files: Record<string, [number, number]>,
): LakeFile[] {
  return Object.entries(files).map(([name, [size]]) => ({
    path: join(folder.path, name),
    account: folder.account,
    region: folder.region,
    day: folder.day,
    size,
    format: name.endsWith('.parquet') ? 'parquet' : name.endsWith('.json.gz') ? 'json' : 'text',
  }));
}

/**
 * Convert one partition on its own (a batch statement failed, or the partition could not
 * be merged): from its merged files if it has them, and if that fails, from its original
 * files, so that any error names the file at fault exactly as the engine would.
 */
async function convertPartition(
  c: DuckDBConnection,
  table: string,
  files: LakeFile[],
  merged: LakeFile[] | undefined,
  target: string,
): Promise<{ rows: number; bytes: number }> {
  const objectLimit = jsonObjectLimit(files);
  if (merged) {
    try {
      return await convert(c, table, merged, target, objectLimit);
    } catch {
      // Converted again from the original files below, for the exact error (or a success).
    }
  }
  return convert(c, table, files, target, objectLimit);
}

/** Write one partition's rows to a Parquet file (zstd), sorted by event time; its row count and size. */
async function convert(
  c: DuckDBConnection,
  table: string,
  files: LakeFile[],
  target: string,
  objectLimitForFiles: number,
): Promise<{ rows: number; bytes: number }> {
  mkdirSync(dirname(target), { recursive: true });
  const t = getTable(table);
  const tmp = `${target}.tmp`;
  let format: JsonFormat = 'newline_delimited';
  let objectLimit = objectLimitForFiles;
  for (;;) {
    try {
      const view = viewSql(table, files, 'all', format, INLINE_FILES, objectLimit);
      const reader = await c.runAndReadAll(
        `COPY (SELECT * FROM (${view}) AS v ORDER BY ${SORT_KEYS[table]?.join(', ') ?? quoteIdent(t.time.column)}) TO ${quoteString(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
      );
      const rows = Number(reader.getRowsJS()[0]?.[0] ?? 0);
      renameSync(tmp, target);
      return { rows, bytes: statSync(target).size };
    } catch (err) {
      rmSync(tmp, { force: true });
      const message = err instanceof Error ? err.message : String(err);
      if (
        format === 'newline_delimited' &&
        table === 'cloudtrail' &&
        /Malformed JSON|unexpected end of data|unexpected content after document/i.test(message)
      ) {
        format = 'unstructured';
        continue;
      }
      if (objectLimit !== MAX_JSON_OBJECT && /maximum_object_size/i.test(message)) {
        objectLimit = MAX_JSON_OBJECT;
        await allowLargeObjects(c);
        continue;
      }
      throw new CasebookError(`import of ${files[0]?.path ? dirname(files[0].path) : table} failed: ${message.split('\n')[0]}`, {
        cause: err,
      });
    }
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
