import { existsSync, readdirSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { CasebookError } from '../../errors.js';
import type { TimeWindow } from '../../params/time.js';
import type { StorageFormatName } from '../../tables/model.js';
import { windowDays } from '../../layout/days.js';
import { AWS_LOGS, serviceFolder } from '../../layout/keys.js';
import { formatOfFile, isLogTable, type LogTable } from '../../layout/layout.js';
import {
  readDateFolder,
  readHourFolder,
  readOrgAccountFolder,
  readRegionFolder,
  readServiceFolder,
  readTopFolder,
} from '../../layout/segments.js';

/** One log object of the lake, with the partition values its key carries. */
export interface LakeFile {
  path: string;
  account: string;
  region: string;
  /** Delivery day, yyyy/MM/dd. */
  day: string;
  size: number;
  /** How the file is stored (from its name): CloudTrail JSON, delimited text, Parquet. */
  format: StorageFormatName;
}

/**
 * A path as DuckDB's readers take it literally: they expand `*`, `?` and `[...]` in
 * every path they are given, so a file whose name holds one of them would be read
 * with its neighbours (or twice). Each such character becomes a one-character class
 * (`[*]`, `[?]`, `[[]`), which matches that character and nothing else; the reader's
 * `filename` column still gives the real path.
 */
export function literalPath(path: string): string {
  return path.replace(/[*?[]/g, (ch) => `[${ch}]`);
}

function dirs(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** The AWSLogs folder of a lake directory (the directory itself may be it). */
export function awsLogsDir(lake: string): string {
  if (!existsSync(lake)) throw new CasebookError(`lake directory ${lake} does not exist (make one with \`casebook sample --out ${lake}\`)`);
  if (!statSync(lake).isDirectory()) throw new CasebookError(`lake ${lake} is not a directory`);
  if (basename(lake) === AWS_LOGS) return lake;
  const logs = join(lake, AWS_LOGS);
  if (!existsSync(logs))
    throw new CasebookError(`lake directory ${lake} has no ${AWS_LOGS}/ folder: point --lake at a copy of the log bucket (or prefix)`);
  return logs;
}

/**
 * Account folders under AWSLogs/: plain (<account>/), organization trails
 * (o-xxxx/<account>/) and Hive-compatible prefixes (aws-account-id=<account>/).
 */
function accountDirs(logs: string): { account: string; path: string; hive: boolean }[] {
  const out: { account: string; path: string; hive: boolean }[] = [];
  for (const name of dirs(logs)) {
    const top = readTopFolder(name);
    if (!top) continue;
    if ('org' in top) {
      for (const acct of dirs(join(logs, name))) {
        const account = readOrgAccountFolder(acct);
        if (account !== undefined) out.push({ account, path: join(logs, name, acct), hive: false });
      }
    } else {
      out.push({ account: top.account, path: join(logs, name), hive: top.hive });
    }
  }
  return out;
}

/** Region folders of one account for a service: <folder>/<region>/ or aws-service=<folder>/aws-region=<region>/. */
function regionDirs(account: { path: string; hive: boolean }, folder: string): { region: string; path: string; hive: boolean }[] {
  if (!account.hive) {
    const base = join(account.path, folder);
    const out: { region: string; path: string; hive: boolean }[] = [];
    for (const r of dirs(base)) {
      const region = readRegionFolder(r, false);
      if (region !== undefined) out.push({ region, path: join(base, r), hive: false });
    }
    return out;
  }
  const out: { region: string; path: string; hive: boolean }[] = [];
  for (const svc of dirs(account.path)) {
    if (readServiceFolder(svc, true)?.toLowerCase() !== folder.toLowerCase()) continue;
    for (const r of dirs(join(account.path, svc))) {
      const region = readRegionFolder(r, true);
      if (region !== undefined) out.push({ region, path: join(account.path, svc, r), hive: true });
    }
  }
  return out;
}

/** A date level's folders: `2024` or, with Hive prefixes, `year=2024`, with their values. */
function dateDirs(path: string, hive: boolean, unit: 'year' | 'month' | 'day'): { value: string; path: string }[] {
  const out: { value: string; path: string }[] = [];
  for (const name of dirs(path)) {
    const value = readDateFolder(name, hive, unit);
    if (value !== undefined) out.push({ value, path: join(path, name) });
  }
  return out;
}

function logTable(table: string): LogTable {
  if (!isLogTable(table)) throw new CasebookError(`the local engine has no reader for table ${table}`);
  return table;
}

/**
 * The log files of one table that can hold events of the window: partition pruning
 * as Athena's projection does it, by the yyyy/MM/dd of the key (delivery day, with a
 * day of slack after the window). Reads every layout AWS writes: single-account and
 * organization trails, daily and hourly folders, Hive-compatible prefixes.
 */
export function discoverFiles(lake: string, table: string, window: TimeWindow, links?: string[]): LakeFile[] {
  const files: LakeFile[] = [];
  for (const d of dayFolders(lake, table, window))
    collect(d.path, logTable(table), { account: d.account, region: d.region, day: d.day }, files, links);
  return files;
}

/** One delivery-day folder of a table in the lake (a partition), found without listing its files. */
export interface DayFolder {
  account: string;
  region: string;
  /** yyyy/MM/dd */
  day: string;
  path: string;
}

/** The day folders of a table that can hold events of the window (the walk of discoverFiles, without the files). */
export function dayFolders(lake: string, table: string, window: TimeWindow): DayFolder[] {
  const folder = serviceFolder(logTable(table));
  const logs = awsLogsDir(lake);
  const { first, last } = windowDays(window);
  const [fy, fm] = first.split('/');
  const [ly, lm] = last.split('/');
  const out: DayFolder[] = [];
  for (const account of accountDirs(logs)) {
    for (const region of regionDirs(account, folder)) {
      const hive = region.hive;
      for (const y of dateDirs(region.path, hive, 'year')) {
        if (y.value < fy! || y.value > ly!) continue;
        for (const m of dateDirs(y.path, hive, 'month')) {
          const ym = `${y.value}/${m.value}`;
          if (ym < `${fy}/${fm}` || ym > `${ly}/${lm}`) continue;
          for (const d of dateDirs(m.path, hive, 'day')) {
            const day = `${ym}/${d.value}`;
            if (day < first || day > last) continue;
            out.push({ account: account.account, region: region.region, day, path: d.path });
          }
        }
      }
    }
  }
  return out;
}

/** Names (relative to the day folder, hour subfolders included) of a table's log files in a day folder; no stat. */
export function dayFolderFileNames(dir: string, table: string): string[] {
  const t = logTable(table);
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory() && readHourFolder(entry.name) !== undefined) walk(join(d, entry.name), `${prefix}${entry.name}/`);
      else if (entry.isFile() && formatOfFile(t, entry.name) !== undefined) out.push(`${prefix}${entry.name}`);
    }
  };
  walk(dir, '');
  return out.sort();
}

