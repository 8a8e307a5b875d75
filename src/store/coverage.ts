/**
 * Does the Parquet store cover a query's window? Yes when, for every table the query
 * reads, every day folder of the window in the raw lake was converted and is unchanged
 * since: the same folder modification time and the same files, each with the size and
 * modification time `casebook import` recorded (a file rewritten in place keeps its
 * name and its folder's time, so names alone would miss it). One stat per file of the
 * window costs milliseconds where reading the raw files costs seconds.
 */
import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TimeWindow } from '../params/time.js';
import { windowDays } from '../layout/days.js';
import { dayFolderFileNames, dayFolders } from '../engines/duckdb/lake.js';
import { partitionKey, readManifest, schemaFingerprint, type PartitionEntry } from './manifest.js';

export interface StoreFiles {
  /** Parquet files of the window, with their partition values. */
  files: { path: string; account: string; region: string; day: string; size: number }[];
  rows: number;
}

export type Coverage = { covered: true; byTable: Map<string, StoreFiles> } | { covered: false; reason: string };

export function storeCoverage(store: string, lake: string, tables: string[], window: TimeWindow): Coverage {
  const manifest = readManifest(store);
  if (!manifest) return { covered: false, reason: `no store at ${store}` };
  const byTable = new Map<string, StoreFiles>();
  for (const table of tables) {
    const entry = manifest.tables[table];
    if (!entry) return { covered: false, reason: `the store holds no ${table}` };
    if (entry.schema !== schemaFingerprint(table))
      return { covered: false, reason: `the store's ${table} was written for another table definition (run casebook import)` };
    const folders = dayFolders(lake, table, window);
    const out: StoreFiles = { files: [], rows: 0 };
    const seen = new Set<string>();
    for (const f of folders) {
      const key = partitionKey(f);
      seen.add(key);
      const p = entry.partitions[key];
      if (!p || p.source !== relative(lake, f.path))
        return { covered: false, reason: `${table} ${f.account} ${f.region} ${f.day} is not in the store (run casebook import)` };
      if (!current(p, f.path, table))
        return { covered: false, reason: `${table} ${f.account} ${f.region} ${f.day} changed since it was imported (run casebook import)` };
      out.files.push({ path: join(store, p.output), account: p.account, region: p.region, day: p.day, size: p.bytes });
      out.rows += p.rows;
    }
    // A partition the store has but the lake no longer has: the answers would differ.
    const { first, last } = windowDays(window);
    for (const [key, p] of Object.entries(entry.partitions)) {
      if (!seen.has(key) && p.day >= first && p.day <= last)
        return { covered: false, reason: `${table} ${p.account} ${p.region} ${p.day} is in the store but no longer in the lake` };
    }
    byTable.set(table, out);
  }
  if ([...byTable.values()].every((s) => s.files.length === 0)) return { covered: false, reason: 'the window has no partitions' };
  return { covered: true, byTable };
}

function current(p: PartitionEntry, folder: string, table: string): boolean {
  let mtime: number;
  try {
    mtime = statSync(folder).mtimeMs;
  } catch {
    return false;
  }
  if (mtime !== p.folderMtimeMs) return false;
  const names = dayFolderFileNames(folder, table);
  if (names.length !== Object.keys(p.files).length) return false;
  for (const n of names) {
    const known = Object.hasOwn(p.files, n) ? p.files[n] : undefined;
    if (!known) return false;
    try {
      const st = statSync(join(folder, n));
      if (st.size !== known[0] || st.mtimeMs !== known[1]) return false;
    } catch {
      return false;
    }
  }
  return true;
}
