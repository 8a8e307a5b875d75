/**
 * `casebook import`: convert a raw lake (gzipped CloudTrail JSON, flow-log text or
 * Parquet) into the Parquet store, partition by partition (account, region, delivery
 * day), incrementally: a partition whose source files (names, sizes, modification
 * times) are unchanged since the last import is skipped, so a daily run converts only
 * the new day; a partition with a new, removed or changed file is converted again.
 */
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CasebookError } from '../errors.js';
import { getTable } from '../tables/model.js';
import { quoteString } from '../params/literals.js';
import { dayFolderFileNames, dayFolders, type LakeFile } from '../engines/duckdb/lake.js';
import { guardLakeFiles } from '../engines/duckdb/guard.js';
import { fileSystemError, lockStore } from './lock.js';
import { INLINE_FILES, MAX_JSON_OBJECT, viewSql, type JsonFormat } from '../engines/duckdb/views.js';
import { allowLargeObjects } from '../engines/duckdb/engine.js';
import { setupCompat } from '../engines/duckdb/compat.js';
import {
  STORE_FORMAT, STORE_TABLES, partitionFolder, partitionKey, readManifest, schemaFingerprint, writeManifest,
  type PartitionEntry, type StoreManifest, type TableEntry,
} from './manifest.js';

export interface ImportOptions {
  lake: string;
  store: string;
  tables?: string[];
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
  if (store === lake || store.startsWith(join(lake, 'AWSLogs'))) throw new CasebookError(`--store ${store} must not be the lake or inside its AWSLogs/ folder`);
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

async function importLocked(opts: ImportOptions, lake: string, store: string, progress: (m: string) => void, started: number): Promise<ImportSummary> {
  let manifest = readManifest(store);
  if (manifest && manifest.lake !== lake) {
    throw new CasebookError(`store ${store} was imported from another lake (${manifest.lake}); use another --store or delete it`);
  }
  manifest ??= { format: STORE_FORMAT, lake, tables: {} } satisfies StoreManifest;

  const { DuckDBInstance } = await import('@duckdb/node-api');
  const config: Record<string, string> = {
    memory_limit: opts.memoryLimit ?? '1GB',
    temp_directory: join(tmpdir(), `casebook-duckdb-${process.pid}`),
    preserve_insertion_order: 'false',
  };
  if (opts.threads) config.threads = String(opts.threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  const c = await instance.connect();
  await setupCompat(c);

  const summary: ImportSummary = { store, partitions: 0, converted: 0, unchanged: 0, sourceFiles: 0, sourceBytes: 0, rows: 0, parquetBytes: 0, seconds: 0 };
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
      const folders = dayFolders(lake, table, ALL_TIME);
      let done = 0;
      for (const folder of folders) {
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
        const old = entry.partitions[key];
        if (old && sameFiles(old.files, files)) {
          old.folderMtimeMs = folderMtimeMs;
          summary.unchanged++;
          summary.rows += old.rows;
          summary.parquetBytes += old.bytes;
          continue;
        }
        if (names.length === 0) continue;
        const lakeFiles = folderFiles(folder, files);
        const hash = createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 12);
        const output = join(partitionFolder(table, folder), `part-${hash}.parquet`);
        await guardLakeFiles(lakeFiles);
        const { rows, bytes } = await convert(c, table, lakeFiles, join(store, output));
        if (old && old.output !== output) rmSync(join(store, old.output), { force: true });
        const p: PartitionEntry = {
          account: folder.account, region: folder.region, day: folder.day, source: relative(lake, folder.path),
          files, folderMtimeMs, output, rows, bytes,
        };
        entry.partitions[key] = p;
        summary.converted++;
        summary.rows += rows;
        summary.parquetBytes += bytes;
        if (++done % 25 === 0) {
          writeManifest(store, manifest);
          progress(`${table}: ${done} partitions converted (${folder.day})`);
        }
      }
      writeManifest(store, manifest);
    }
  } finally {
    c.closeSync();
    instance.closeSync();
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

function sameFiles(a: Record<string, [number, number]>, b: Record<string, [number, number]>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] !== undefined && b[k]![0] === a[k]![0] && b[k]![1] === a[k]![1]);
}

/** The log files of one day folder, as the local engine sees them. */
function folderFiles(folder: { account: string; region: string; day: string; path: string }, files: Record<string, [number, number]>): LakeFile[] {
  return Object.entries(files).map(([name, [size]]) => ({
    path: join(folder.path, name), account: folder.account, region: folder.region, day: folder.day, size,
    format: name.endsWith('.parquet') ? 'parquet' : name.endsWith('.json.gz') ? 'json' : 'text',
  }));
}

/** Write one partition's rows to a Parquet file (zstd), sorted by event time; its row count and size. */
async function convert(c: DuckDBConnection, table: string, files: LakeFile[], target: string): Promise<{ rows: number; bytes: number }> {
  mkdirSync(dirname(target), { recursive: true });
  const t = getTable(table);
  const tmp = `${target}.tmp`;
  let format: JsonFormat = 'newline_delimited';
  let objectLimit: number | undefined;
  for (;;) {
    try {
      const view = viewSql(table, files, 'all', format, INLINE_FILES, objectLimit);
      const reader = await c.runAndReadAll(
        `COPY (SELECT * FROM (${view}) AS v ORDER BY ${quoteIdent(t.time.column)}) TO ${quoteString(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`,
      );
      const rows = Number(reader.getRowsJS()[0]?.[0] ?? 0);
      renameSync(tmp, target);
      return { rows, bytes: statSync(target).size };
    } catch (err) {
      rmSync(tmp, { force: true });
      const message = err instanceof Error ? err.message : String(err);
      if (format === 'newline_delimited' && table === 'cloudtrail' && /Malformed JSON|unexpected end of data|unexpected content after document/i.test(message)) {
        format = 'unstructured';
        continue;
      }
      if (objectLimit === undefined && /maximum_object_size/i.test(message)) {
        objectLimit = MAX_JSON_OBJECT;
        await allowLargeObjects(c);
        continue;
      }
      throw new CasebookError(`import of ${files[0]?.path ? dirname(files[0].path) : table} failed: ${message.split('\n')[0]}`, { cause: err });
    }
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
