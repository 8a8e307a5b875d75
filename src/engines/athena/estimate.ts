import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../../errors.js';
import type { TimeWindow } from '../../params/time.js';
import { windowDays } from '../../layout/days.js';
import { AWS_LOGS, dayFolder, regionsFolder } from '../../layout/keys.js';
import { prefixShapeName, type LogTable, type TableLayout } from '../../layout/layout.js';
import { readOrgAccountFolder, readRegionFolder, readTopFolder } from '../../layout/segments.js';
import { awsCall } from '../../aws/call.js';
import { ATHENA_PRICE_PER_TB_USD, queryCostUsd, scanCostUsd } from './cost.js';
import { explainAwsError } from '../../aws/errors.js';
import { parseS3Url, pool } from '../../bucket/source.js';
import { DEFAULT_RETRY, type RetryPolicy, type Sleep } from '../../aws/retry.js';

/**
 * What a query would scan on Athena, at most, before it runs: the S3 prefixes its
 * partition predicate selects (`day BETWEEN first AND last`, every account and region
 * of the table), listed with ListObjectsV2 and summed. Athena reads whole objects of
 * gzip text (CloudTrail JSON, flow-log text), so for those the sum is what it bills;
 * for Parquet it reads only the columns it needs, so the sum is an upper bound.
 *
 * Layouts (the shape of the day prefixes, named by layout/layout.ts prefixShapeName):
 * - `cloudtrail`: single- or multi-account trail, `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`
 * - `cloudtrail-org`: organization trail, `AWSLogs/<o-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/`
 * - `flowlogs-text`: `AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/` (also Parquet without Hive prefixes)
 * - `flowlogs-text-hourly`: the same with `HH/` below the day (the day prefix holds its hours)
 * - `flowlogs-parquet-hive`: `AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=YYYY/month=MM/day=DD/[hour=HH/]`
 *
 * Accounts and regions come from the options, or are discovered by listing the
 * `AWSLogs/` level (and the level under each account) with Delimiter '/'.
 */

export type S3Api = Pick<S3Client, 'send'>;
export type EstimateTable = LogTable;

export interface LakeLayout {
  /** s3://bucket/prefix/ holding AWSLogs/ for both tables. */
  location?: string;
  cloudtrailLocation?: string;
  flowLogsLocation?: string;
  /** Limit to these accounts (else every account found). */
  accounts?: string[];
  /** Limit to these regions (else every region found under each account). */
  regions?: string[];
  /** Organization trail id (o-...); else any found under AWSLogs/. */
  orgId?: string;
  /** Flow logs with Hive-compatible prefixes (else detected from AWSLogs/). */
  hivePrefixes?: boolean;
  /** Flow logs partitioned by hour. */
  hourly?: boolean;
  /** Flow logs in Parquet (an upper bound: Athena reads only the columns it needs). */
  parquet?: boolean;
}

export interface PrefixEstimate {
  table: EstimateTable;
  /** The shape of the prefix (prefixShapeName). */
  layout: string;
  account: string;
  region: string;
  day: string;
  /** s3://bucket/key-prefix/ */
  prefix: string;
  objects: number;
  bytes: number;
}

export interface TableEstimate {
  table: EstimateTable;
  location: string;
  layouts: string[];
  accounts: string[];
  regions: string[];
  prefixes: PrefixEstimate[];
  objects: number;
  bytes: number;
  /** USD to scan `bytes` (no per-query minimum). */
  costUsd: number;
  /** Why the number is a bound rather than exact, and the like. */
  notes: string[];
}

export interface Estimate {
  window: { since: string; until: string };
  days: string[];
  tables: TableEstimate[];
  objects: number;
  bytes: number;
  /** USD for one run of the query, with Athena's 10 MB minimum. */
  costUsd: number;
  pricePerTb: number;
  /** S3 LIST requests made for the estimate. */
  listRequests: number;
}

