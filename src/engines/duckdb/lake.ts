import { existsSync, readdirSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { CasebookError } from '../../errors.js';
import { windowDays, type TimeWindow } from '../../params/time.js';

/** One log object of the lake, with the partition values its key carries. */
export interface LakeFile {
  path: string;
  account: string;
  region: string;
  /** Delivery day, yyyy/MM/dd. */
  day: string;
  size: number;
}

/** Which folder under each account holds a table's files, and how its files are named. */
const SOURCES: Record<string, { folder: string; file: RegExp }> = {
  cloudtrail: { folder: 'CloudTrail', file: /\.json\.gz$/ },
  vpc_flow_logs: { folder: 'vpcflowlogs', file: /\.log\.gz$/ },
};

function dirs(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

/** The AWSLogs folder of a lake directory (the directory itself may be it). */
export function awsLogsDir(lake: string): string {
  if (!existsSync(lake)) throw new CasebookError(`lake directory ${lake} does not exist (make one with \`casebook sample --out ${lake}\`)`);
  if (!statSync(lake).isDirectory()) throw new CasebookError(`lake ${lake} is not a directory`);
  if (basename(lake) === 'AWSLogs') return lake;
  const logs = join(lake, 'AWSLogs');
  if (!existsSync(logs)) throw new CasebookError(`lake directory ${lake} has no AWSLogs/ folder: point --lake at a copy of the log bucket (or prefix)`);
  return logs;
}

/** Account folders under AWSLogs/, looking through organization-trail folders (o-xxxx/<account>/). */
function accountDirs(logs: string): { account: string; path: string }[] {
  const out: { account: string; path: string }[] = [];
  for (const name of dirs(logs)) {
    if (/^o-[a-z0-9]{10,32}$/.test(name)) {
      for (const acct of dirs(join(logs, name))) out.push({ account: acct, path: join(logs, name, acct) });
    } else {
      out.push({ account: name, path: join(logs, name) });
    }
  }
  return out;
}

/**
 * The log files of one table that can hold events of the window: partition pruning
 * as Athena's projection does it, by the yyyy/MM/dd of the key (delivery day, with a
 * day of slack after the window).
 */
export function discoverFiles(lake: string, table: string, window: TimeWindow): LakeFile[] {
  const source = SOURCES[table];
  if (!source) throw new CasebookError(`the local engine has no reader for table ${table}`);
  const logs = awsLogsDir(lake);
  const { first, last } = windowDays(window);
  const [fy, fm] = first.split('/');
  const [ly, lm] = last.split('/');
  const files: LakeFile[] = [];
  for (const { account, path } of accountDirs(logs)) {
    const base = join(path, source.folder);
    for (const region of dirs(base)) {
      for (const y of dirs(join(base, region))) {
        if (y < fy! || y > ly!) continue;
        for (const m of dirs(join(base, region, y))) {
          const ym = `${y}/${m}`;
          if (ym < `${fy}/${fm}` || ym > `${ly}/${lm}`) continue;
          for (const d of dirs(join(base, region, y, m))) {
            const day = `${ym}/${d}`;
            if (day < first || day > last) continue;
            collect(join(base, region, y, m, d), source.file, { account, region, day }, files);
          }
        }
      }
    }
  }
  return files;
}

/** Files of a day folder, and of its hour subfolders (hourly flow-log partitions). */
function collect(dir: string, pattern: RegExp, part: { account: string; region: string; day: string }, out: LakeFile[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory() && /^\d{2}$/.test(entry.name)) collect(p, pattern, part, out);
    else if (entry.isFile() && pattern.test(entry.name)) out.push({ path: p, ...part, size: statSync(p).size });
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
