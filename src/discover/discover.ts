import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { DIGEST_FOLDER, tableOfFolder, type LogTable } from '../layout/layout.js';
import { AWS_LOGS } from '../layout/keys.js';
import { parseDigestFileName, parseFileName } from '../layout/parse.js';
import {
  readDateFolder,
  readHourFolder,
  readOrgAccountFolder,
  readRegionFolder,
  readServiceFolder,
  readTopFolder,
  type ReadOptions,
} from '../layout/segments.js';
import { pool, type ObjectSource } from '../bucket/source.js';

/**
 * What a bucket (or a local copy of one) holds, found by listing folders one level at a
 * time (ListObjectsV2 with Delimiter '/'), never by listing every key: where AWSLogs/
 * folders are (a custom prefix, Control Tower's `o-xxxx/AWSLogs/o-xxxx/`), which trails
 * and flow logs deliver there, for which accounts and regions, from which day to which
 * (the first and last year, month and day folders), and each flow log's format, read
 * from the header of one of its files.
 */

/** How a root's CloudTrail logs are laid out. */
export type TrailLayout = 'single-account' | 'multi-account' | 'organization' | 'control-tower';

export interface DayRange {
  firstDay: string;
  lastDay: string;
}

/** One service folder of one account and region: `AWSLogs/[o-x/]<account>/<service>/<region>/`. */
export interface RegionFolder extends Partial<DayRange> {
  account: string;
  region: string;
  orgId?: string;
  hivePrefixes: boolean;
  /** Hour folders below the day (flow logs delivered hourly). */
  hourly: boolean;
  /** Digest folders: the trails whose digests the last day holds. */
  trails?: string[];
  /** Flow logs: each flow log found in the last day, with its format. */
  flowLogs?: FlowLogFormat[];
}

export interface FlowLogFormat {
  id: string;
  fileFormat: 'text' | 'parquet';
  /** Text files: the fields of the header line, in order. */
  fields?: string[];
  /** The file the format was read from. */
  sample: string;
}

export interface ServiceSummary {
  /** The service folder, e.g. CloudTrail, CloudTrail-Digest, vpcflowlogs. */
  service: string;
  table?: LogTable;
  accounts: string[];
  regions: string[];
  firstDay?: string;
  lastDay?: string;
  folders: RegionFolder[];
}

export interface LogRoot {
  /** The key prefix holding AWSLogs/ ('' or ending in '/'). */
  prefix: string;
  /** s3://bucket/prefix/ or the local directory holding AWSLogs/. */
  location: string;
  layout?: TrailLayout;
  orgIds: string[];
  services: ServiceSummary[];
}

export interface Discovery {
  source: string;
  roots: LogRoot[];
  /** Folder listings made (ListObjectsV2 calls on S3, directory reads locally). */
  listings: number;
  notes: string[];
}

export interface DiscoverOptions {
  /** Where to start: '' or a prefix ending in '/'. */
  prefix?: string;
  /** How many folder levels above AWSLogs/ to look through (a custom prefix, Control Tower's o-xxxx/). */
  depth?: number;
  /** Read names as AWS writes them (a real bucket), or leniently (a local copy). */
  strict?: boolean;
  /** Read each flow log's header (one small GetObject per flow log). */
  readFormats?: boolean;
  concurrency?: number;
  signal?: AbortSignal;
}

/** How many folders of one level are looked into when searching for AWSLogs/. */
const SEARCH_WIDTH = 50;

class Walker {
  listings = 0;
  constructor(
    readonly source: ObjectSource,
    readonly o: DiscoverOptions,
  ) {}
  folders(prefix: string): Promise<string[]> {
    this.listings++;
    return this.source.folders(prefix, this.o.signal);
  }
}

/** Key prefixes holding AWSLogs/, at most `depth` levels below `prefix`. */
async function findRoots(w: Walker, prefix: string, depth: number, notes: string[]): Promise<string[]> {
  const names = await w.folders(prefix);
  const roots = names.includes(AWS_LOGS) ? [prefix] : [];
  if (depth <= 0) return roots;
  const others = names.filter((n) => n !== AWS_LOGS);
  if (others.length > SEARCH_WIDTH)
    notes.push(
      `${others.length} folders under ${prefix || '(bucket root)'}: only the first ${SEARCH_WIDTH} were searched for AWSLogs/; name the prefix to look elsewhere`,
    );
  for (const n of others.slice(0, SEARCH_WIDTH)) roots.push(...(await findRoots(w, `${prefix}${n}/`, depth - 1, notes)));
  return roots;
}

