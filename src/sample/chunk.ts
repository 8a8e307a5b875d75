/**
 * One unit of work: every CloudTrail event and flow record of one account,
 * region and UTC day, written as delivered files. A chunk depends only on its
 * task, so the lake is the same whichever worker runs which chunk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CloudTrailBackground, cloudTrailIncidents, type CtRecord, type TimedRecord } from './cloudtrail.js';
import { FlowBackground, flowFields, flowIncidents } from './flowlogs.js';
import { Rng } from './random.js';
import { DAY, HOUR, MINUTE, dayString, weekday } from './time.js';
import { cloudTrailFileName, dayFolder, flowLogFileName, keyDay, keyMinute } from '../layout/keys.js';
import { fileSuffix, type TableLayout } from '../layout/layout.js';
import { CLOUDTRAIL_EVENTS_PER_DAY, CLOUDTRAIL_SHARE, FLOW_RECORDS_PER_DAY, FLOW_SHARE, regionWorld, type Region } from './world.js';

export interface ChunkTask {
  index: number;
  accountId: string;
  region: Region;
  /** Midnight UTC of the chunk's day, Unix seconds. */
  dayStart: number;
  seed: number;
  scale: number;
  out: string;
  /** Whether this day carries the planted incidents. */
  incidents: boolean;
  gzipLevel: number;
}

export interface ChunkResult {
  index: number;
  cloudtrailEvents: number;
  cloudtrailFiles: number;
  flowRecords: number;
  flowFiles: number;
  bytesWritten: number;
}

/** The sample lake's layouts: a single-account trail and daily text flow logs. */
const CLOUDTRAIL: TableLayout = { table: 'cloudtrail', format: 'json', hourly: false, hivePrefixes: false };
const FLOW_LOGS: TableLayout = { table: 'vpc_flow_logs', format: 'text', hourly: false, hivePrefixes: false };

const WINDOW = 5 * MINUTE;
const WINDOWS_PER_DAY = DAY / WINDOW;

/** Relative activity of each 5-minute window: a working-day bump over a night floor. */
function diurnal(peakHour: number, floor: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < WINDOWS_PER_DAY; i++) {
    const h = (i * WINDOW) / HOUR;
    const x = floor + (1 - floor) * Math.exp(-((h - peakHour) ** 2) / (2 * 3.2 ** 2));
    out.push(x);
    sum += x;
  }
  return out.map((x) => x / sum);
}

const REGION_PEAK: Record<Region, number> = { 'us-east-1': 16, 'eu-west-1': 11, 'ap-southeast-2': 2 };
const curves = new Map<string, number[]>();
function curve(region: Region, kind: 'ct' | 'flow'): number[] {
  const key = `${region}|${kind}`;
  let c = curves.get(key);
  if (!c) {
    // Circular distance matters for ap-southeast-2 whose working day straddles midnight UTC.
    const peak = REGION_PEAK[region];
    const base = diurnal(12, kind === 'ct' ? 0.3 : 0.55);
    const shift = Math.round(((peak - 12) * HOUR) / WINDOW);
    c = base.map((_, i) => base[(((i - shift) % WINDOWS_PER_DAY) + WINDOWS_PER_DAY) % WINDOWS_PER_DAY]);
    curves.set(key, c);
  }
  return c;
}

/** Weekends are quieter; the weekly mean stays at 1. */
function weekFactor(dayStart: number): number {
  const d = weekday(dayStart);
  return d === 0 || d === 6 ? 0.8 : 1.08;
}

function countFor(rng: Rng, expected: number): number {
  const whole = Math.floor(expected);
  return whole + (rng.next() < expected - whole ? 1 : 0);
}

class Writer {
  private readonly dirs = new Set<string>();
  bytes = 0;

  constructor(private readonly level: number) {}

  write(dir: string, name: string, text: string): void {
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    const gz = gzipSync(text, { level: this.level });
    writeFileSync(join(dir, name), gz);
    this.bytes += gz.length;
  }
}

