import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Write CloudTrail records and flow-log records into a lake directory in the exact S3
 * layout and file naming, as AWS would deliver them: each record lands in the file of
 * its account, region and delivery time (five minutes after its 5-minute slot, so an
 * event late in the day lands in the next day's folder). Used by query test cases.
 */
export interface RecordsLakeInput {
  cloudtrail?: Record<string, unknown>[];
  vpc_flow_logs?: Record<string, string | number>[];
}

const DEFAULT_ACCOUNT = '111122223333';
const DEFAULT_REGION = 'us-east-1';

function stamp(ms: number): { day: string; minute: string } {
  const iso = new Date(ms).toISOString();
  return { day: iso.slice(0, 10).replace(/-/g, '/'), minute: `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z` };
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

export function writeRecordsLake(dir: string, input: RecordsLakeInput): void {
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
    const folder = join(dir, 'AWSLogs', account, 'CloudTrail', region, day);
    mkdirSync(folder, { recursive: true });
    const body = JSON.stringify({ Records: records });
    writeFileSync(join(folder, `${account}_CloudTrail_${region}_${minute}_${hash(body, 16)}.json.gz`), gzipSync(body));
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
  for (const [key, records] of flows) {
    const [account, region, slot, fields] = key.split('|') as [string, string, string, string];
    const names = fields.split(' ');
    const { day, minute } = stamp(Number(slot));
    const folder = join(dir, 'AWSLogs', account, 'vpcflowlogs', region, day);
    mkdirSync(folder, { recursive: true });
    const lines = [fields, ...records.map((r) => names.map((n) => (r[n] === undefined || r[n] === '' ? '-' : String(r[n]))).join(' '))];
    const body = `${lines.join('\n')}\n`;
    const flowLogId = `fl-${hash(fields, 17)}`;
    writeFileSync(join(folder, `${account}_vpcflowlogs_${region}_${flowLogId}_${minute}_${hash(body, 8)}.log.gz`), gzipSync(body));
  }
}
