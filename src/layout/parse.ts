import type { StorageFormatName } from '../tables/model.js';
import { DIGEST_FOLDER, formatOfFile, TABLE_KEYS, tableOfFolder, type LogTable, type PartitionValues } from './layout.js';
import { AWS_LOGS } from './keys.js';
import {
  readDateFolder,
  readHourFolder,
  readOrgAccountFolder,
  readRegionFolder,
  readServiceFolder,
  readTopFolder,
  type ReadOptions,
} from './segments.js';

/** What a log key says: where it sits (prefix, layout) and which partition it belongs to. */
export interface ParsedKey extends PartitionValues {
  /** The custom prefix in front of AWSLogs/ ('' or ending in '/'). */
  prefix: string;
  /** The service folder as written: `CloudTrail`, `CloudTrail-Digest`, `vpcflowlogs`, ... */
  service: string;
  /** The table that reads the files; undefined for folders no table reads (digests, other services). */
  table?: LogTable;
  digest: boolean;
  orgId?: string;
  hivePrefixes: boolean;
  /** HH, when the key has an hour folder. */
  hour?: string;
  /** The file name; undefined for a day (or hour) folder, given with its trailing '/'. */
  file?: string;
  /** The file's format, from its name (tables' files only). */
  format?: StorageFormatName;
}

/**
 * Parse a key (below the bucket; any custom prefix in front of AWSLogs/ is kept in
 * `prefix`) down to at least its day folder. Returns undefined when the key is not a
 * log key of a known shape.
 */
export function parseKey(key: string, o: ReadOptions = {}): ParsedKey | undefined {
  const parts = key.split('/');
  const at = parts.indexOf(AWS_LOGS);
  if (at < 0) return undefined;
  const prefix = parts
    .slice(0, at)
    .map((p) => `${p}/`)
    .join('');
  let i = at + 1;
  const next = () => parts[i++];
  const top = readTopFolder(next() ?? '', o);
  if (!top) return undefined;
  let orgId: string | undefined;
  let account: string | undefined;
  let hive = false;
  if ('org' in top) {
    orgId = top.org;
    account = readOrgAccountFolder(next() ?? '', o);
  } else {
    account = top.account;
    hive = top.hive;
  }
  if (!account) return undefined;
  const service = readServiceFolder(next() ?? '', hive, o);
  const region = readRegionFolder(next() ?? '', hive, o);
  if (!service || !region) return undefined;
  const date: string[] = [];
  for (const unit of ['year', 'month', 'day'] as const) {
    const v = readDateFolder(next() ?? '', hive, unit, o);
    if (v === undefined) return undefined;
    date.push(v);
  }
  const out: ParsedKey = { prefix, account, region, day: date.join('/'), service, digest: service === DIGEST_FOLDER, hivePrefixes: hive };
  const table = tableOfFolder(service);
  if (table) out.table = table;
  if (orgId) out.orgId = orgId;
  const rest = parts.slice(i);
  if (rest.length > 1) {
    const hour = readHourFolder(rest[0]!);
    if (hour === undefined || rest[0]!.startsWith('hour=') !== hive) return undefined;
    out.hour = hour;
    rest.shift();
  }
  if (rest.length !== 1) return undefined;
  if (rest[0] !== '') {
    out.file = rest[0];
    const format = table ? formatOfFile(table, rest[0]!) : undefined;
    if (format) out.format = format;
  }
  return out;
}

/** The parts of a log file's name (keys.ts cloudTrailFileName, flowLogFileName). */
export interface ParsedFileName {
  account: string;
  region: string;
  /** Delivery minute, YYYYMMDDTHHmmZ. */
  minute: string;
  /** The random or hash part at the end of the name. */
  unique: string;
  /** Flow logs: the flow log's id (fl-...). */
  flowLogId?: string;
  format: StorageFormatName;
  suffix: string;
}

const MINUTE = /^\d{8}T\d{4}Z$/;

/** Parse a file name of the table's files; undefined when the name does not follow AWS's grammar. */
export function parseFileName(table: LogTable, name: string): ParsedFileName | undefined {
  const format = formatOfFile(table, name);
  if (!format) return undefined;
  const f = TABLE_KEYS[table].formats[format]!;
  const suffix = name.endsWith(f.suffix) ? f.suffix : f.match;
  const parts = name.slice(0, -suffix.length).split('_');
  const flow = table === 'vpc_flow_logs';
  if (parts.length !== (flow ? 6 : 5) || parts[1] !== TABLE_KEYS[table].folder) return undefined;
  const [account, , region] = parts as [string, string, string];
  const [flowLogId, minute, unique] = (flow ? parts.slice(3) : [undefined, ...parts.slice(3)]) as [string | undefined, string, string];
  if (!MINUTE.test(minute) || unique === '') return undefined;
  return { account, region, minute, unique, ...(flowLogId !== undefined ? { flowLogId } : {}), format, suffix };
}

/** The parts of a digest file's name (keys.ts digestFileName). */
export interface ParsedDigestName {
  account: string;
  /** The region the digest covers (its folder). */
  region: string;
  trail: string;
  /** The trail's home region. */
  homeRegion: string;
  /** The digest's end time, YYYYMMDDTHHmmssZ. */
  endSecond: string;
  /** A backfill digest (`_backfill.json.gz`), delivered late to fill a gap. */
  backfill: boolean;
}

const SECOND = /^\d{8}T\d{6}Z$/;

/** Parse a CloudTrail digest file name; undefined when it does not follow AWS's grammar. Trail names may hold underscores. */
export function parseDigestFileName(name: string): ParsedDigestName | undefined {
  const backfill = name.endsWith('_backfill.json.gz');
  const suffix = backfill ? '_backfill.json.gz' : '.json.gz';
  if (!name.endsWith(suffix)) return undefined;
  const parts = name.slice(0, -suffix.length).split('_');
  if (parts.length < 6 || parts[1] !== DIGEST_FOLDER) return undefined;
  const endSecond = parts[parts.length - 1]!;
  const homeRegion = parts[parts.length - 2]!;
  const trail = parts.slice(3, -2).join('_');
  if (!SECOND.test(endSecond) || trail === '' || parts[0] === '' || parts[2] === '' || homeRegion === '') return undefined;
  return { account: parts[0]!, region: parts[2]!, trail, homeRegion, endSecond, backfill };
}

/** A YYYYMMDDTHHmmssZ (or YYYYMMDDTHHmmZ) stamp as milliseconds. */
export function stampMs(stamp: string): number {
  const s = stamp.length === 14 ? `${stamp.slice(0, 13)}00Z` : stamp;
  return Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13), +s.slice(13, 15));
}