export interface EstimateOptions {
  s3: S3Api;
  tables: string[];
  window: TimeWindow;
  layout: LakeLayout;
  pricePerTb?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: Sleep;
  random?: () => number;
  signal?: AbortSignal;
  /** Parallel ListObjectsV2 calls. */
  concurrency?: number;
  region?: string;
  endpoint?: string;
  profile?: string;
}

interface S3Location {
  bucket: string;
  /** Key prefix ending in '/' (or empty). */
  prefix: string;
}

export function parseS3Location(text: string, what = '--location'): S3Location {
  const { bucket, prefix } = parseS3Url(text, what);
  // A location that already names AWSLogs/ is taken as its parent.
  return { bucket, prefix: prefix.replace(/(^|\/)AWSLogs\/$/, '$1') };
}

/** What strict reading of the listing names gives (see layout/segments.ts). */
const STRICT = { strict: true };

/** Where one account's logs of a table are, under the location. */
interface AccountRoot {
  account: string;
  layout: TableLayout;
  /** Key prefix of the account's region level, e.g. `p/AWSLogs/o-x/111122223333/CloudTrail/`. */
  regionsPrefix: string;
}

/** The key prefix a partition day of a region selects, for an account root. */
function dayPrefix(base: string, root: AccountRoot, region: string, day: string): string {
  return `${base}${dayFolder(root.layout, { account: root.account, region, day })}`;
}

function root(base: string, account: string, layout: TableLayout): AccountRoot {
  return { account, layout, regionsPrefix: `${base}${regionsFolder(layout, account)}` };
}

function cloudtrailRoot(base: string, account: string, orgId?: string): AccountRoot {
  return root(base, account, { table: 'cloudtrail', format: 'json', hourly: false, hivePrefixes: false, ...(orgId ? { orgId } : {}) });
}

function flowRoot(base: string, account: string, hive: boolean, hourly: boolean, parquet: boolean): AccountRoot {
  return root(base, account, { table: 'vpc_flow_logs', format: parquet ? 'parquet' : 'text', hourly, hivePrefixes: hive });
}

class Lister {
  requests = 0;
  private readonly cache = new Map<string, Promise<string[]>>();

  constructor(
    private readonly o: EstimateOptions,
    private readonly retry: RetryPolicy,
  ) {}

  private call<T>(operation: string, location: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    this.requests++;
    return awsCall(operation, send, {
      timeoutMs: this.o.timeoutMs ?? 30_000,
      retry: this.retry,
      signal: this.o.signal,
      sleep: this.o.sleep,
      random: this.o.random,
    }).catch((err: unknown) => {
      if (err instanceof Error && err.name === 'CancelledError') throw new UsageError('estimate cancelled');
      throw explainAwsError(err, {
        service: 'S3',
        operation,
        location,
        region: this.o.region,
        endpoint: this.o.endpoint,
        profile: this.o.profile,
        timeoutMs: this.o.timeoutMs,
      });
    });
  }

  /** Names of the "folders" directly under a prefix (Delimiter '/'), without the trailing '/'. */
  folders(bucket: string, prefix: string): Promise<string[]> {
    const key = `${bucket}/${prefix}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = (async () => {
        const names: string[] = [];
        let token: string | undefined;
        do {
          const out = await this.call('ListObjectsV2', `s3://${bucket}/${prefix}`, (abortSignal) =>
            this.o.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }), {
              abortSignal,
            }),
          );
          for (const p of out?.CommonPrefixes ?? []) if (p.Prefix) names.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
          token = out?.IsTruncated ? out.NextContinuationToken : undefined;
        } while (token);
        return names;
      })();
      this.cache.set(key, hit);
    }
    return hit;
  }

  /** Objects and bytes under a prefix, as Athena would read them (no `_`/`.` files, no folder markers). */
  async sum(bucket: string, prefix: string): Promise<{ objects: number; bytes: number }> {
    let objects = 0;
    let bytes = 0;
    let token: string | undefined;
    do {
      const out = await this.call('ListObjectsV2', `s3://${bucket}/${prefix}`, (abortSignal) =>
        this.o.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal }),
      );
      for (const o of out?.Contents ?? []) {
        const key = o.Key ?? '';
        const name = key.slice(key.lastIndexOf('/') + 1);
        if (key.endsWith('/') || name.startsWith('_') || name.startsWith('.')) continue;
        objects++;
        bytes += o.Size ?? 0;
      }
      token = out?.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return { objects, bytes };
  }
}