/** The first and last day under a region folder, from the first and last year, month and day folders. */
async function dayRange(
  w: Walker,
  regionPrefix: string,
  hive: boolean,
  o: ReadOptions,
): Promise<(DayRange & { lastDayPrefix: string }) | undefined> {
  const pick = async (prefix: string, unit: 'year' | 'month' | 'day', last: boolean) => {
    const found = (await w.folders(prefix))
      .flatMap((n) => {
        const v = readDateFolder(n, hive, unit, o);
        return v === undefined ? [] : [{ n, v }];
      })
      .sort((a, b) => Number(a.v) - Number(b.v));
    return last ? found[found.length - 1] : found[0];
  };
  const walk = async (last: boolean) => {
    const y = await pick(regionPrefix, 'year', last);
    if (!y) return undefined;
    const m = await pick(`${regionPrefix}${y.n}/`, 'month', last);
    if (!m) return undefined;
    const d = await pick(`${regionPrefix}${y.n}/${m.n}/`, 'day', last);
    if (!d) return undefined;
    return {
      day: `${y.v.padStart(4, '0')}/${m.v.padStart(2, '0')}/${d.v.padStart(2, '0')}`,
      prefix: `${regionPrefix}${y.n}/${m.n}/${d.n}/`,
    };
  };
  const first = await walk(false);
  const last = await walk(true);
  if (!first || !last) return undefined;
  return { firstDay: first.day, lastDay: last.day, lastDayPrefix: last.prefix };
}

