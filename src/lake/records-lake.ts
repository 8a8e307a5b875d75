import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { getTable } from '../tables/model.js';
import { duckdbType } from '../tables/column-types.js';
import { quoteString } from '../params/literals.js';
import { fileSuffix, type TableLayout } from '../layout/layout.js';
import { cloudTrailFileName, dayFolder, flowLogFileName, hourFolder, keyDay, keyMinute } from '../layout/keys.js';

/**
 * Write CloudTrail records and flow-log records into a lake directory in the exact S3
 * layout and file naming, as AWS would deliver them: each record lands in the file of
 * its account, region and delivery time (five minutes after its 5-minute slot, so an
 * event late in the day lands in the next day's folder). Used by query test cases.
 */

/** The records to write, by table: CloudTrail records as AWS writes them, flow-log records keyed by field name. */
export interface RecordsLakeInput {
  cloudtrail?: Record<string, unknown>[];
  vpc_flow_logs?: Record<string, string | number>[];
}

/**
 * The bucket layout to write, as AWS would for a trail or flow log configured that
 * way. The default is a single-account trail and daily text flow logs.
 */
export interface RecordsLakeLayout {
  /** CloudTrail organization trail: files under AWSLogs/<orgId>/<account>/. */
  orgId?: string;
  flowLogs?: {
    /** Text (.log.gz, a header line and space-separated fields) or Parquet (.log.parquet). */
    format?: 'text' | 'parquet';
    /** Hourly partitions: an HH/ (or hour=HH/) folder below each day. */
    hourly?: boolean;
    /** Hive-compatible prefixes: aws-account-id=/aws-service=/aws-region=/year=/month=/day=/. */
    hivePrefixes?: boolean;
  };
}

export interface RecordsLakeOptions {
  layout?: RecordsLakeLayout;
}

/** The table layouts a lake layout stands for (what `casebook setup` would define for it). */
export function tableLayouts(layout: RecordsLakeLayout = {}): { cloudtrail: TableLayout; vpc_flow_logs: TableLayout } {
  const fl = layout.flowLogs ?? {};
  return {
    cloudtrail: {
      table: 'cloudtrail',
      format: 'json',
      hourly: false,
      hivePrefixes: false,
      ...(layout.orgId ? { orgId: layout.orgId } : {}),
    },
    vpc_flow_logs: {
      table: 'vpc_flow_logs',
      format: fl.format ?? 'text',
      hourly: Boolean(fl.hourly),
      hivePrefixes: Boolean(fl.hivePrefixes),
    },
  };
}

const DEFAULT_ACCOUNT = '111122223333';
const DEFAULT_REGION = 'us-east-1';

function stamp(ms: number): { day: string; minute: string } {
  return { day: keyDay(ms), minute: keyMinute(ms) };
}

function deliverySlot(ms: number): number {
  const slot = 5 * 60_000;
  return Math.floor(ms / slot) * slot + slot;
}

function hash(text: string, length: number): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

interface FlowFile {
  /** Path of the file, relative to the lake directory. */
  path: string;
  names: string[];
  records: Record<string, string | number>[];
}

/**
 * Write the records in the lake's layout. Synchronous for every layout but Parquet
 * flow logs (use writeRecordsLakeAsync for those).
 */
export function writeRecordsLake(dir: string, input: RecordsLakeInput, options: RecordsLakeOptions = {}): void {
  const flows = planLake(dir, input, options);
  if (flows.length && tableLayouts(options.layout).vpc_flow_logs.format === 'parquet') {
    throw new Error('Parquet flow logs are written with DuckDB: use writeRecordsLakeAsync');
  }
  for (const f of flows) writeTextFlowFile(dir, f);
}

/** Write the records in any layout, Parquet flow logs included. */
export async function writeRecordsLakeAsync(dir: string, input: RecordsLakeInput, options: RecordsLakeOptions = {}): Promise<void> {
  const flows = planLake(dir, input, options);
  if (tableLayouts(options.layout).vpc_flow_logs.format !== 'parquet') {
    for (const f of flows) writeTextFlowFile(dir, f);
    return;
  }
  if (flows.length) await writeParquetFlowFiles(dir, flows);
}

