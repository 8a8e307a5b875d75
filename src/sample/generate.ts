/**
 * The deterministic sample-lake generator: CloudTrail and VPC Flow Logs for
 * three accounts and three regions, laid out exactly like an S3 log bucket,
 * with a realistic background and planted incidents.
 *
 * Same options (seed, days, scale, endDate, gzipLevel) give byte-identical
 * files, whatever the number of workers.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { CasebookError, UsageError } from '../errors.js';
import type { ChunkTask } from './chunk.js';
import { plantedIncidents, type PlantedIncident } from './incidents.js';
import { runChunks } from './pool.js';
import { DAY, dayString, parseDay } from './time.js';
import { ACCOUNTS, INCIDENT_DAY_OFFSET, REGIONS } from './world.js';

export type { PlantedIncident } from './incidents.js';
export { INCIDENT_QUERIES } from './incidents.js';
export { ACCOUNTS, INCIDENT, MALLORY, REGIONS } from './world.js';

export interface SampleOptions {
  out: string;
  /** Whole UTC days ending at endDate (inclusive). Default 14. */
  days?: number;
  /** Volume multiplier: 1 is about 3,000 CloudTrail events and 6,000 flow records a day. Default 1. */
  scale?: number;
  /** Default 1. */
  seed?: number;
  /** 'YYYY-MM-DD' (UTC). Default: today, UTC. */
  endDate?: string;
  /** Worker threads. Default: os.availableParallelism(). Does not change the output. */
  workers?: number;
  /** gzip level 1-9. Default 6. */
  gzipLevel?: number;
  onProgress?: (msg: string) => void;
}

export interface SampleSummary {
  out: string;
  days: number;
  startDate: string;
  endDate: string;
  cloudtrailEvents: number;
  cloudtrailFiles: number;
  flowRecords: number;
  flowFiles: number;
  bytesWritten: number;
  incidents: PlantedIncident[];
}

/** Name of the marker file that identifies a directory as a casebook sample lake. */
export const SAMPLE_MARKER = 'casebook-sample.json';
const MARKER_FORMAT = 'casebook-sample-lake/1';

interface Resolved {
  out: string;
  days: number;
  scale: number;
  seed: number;
  endDate: string;
  endDay: number;
  workers: number;
  gzipLevel: number;
}

function resolveOptions(opts: SampleOptions): Resolved {
  if (!opts || typeof opts.out !== 'string' || opts.out.trim() === '')
    throw new UsageError('sample lake: "out" (the directory to write) is required');
  const days = opts.days ?? 14;
  if (!Number.isInteger(days) || days < 1 || days > 3660)
    throw new UsageError(`sample lake: days must be a whole number from 1 to 3660, got ${days}`);
  const scale = opts.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0 || scale > 100_000)
    throw new UsageError(`sample lake: scale must be a number above 0, got ${scale}`);
  const seed = opts.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new UsageError(`sample lake: seed must be an integer, got ${seed}`);
  const endDate = opts.endDate ?? new Date().toISOString().slice(0, 10);
  const endDay = parseDay(endDate);
  if (endDay === undefined) throw new UsageError(`sample lake: endDate must be a real date as YYYY-MM-DD, got "${endDate}"`);
  const workers = opts.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1)
    throw new UsageError(`sample lake: workers must be a whole number of at least 1, got ${workers}`);
  const gzipLevel = opts.gzipLevel ?? 6;
  if (!Number.isInteger(gzipLevel) || gzipLevel < 1 || gzipLevel > 9)
    throw new UsageError(`sample lake: gzipLevel must be 1 to 9, got ${gzipLevel}`);
  return { out: resolve(opts.out), days, scale, seed, endDate, endDay, workers, gzipLevel };
}

/**
 * Makes `out` ready: created if missing; cleared of a previous sample lake's
 * AWSLogs/ if it is one; refused if it holds anything else.
 */
function prepareOut(out: string): void {
  if (!existsSync(out)) {
    mkdirSync(out, { recursive: true });
    return;
  }
  if (!statSync(out).isDirectory()) throw new UsageError(`sample lake: ${out} exists and is not a directory`);
  const entries = readdirSync(out);
  if (entries.length === 0) return;
  const hasLogs = entries.includes('AWSLogs') && statSync(join(out, 'AWSLogs')).isDirectory();
  const hasMarker = entries.includes(SAMPLE_MARKER);
  if (!hasLogs && !hasMarker) {
    throw new CasebookError(
      `sample lake: ${out} is not empty and does not look like a casebook sample lake (no AWSLogs/ and no ${SAMPLE_MARKER}); refusing to write into it. Choose an empty or new directory.`,
    );
  }
  if (!hasMarker) {
    throw new CasebookError(
      `sample lake: ${out} holds AWSLogs/ but no ${SAMPLE_MARKER}, so it may be a real copy of a log bucket; refusing to replace it. Delete it yourself or choose another directory.`,
    );
  }
  // The marker must be one the generator wrote, and the logs no more than it wrote:
  // never delete log files of someone else's.
  const marker = readMarker(join(out, SAMPLE_MARKER));
  if (!marker) {
    throw new CasebookError(
      `sample lake: ${out} holds a ${SAMPLE_MARKER} that casebook did not write; refusing to replace the folder. Delete it yourself or choose another directory.`,
    );
  }
  if (hasLogs && marker.summary) {
    const wrote = marker.summary.cloudtrailFiles + marker.summary.flowFiles;
    const found = countFiles(join(out, 'AWSLogs'));
    if (found > wrote) {
      throw new CasebookError(
        `sample lake: ${out}/AWSLogs holds ${found} files where the sample generator wrote ${wrote}; refusing to delete files it did not write. Move them out or choose another directory.`,
      );
    }
  }
  // A previous sample lake: replace its data so no stale files mix with the new ones.
  rmSync(join(out, 'AWSLogs'), { recursive: true, force: true });
  rmSync(join(out, SAMPLE_MARKER), { force: true });
}