/** The account roots of a table under a location: given accounts, or those found by listing AWSLogs/. */
async function accountRoots(table: EstimateTable, loc: S3Location, layout: LakeLayout, lister: Lister): Promise<AccountRoot[]> {
  const top = (await lister.folders(loc.bucket, `${loc.prefix}${AWS_LOGS}/`)).map((name) => ({
    name,
    folder: readTopFolder(name, STRICT),
  }));
  const accountsOf = (hive: boolean) =>
    top.flatMap(({ folder }) => (folder && 'account' in folder && folder.hive === hive ? [folder.account] : []));
  const wanted = layout.accounts && layout.accounts.length > 0 ? new Set(layout.accounts) : undefined;
  const keep = (a: string) => !wanted || wanted.has(a);
  const roots: AccountRoot[] = [];
  if (table === 'cloudtrail') {
    const orgs = layout.orgId ? [layout.orgId] : top.flatMap(({ folder }) => (folder && 'org' in folder ? [folder.org] : []));
    for (const org of orgs) {
      const accounts = await lister.folders(loc.bucket, `${loc.prefix}${AWS_LOGS}/${org}/`);
      for (const a of accounts.filter((x) => readOrgAccountFolder(x, STRICT) !== undefined && keep(x)))
        roots.push(cloudtrailRoot(loc.prefix, a, org));
      // Accounts asked for but not (yet) present still count as prefixes (they list as empty).
      if (wanted && layout.orgId) for (const a of wanted) if (!accounts.includes(a)) roots.push(cloudtrailRoot(loc.prefix, a, org));
    }
    if (!layout.orgId) {
      const plain = accountsOf(false);
      for (const a of plain.filter(keep)) roots.push(cloudtrailRoot(loc.prefix, a));
      if (wanted && orgs.length === 0)
        for (const a of wanted) if (!top.some((t) => t.name === a)) roots.push(cloudtrailRoot(loc.prefix, a));
    }
    return roots;
  }
  const hiveFound = accountsOf(true);
  const plainFound = accountsOf(false);
  const parquet = Boolean(layout.parquet);
  const hive = layout.hivePrefixes ?? (hiveFound.length > 0 && plainFound.length === 0 ? true : undefined);
  if (hive !== false) for (const a of hiveFound.filter(keep)) roots.push(flowRoot(loc.prefix, a, true, false, parquet));
  if (hive !== true) for (const a of plainFound.filter(keep)) roots.push(flowRoot(loc.prefix, a, false, Boolean(layout.hourly), parquet));
  if (wanted) {
    const found = new Set(roots.map((r) => r.account));
    for (const a of wanted) if (!found.has(a)) roots.push(flowRoot(loc.prefix, a, Boolean(hive), Boolean(layout.hourly), parquet));
  }
  return roots;
}

async function regionsOf(root: AccountRoot, bucket: string, layout: LakeLayout, lister: Lister): Promise<string[]> {
  if (layout.regions && layout.regions.length > 0) return layout.regions;
  const names = await lister.folders(bucket, root.regionsPrefix);
  return names.flatMap((n) => readRegionFolder(n, root.layout.hivePrefixes, STRICT) ?? []);
}