/** Writes the CloudTrail files; returns the flow-log files to write. */
function planLake(dir: string, input: RecordsLakeInput, options: RecordsLakeOptions): FlowFile[] {
  const layouts = tableLayouts(options.layout);
  const ct = new Map<string, Record<string, unknown>[]>();
  for (const r of input.cloudtrail ?? []) {
    const ui = r.userIdentity as { accountId?: string } | undefined;
    const account = String(r.recipientAccountId ?? ui?.accountId ?? DEFAULT_ACCOUNT);
    const region = String(r.awsRegion ?? DEFAULT_REGION);
    const t = Date.parse(String(r.eventTime));
    if (Number.isNaN(t)) throw new Error(`test record has no valid eventTime: ${JSON.stringify(r).slice(0, 80)}`);
    const key = `${account}|${region}|${deliverySlot(t)}`;
    const list = ct.get(key);
    if (list) list.push(r);
    else ct.set(key, [r]);
  }
  for (const [key, records] of ct) {
    const [account, region, slot] = key.split('|') as [string, string, string];
    const { day, minute } = stamp(Number(slot));
    const folder = join(dir, dayFolder(layouts.cloudtrail, { account, region, day }));
    mkdirSync(folder, { recursive: true });
    const body = JSON.stringify({ Records: records });
    writeFileSync(join(folder, cloudTrailFileName(account, region, minute, hash(body, 16))), gzipSync(body));
  }

  const flows = new Map<string, Record<string, string | number>[]>();
  for (const r of input.vpc_flow_logs ?? []) {
    const account = String(r['account-id'] ?? DEFAULT_ACCOUNT);
    const region = String(r.region ?? DEFAULT_REGION);
    const end = Number(r.end);
    if (!Number.isFinite(end)) throw new Error(`test flow record has no numeric end: ${JSON.stringify(r).slice(0, 80)}`);
    const fields = Object.keys(r).join(' ');
    const key = `${account}|${region}|${deliverySlot(end * 1000) - 5 * 60_000}|${fields}`;
    const list = flows.get(key);
    if (list) list.push(r);
    else flows.set(key, [r]);
  }
  const out: FlowFile[] = [];
  const layout = layouts.vpc_flow_logs;
  for (const [key, records] of flows) {
    const [account, region, slot, fields] = key.split('|') as [string, string, string, string];
    const names = fields.split(' ');
    const { day, minute } = stamp(Number(slot));
    const folder = dayFolder(layout, { account, region, day }) + hourFolder(layout, minute.slice(9, 11));
    const flowLogId = `fl-${hash(fields, 17)}`;
    const body = textBody(names, records);
    out.push({
      path: join(folder, flowLogFileName(account, region, flowLogId, minute, hash(body, 8), fileSuffix(layout))),
      names,
      records,
    });
  }
  return out;
}

function textBody(names: string[], records: Record<string, string | number>[]): string {
  const lines = [
    names.join(' '),
    ...records.map((r) => names.map((n) => (r[n] === undefined || r[n] === '' ? '-' : String(r[n]))).join(' ')),
  ];
  return `${lines.join('\n')}\n`;
}

function writeTextFlowFile(dir: string, f: FlowFile): void {
  const path = join(dir, f.path);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, gzipSync(textBody(f.names, f.records)));
}

/**
 * Parquet flow logs as AWS writes them: columns named like the table (hyphens to
 * underscores), INT_32 / INT_64 / STRING as the schema types say, gzip-compressed
 * pages, `-` stored as NULL.
 */
async function writeParquetFlowFiles(dir: string, files: FlowFile[]): Promise<void> {
  const { DuckDBInstance } = (await import('../engines/duckdb/api.js')).duckdb;
  const byField = new Map(getTable('vpc_flow_logs').columns.map((c) => [c.sourceName, c]));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await instance.connect();
  try {
    for (const f of files) {
      const path = join(dir, f.path);
      mkdirSync(join(path, '..'), { recursive: true });
      const cols = f.names.map((n) => ({
        name: n.replace(/-/g, '_'),
        type: byField.has(n) ? duckdbType(byField.get(n)!.type) : 'VARCHAR',
      }));
      const rows = f.records.map(
        (r) =>
          `(${f.names.map((n) => (r[n] === undefined || r[n] === '' || r[n] === '-' ? 'NULL' : quoteString(String(r[n])))).join(', ')})`,
      );
      const select = cols.map((col, i) => `CAST(col${i} AS ${col.type}) AS "${col.name}"`).join(', ');
      const aliases = cols.map((_, i) => `col${i}`).join(', ');
      await c.run(
        `COPY (SELECT ${select} FROM (VALUES ${rows.join(', ')}) AS v(${aliases})) TO ${quoteString(path)} (FORMAT parquet, COMPRESSION gzip)`,
      );
    }
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
