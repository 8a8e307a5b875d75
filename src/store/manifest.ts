/**
 * The Parquet store's manifest: which source files of the raw lake each Parquet
 * partition was converted from (name, size, modification time), so an import converts
 * only what is new or changed and the engine can tell whether the store is current.
 *
 * Layout of a store directory:
 *   casebook-store.json                                 this manifest
 *   <table>/account=<id>/region=<region>/day=<yyyy-MM-dd>/part-<hash>.parquet
 * Each Parquet file (zstd) holds one partition's rows, sorted by event time, with the
 * partition columns (account, region, day as yyyy/MM/dd) stored in the file as well.
 */
import { createHash } from 'node:crypto';
import { CasebookError } from '../errors.js';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTable } from '../tables/model.js';

export const STORE_MANIFEST = 'casebook-store.json';
export const STORE_FORMAT = 'casebook-store/1';
export const STORE_TABLES = ['cloudtrail', 'vpc_flow_logs'] as const;

export interface PartitionEntry {
  account: string;
  region: string;
  /** yyyy/MM/dd */
  day: string;
  /** The day folder, relative to the lake. */
  source: string;
  /** Source files by name relative to the day folder: [size, mtimeMs]. */
  files: Record<string, [number, number]>;
  /** Modification time of the day folder when it was converted. */
  folderMtimeMs: number;
  /** The Parquet file, relative to the store. */
  output: string;
  rows: number;
  bytes: number;
}

export interface TableEntry {
  /** Fingerprint of the table definition the files were written with. */
  schema: string;
  partitions: Record<string, PartitionEntry>;
}

export interface StoreManifest {
  format: string;
  /** The lake the store was imported from (absolute). */
  lake: string;
  tables: Record<string, TableEntry>;
}

export function partitionKey(p: { account: string; region: string; day: string }): string {
  return `${p.account}|${p.region}|${p.day}`;
}

/** Changes when a table's columns or their types change: the store's files are then rewritten. */
export function schemaFingerprint(table: string): string {
  const t = getTable(table);
  const text = JSON.stringify([STORE_FORMAT, t.columns.map((c) => [c.name, c.sourceName, c.typeText]), t.partitions.map((c) => c.name)]);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function manifestPath(store: string): string {
  return join(store, STORE_MANIFEST);
}

export function readManifest(store: string): StoreManifest | undefined {
  const file = manifestPath(store);
  if (!existsSync(file)) return undefined;
  let m: StoreManifest;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as StoreManifest;
  } catch (err) {
    // Never the parser's message: it quotes the file's text.
    if (err instanceof SyntaxError)
      throw new CasebookError(
        `store manifest ${file} is not valid JSON (damaged); delete the store ${store} and run casebook import again`,
      );
    throw err;
  }
  return m !== null && typeof m === 'object' && m.format === STORE_FORMAT ? m : undefined;
}

export function writeManifest(store: string, m: StoreManifest): void {
  const file = manifestPath(store);
  writeFileSync(`${file}.tmp`, JSON.stringify(m));
  renameSync(`${file}.tmp`, file);
}

/** Folder of a partition inside the store, relative to it. */
export function partitionFolder(table: string, p: { account: string; region: string; day: string }): string {
  return join(table, `account=${p.account}`, `region=${p.region}`, `day=${p.day.replace(/\//g, '-')}`);
}