/** The header line of a gzip text file, from its first bytes. */
export function headerLine(body: Buffer): string | undefined {
  let text: string;
  try {
    text = gunzipSync(body, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
  } catch {
    return undefined;
  }
  const nl = text.indexOf('\n');
  return nl < 0 ? undefined : text.slice(0, nl).replace(/\r$/, '');
}

/** The flow logs delivering to a day (its last hour, when hourly), each with the format of one of its files. */
async function flowLogFormats(w: Walker, dayPrefix: string, hourly: boolean): Promise<FlowLogFormat[]> {
  let listed = dayPrefix;
  if (hourly) {
    const hours = (await w.folders(dayPrefix)).filter((n) => readHourFolder(n) !== undefined).sort();
    if (hours.length > 0) listed = `${dayPrefix}${hours[hours.length - 1]}/`;
  }
  const files = await w.source.list(listed, w.o.signal);
  w.listings++;
  const byId = new Map<string, { key: string; format: 'text' | 'parquet' }>();
  for (const f of files) {
    const name = f.key.slice(f.key.lastIndexOf('/') + 1);
    const parsed = parseFileName('vpc_flow_logs', name);
    if (!parsed?.flowLogId || byId.has(parsed.flowLogId)) continue;
    byId.set(parsed.flowLogId, { key: f.key, format: parsed.format === 'parquet' ? 'parquet' : 'text' });
  }
  const out: FlowLogFormat[] = [];
  for (const [id, f] of [...byId].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const entry: FlowLogFormat = { id, fileFormat: f.format, sample: f.key };
    if (f.format === 'text' && w.o.readFormats !== false) {
      const obj = await w.source.get(f.key, w.o.signal);
      const header = obj ? headerLine(obj.body) : undefined;
      if (header) entry.fields = header.trim().split(/\s+/);
    }
    out.push(entry);
  }
  return out;
}

/** The last day folder's hours (hourly flow logs): the day prefix holds HH/ folders instead of files. */
async function isHourly(w: Walker, dayPrefix: string): Promise<boolean> {
  const names = await w.folders(dayPrefix);
  return names.length > 0 && names.every((n) => readHourFolder(n) !== undefined);
}

/** A service folder of one account and region, as the walk finds it. */
export interface FoundFolder {
  service: string;
  account: string;
  region: string;
  orgId?: string;
  hivePrefixes: boolean;
  /** The key prefix of the region folder, ending in '/'. */
  regionPrefix: string;
}

export interface FoundRoot {
  /** The key prefix holding AWSLogs/ ('' or ending in '/'). */
  prefix: string;
  orgIds: string[];
  folders: FoundFolder[];
}

/**
 * The AWSLogs/ folders under `prefix` and the service folders of every account and
 * region below them: folder listings only (what pull and validate-logs start from).
 */
export async function findLogFolders(
  source: ObjectSource,
  o: DiscoverOptions = {},
): Promise<{ roots: FoundRoot[]; listings: number; notes: string[] }> {
  const w = new Walker(source, o);
  const notes: string[] = [];
  const roots = await walkRoots(w, o, notes);
  return { roots, listings: w.listings, notes };
}

async function walkRoots(w: Walker, o: DiscoverOptions, notes: string[]): Promise<FoundRoot[]> {
  const read: ReadOptions = { strict: o.strict ?? false };
  const rootPrefixes = await findRoots(w, o.prefix ?? '', o.depth ?? 3, notes);
  const roots: FoundRoot[] = [];
  for (const prefix of rootPrefixes) {
    const awsLogs = `${prefix}${AWS_LOGS}/`;
    const orgIds: string[] = [];
    const accounts: { orgId?: string; account: string; at: string; hive: boolean }[] = [];
    for (const name of await w.folders(awsLogs)) {
      const top = readTopFolder(name, read);
      if (!top) continue;
      if ('org' in top) {
        orgIds.push(top.org);
        for (const a of await w.folders(`${awsLogs}${name}/`)) {
          const account = readOrgAccountFolder(a, read);
          if (account) accounts.push({ orgId: top.org, account, at: `${awsLogs}${name}/${a}/`, hive: false });
        }
      } else accounts.push({ account: top.account, at: `${awsLogs}${name}/`, hive: top.hive });
    }
    const folders: FoundFolder[] = [];
    await pool(
      accounts,
      o.concurrency ?? 8,
      async (a) => {
        for (const s of await w.folders(a.at)) {
          const service = readServiceFolder(s, a.hive, read);
          if (!service) continue;
          for (const r of await w.folders(`${a.at}${s}/`)) {
            const region = readRegionFolder(r, a.hive, read);
            if (!region) continue;
            folders.push({
              service,
              account: a.account,
              region,
              ...(a.orgId ? { orgId: a.orgId } : {}),
              hivePrefixes: a.hive,
              regionPrefix: `${a.at}${s}/${r}/`,
            });
          }
        }
      },
      o.signal,
    );
    folders.sort((x, y) => (x.regionPrefix < y.regionPrefix ? -1 : 1));
    roots.push({ prefix, orgIds: orgIds.sort(), folders });
  }
  return roots;
}

/** Discover what the source holds under `prefix`. */
export async function discover(source: ObjectSource, o: DiscoverOptions = {}): Promise<Discovery> {
  const w = new Walker(source, o);
  const read: ReadOptions = { strict: o.strict ?? false };
  const notes: string[] = [];
  const start = o.prefix ?? '';
  const roots: LogRoot[] = [];
  for (const found of await walkRoots(w, o, notes)) {
    const { prefix, orgIds } = found;
    const awsLogs = `${prefix}${AWS_LOGS}/`;
    const folders: (RegionFolder & { service: string; regionPrefix: string })[] = found.folders.map((f) => ({ ...f, hourly: false }));
    await pool(
      folders,
      o.concurrency ?? 8,
      async (f) => {
        const range = await dayRange(w, f.regionPrefix, f.hivePrefixes, read);
        if (!range) return;
        f.firstDay = range.firstDay;
        f.lastDay = range.lastDay;
        if (f.service === DIGEST_FOLDER) {
          const names = (await source.list(range.lastDayPrefix, o.signal)).map((x) =>
            parseDigestFileName(x.key.slice(x.key.lastIndexOf('/') + 1)),
          );
          w.listings++;
          f.trails = [...new Set(names.flatMap((n) => (n ? [n.trail] : [])))].sort();
        } else if (tableOfFolder(f.service) === 'vpc_flow_logs') {
          f.hourly = await isHourly(w, range.lastDayPrefix);
          f.flowLogs = await flowLogFormats(w, range.lastDayPrefix, f.hourly);
        }
      },
      o.signal,
    );
    const byService = new Map<string, ServiceSummary>();
    for (const f of folders) {
      const table = tableOfFolder(f.service);
      const s = byService.get(f.service) ?? { service: f.service, ...(table ? { table } : {}), accounts: [], regions: [], folders: [] };
      const { service: _s, regionPrefix: _r, ...folder } = f;
      s.folders.push(folder);
      byService.set(f.service, s);
    }
    const services = [...byService.values()].sort((a, b) => (a.service < b.service ? -1 : 1));
    for (const s of services) {
      s.accounts = [...new Set(s.folders.map((f) => f.account))].sort();
      s.regions = [...new Set(s.folders.map((f) => f.region))].sort();
      const firsts = s.folders.flatMap((f) => f.firstDay ?? []).sort();
      const lasts = s.folders.flatMap((f) => f.lastDay ?? []).sort();
      if (firsts.length) s.firstDay = firsts[0];
      if (lasts.length) s.lastDay = lasts[lasts.length - 1];
      s.folders.sort((a, b) => `${a.orgId ?? ''}/${a.account}/${a.region}`.localeCompare(`${b.orgId ?? ''}/${b.account}/${b.region}`));
    }
    const trailAccounts = new Set(
      services
        .filter((s) => s.table === 'cloudtrail' || s.service === DIGEST_FOLDER)
        .flatMap((s) => s.folders.filter((f) => !f.orgId).map((f) => f.account)),
    );
    const trailOrgs = [
      ...new Set(services.filter((s) => s.table === 'cloudtrail').flatMap((s) => s.folders.flatMap((f) => f.orgId ?? []))),
    ];
    let layout: TrailLayout | undefined;
    const lastSegment = prefix.split('/').filter(Boolean).pop();
    if (trailOrgs.length > 0) layout = lastSegment !== undefined && trailOrgs.includes(lastSegment) ? 'control-tower' : 'organization';
    else if (trailAccounts.size > 0) layout = trailAccounts.size === 1 ? 'single-account' : 'multi-account';
    if (trailOrgs.length > 0 && trailAccounts.size > 0)
      notes.push(
        `${source.where(awsLogs)} holds both an organization trail (${trailOrgs.join(', ')}) and account trails (${[...trailAccounts].join(', ')}): a table reads one of them`,
      );
    roots.push({ prefix, location: source.where(prefix), ...(layout ? { layout } : {}), orgIds: orgIds.sort(), services });
  }
  if (roots.length === 0) notes.push(`no AWSLogs/ folder found under ${source.where(start)} (searched ${o.depth ?? 3} folder levels down)`);
  return { source: source.where(start), roots, listings: w.listings, notes };
}