/**
 * File sizes learnt from a stat made anyway: the input pre-check (guard.ts) stats every
 * gzip file it is about to scan and notes its size here, so discovery lists folders
 * without a stat per file. Each noted size is used once (by the next LakeFile of that
 * path to be asked its size), so a size noted long ago is not trusted.
 */
const notedSizes = new Map<string, number>();

export function noteFileSize(path: string, size: number): void {
  if (notedSizes.size >= 1_000_000) notedSizes.clear();
  notedSizes.set(path, size);
}

/** A lake file whose size is asked of the file system only when first read (most reads find it noted). */
function lakeFile(path: string, part: { account: string; region: string; day: string }, format: StorageFormatName): LakeFile {
  let size: number | undefined;
  return {
    path,
    ...part,
    format,
    get size(): number {
      if (size === undefined) {
        size = notedSizes.get(path);
        if (size === undefined) size = statSync(path).size;
        else notedSizes.delete(path);
      }
      return size;
    },
  };
}

/** Files of a day folder, and of its hour subfolders (hourly flow-log partitions: HH/ or hour=HH/). */
function collect(
  dir: string,
  table: LogTable,
  part: { account: string; region: string; day: string },
  out: LakeFile[],
  links?: string[],
): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory() && readHourFolder(entry.name) !== undefined) {
      collect(p, table, part, out, links);
    } else if (entry.isSymbolicLink() && formatOfFile(table, entry.name) !== undefined) {
      // Not read (a link can point anywhere), but reported: see the engine's notes.
      links?.push(p);
    } else if (entry.isFile()) {
      const format = formatOfFile(table, entry.name);
      if (format) out.push(lakeFile(p, part, format));
    }
  }
}

/** The first line of a gzip file, reading only its head. Throws a CasebookError naming the file if it is not gzip. */
export function gzipFirstLine(path: string, maxBytes = 65536): string {
  const fd = openSync(path, 'r');
  let buf: Buffer;
  try {
    buf = Buffer.alloc(maxBytes);
    const n = readSync(fd, buf, 0, maxBytes, 0);
    buf = buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
  if (buf.length === 0) throw new CasebookError(`log file ${path} is empty`);
  let text: string;
  try {
    text = gunzipSync(buf, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
  } catch (err) {
    throw new CasebookError(`log file ${path} is not a valid gzip file (${(err as Error).message})`);
  }
  const nl = text.indexOf('\n');
  if (nl < 0 && buf.length === maxBytes) throw new CasebookError(`log file ${path} has no header line in its first ${maxBytes} bytes`);
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
}