/** The marker of a sample lake, if the file is one the generator wrote. */
function readMarker(file: string): { summary?: { cloudtrailFiles: number; flowFiles: number } } | undefined {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; summary?: { cloudtrailFiles?: unknown; flowFiles?: unknown } };
    if (m === null || typeof m !== 'object' || m.format !== MARKER_FORMAT) return undefined;
    const sm = m.summary;
    if (sm && typeof sm.cloudtrailFiles === 'number' && typeof sm.flowFiles === 'number')
      return { summary: { cloudtrailFiles: sm.cloudtrailFiles, flowFiles: sm.flowFiles } };
    return {};
  } catch {
    return undefined;
  }
}

/** Files (anything not a directory) under dir. */
function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : 1;
  return n;
}

function writeMarker(o: Resolved, status: 'incomplete' | 'complete', summary?: Omit<SampleSummary, 'out'>): void {
  const marker = {
    format: MARKER_FORMAT,
    status,
    // Deliberately no output path and no worker count: the marker is part of the deterministic output.
    options: { days: o.days, scale: o.scale, seed: o.seed, endDate: o.endDate, gzipLevel: o.gzipLevel },
    summary,
  };
  writeFileSync(join(o.out, SAMPLE_MARKER), JSON.stringify(marker, null, 2) + '\n');
}

export async function generateSampleLake(opts: SampleOptions): Promise<SampleSummary> {
  const o = resolveOptions(opts);
  const progress = opts.onProgress ?? (() => undefined);
  prepareOut(o.out);
  writeMarker(o, 'incomplete');

  const firstDay = o.endDay - (o.days - 1) * DAY;
  const incidentDay = o.endDay - INCIDENT_DAY_OFFSET * DAY;
  const withIncidents = incidentDay >= firstDay;
  const tasks: ChunkTask[] = [];
  for (let d = 0; d < o.days; d++) {
    const dayStart = firstDay + d * DAY;
    for (const account of ACCOUNTS) {
      for (const region of REGIONS) {
        tasks.push({
          index: tasks.length,
          accountId: account.id,
          region,
          dayStart,
          seed: o.seed,
          scale: o.scale,
          out: o.out,
          incidents: withIncidents && dayStart === incidentDay,
          gzipLevel: o.gzipLevel,
        });
      }
    }
  }

  const totals = { cloudtrailEvents: 0, cloudtrailFiles: 0, flowRecords: 0, flowFiles: 0, bytesWritten: 0 };
  const perDay = tasks.length / o.days;
  const doneByDay = new Map<number, number>();
  let daysDone = 0;
  progress(
    `writing ${o.days} day(s) of sample logs (${dayString(firstDay)} to ${o.endDate}, scale ${o.scale}, seed ${o.seed}) to ${o.out}`,
  );
  await runChunks(tasks, {
    workers: o.workers,
    onNote: progress,
    onResult: (r) => {
      totals.cloudtrailEvents += r.cloudtrailEvents;
      totals.cloudtrailFiles += r.cloudtrailFiles;
      totals.flowRecords += r.flowRecords;
      totals.flowFiles += r.flowFiles;
      totals.bytesWritten += r.bytesWritten;
      const day = Math.floor(r.index / perDay);
      const n = (doneByDay.get(day) ?? 0) + 1;
      doneByDay.set(day, n);
      if (n === perDay) {
        daysDone++;
        progress(`day ${daysDone}/${o.days} done: ${totals.cloudtrailEvents} CloudTrail events, ${totals.flowRecords} flow records so far`);
      }
    },
  });

  const summary: SampleSummary = {
    out: o.out,
    days: o.days,
    startDate: dayString(firstDay),
    endDate: o.endDate,
    ...totals,
    incidents: withIncidents ? plantedIncidents(dayString(incidentDay)) : [],
  };
  const { out: _out, ...forMarker } = summary;
  void _out;
  writeMarker(o, 'complete', forMarker);
  return summary;
}