export function runChunk(task: ChunkTask): ChunkResult {
  const w = regionWorld(task.accountId, task.region);
  const acct = w.account.id;
  const region = task.region;
  const day = dayString(task.dayStart);
  const key = `${task.seed}|${acct}|${region}|${day}`;
  const writer = new Writer(task.gzipLevel);
  const names = new Rng(`names|${key}`);
  const result: ChunkResult = { index: task.index, cloudtrailEvents: 0, cloudtrailFiles: 0, flowRecords: 0, flowFiles: 0, bytesWritten: 0 };

  // ---------------- CloudTrail ----------------
  {
    const rng = new Rng(`ct|${key}`);
    const gen = new CloudTrailBackground(w, rng);
    const perDay = CLOUDTRAIL_EVENTS_PER_DAY * task.scale * CLOUDTRAIL_SHARE[w.account.name][region] * weekFactor(task.dayStart);
    const weights = curve(region, 'ct');
    const planted = task.incidents ? cloudTrailIncidents(w, task.dayStart, new Rng(`incident-ct|${key}`)) : [];
    planted.sort((a, b) => a.t - b.t);
    let p = 0;
    for (let win = 0; win < WINDOWS_PER_DAY; win++) {
      const winStart = task.dayStart + win * WINDOW;
      const n = countFor(rng, perDay * weights[win]);
      const timed: TimedRecord[] = [];
      const times: number[] = [];
      for (let i = 0; i < n; i++) times.push(winStart + rng.below(WINDOW));
      times.sort((a, b) => a - b);
      for (const t of times) timed.push({ t, rec: gen.event(t) });
      while (p < planted.length && planted[p].t < winStart + WINDOW) timed.push(planted[p++]);
      if (timed.length === 0) continue;
      timed.sort((a, b) => a.t - b.t);
      // Delivered on the 5-minute grid, 5 to 15 minutes after the window closes.
      const lag = rng.next();
      const stamp = winStart + WINDOW + (lag < 0.8 ? 5 : lag < 0.97 ? 10 : 15) * MINUTE;
      const records: CtRecord[] = timed.map((x) => x.rec);
      const name = cloudTrailFileName(acct, region, keyMinute(stamp * 1000), names.alnum(16));
      writer.write(
        join(task.out, dayFolder(CLOUDTRAIL, { account: acct, region, day: keyDay(stamp * 1000) })),
        name,
        JSON.stringify({ Records: records }),
      );
      result.cloudtrailEvents += records.length;
      result.cloudtrailFiles += 1;
    }
  }

  // ---------------- VPC Flow Logs ----------------
  {
    const rng = new Rng(`flow|${key}`);
    const gen = new FlowBackground(w, rng);
    const fields = flowFields(w.account.flowFormat);
    const header = fields.join(' ');
    const perDay = FLOW_RECORDS_PER_DAY * task.scale * FLOW_SHARE[w.account.name][region] * weekFactor(task.dayStart);
    const weights = curve(region, 'flow');
    const byWindow = new Map<number, string[]>();
    if (task.incidents) {
      for (const r of flowIncidents(w, task.dayStart, task.scale, new Rng(`incident-flow|${key}`))) {
        const win = Math.floor((r.end - task.dayStart) / WINDOW);
        const list = byWindow.get(win) ?? [];
        list.push(r.line);
        byWindow.set(win, list);
      }
    }
    const dir = join(task.out, dayFolder(FLOW_LOGS, { account: acct, region, day: keyDay(task.dayStart * 1000) }));
    for (let win = 0; win < WINDOWS_PER_DAY; win++) {
      const winStart = task.dayStart + win * WINDOW;
      const recs: string[] = [header];
      gen.window(winStart, countFor(rng, perDay * weights[win]), recs);
      const planted = byWindow.get(win);
      if (planted) {
        // Interleave planted records at random positions: files are not in time order.
        for (const r of planted) recs.splice(1 + rng.below(recs.length), 0, r);
      }
      if (recs.length === 1) continue;
      recs.push('');
      writer.write(
        dir,
        flowLogFileName(acct, region, w.flowLogId, keyMinute(winStart * 1000), names.hex(8), fileSuffix(FLOW_LOGS)),
        recs.join('\n'),
      );
      result.flowRecords += recs.length - 2;
      result.flowFiles += 1;
    }
  }

  result.bytesWritten = writer.bytes;
  return result;
}