function locationFor(table: EstimateTable, layout: LakeLayout): string {
  const loc = table === 'cloudtrail' ? (layout.cloudtrailLocation ?? layout.location) : (layout.flowLogsLocation ?? layout.location);
  if (!loc) {
    const specific = table === 'cloudtrail' ? '--cloudtrail-location' : '--flowlogs-location';
    throw new UsageError(
      `estimate needs the S3 location of the ${table} logs: pass --location s3://BUCKET/PREFIX/ (the folder holding AWSLogs/) or ${specific}, or set lake.location in casebook.config.yaml`,
    );
  }
  return loc;
}

/** List what the query's partition predicate selects, table by table, and price it. */
export async function estimateScan(o: EstimateOptions): Promise<Estimate> {
  const price = o.pricePerTb ?? ATHENA_PRICE_PER_TB_USD;
  const lister = new Lister(o, { ...DEFAULT_RETRY, ...o.retry });
  const { days } = windowDays(o.window);
  const tables: TableEstimate[] = [];
  for (const name of o.tables) {
    if (name !== 'cloudtrail' && name !== 'vpc_flow_logs') throw new UsageError(`estimate does not know the S3 layout of table ${name}`);
    const table: EstimateTable = name;
    const location = locationFor(table, o.layout);
    const loc = parseS3Location(location, table === 'cloudtrail' ? '--cloudtrail-location' : '--flowlogs-location');
    const roots = await accountRoots(table, loc, o.layout, lister);
    const prefixes: PrefixEstimate[] = [];
    for (const root of roots) {
      for (const region of await regionsOf(root, loc.bucket, o.layout, lister)) {
        for (const day of days) {
          prefixes.push({
            table,
            layout: prefixShapeName(root.layout),
            account: root.account,
            region,
            day,
            prefix: dayPrefix(loc.prefix, root, region, day),
            objects: 0,
            bytes: 0,
          });
        }
      }
    }
    await pool(prefixes, o.concurrency ?? 16, async (p) => {
      Object.assign(p, await lister.sum(loc.bucket, p.prefix));
      p.prefix = `s3://${loc.bucket}/${p.prefix}`;
    });
    const bytes = prefixes.reduce((s, p) => s + p.bytes, 0);
    const layouts = [...new Set(prefixes.map((p) => p.layout))];
    const notes: string[] = [];
    if (roots.length === 0)
      notes.push(
        `no ${table === 'cloudtrail' ? 'CloudTrail' : 'flow-log'} accounts found under s3://${loc.bucket}/${loc.prefix}${AWS_LOGS}/`,
      );
    if (layouts.includes('cloudtrail') && layouts.includes('cloudtrail-org')) {
      notes.push(
        'both account trails (AWSLogs/<account>/) and an organization trail (AWSLogs/<o-id>/) were found; the Athena table reads one of them: pass --org-id to count only the organization trail, or --accounts',
      );
    }
    if (layouts.includes('flowlogs-text') && layouts.includes('flowlogs-parquet-hive')) {
      notes.push(
        'both plain and Hive-prefixed flow logs were found; the Athena table reads one of them: pass --hive-prefixes or --no-hive-prefixes',
      );
    }
    if (layouts.includes('flowlogs-parquet-hive') || (table === 'vpc_flow_logs' && o.layout.parquet))
      notes.push('Parquet: Athena reads only the columns a query needs, so it scans less than this');
    tables.push({
      table,
      location: `s3://${loc.bucket}/${loc.prefix}`,
      layouts,
      accounts: [...new Set(prefixes.map((p) => p.account))].sort(),
      regions: [...new Set(prefixes.map((p) => p.region))].sort(),
      prefixes,
      objects: prefixes.reduce((s, p) => s + p.objects, 0),
      bytes,
      costUsd: scanCostUsd(bytes, price),
      notes,
    });
  }
  const bytes = tables.reduce((s, t) => s + t.bytes, 0);
  return {
    window: { since: o.window.since.toISOString(), until: o.window.until.toISOString() },
    days,
    tables,
    objects: tables.reduce((s, t) => s + t.objects, 0),
    bytes,
    costUsd: queryCostUsd(bytes, price),
    pricePerTb: price,
    listRequests: lister.requests,
  };
}
