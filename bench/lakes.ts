/**
 * The benchmark lakes: deterministic sample lakes of fixed sizes, generated once into
 * the cache directory and reused while their marker matches.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchLake {
  /** Folder name under the cache directory. */
  name: string;
  days: number;
  scale: number;
  /** What the lake is for, in the table. */
  label: string;
  /** Part of `--quick`. */
  quick: boolean;
}

/** Sample lakes end on this day, so every run measures the same bytes. */
export const END_DATE = '2024-03-31';
export const SEED = 7;

// Scale 1 is about 3,000 CloudTrail events and 6,000 flow records a day.
export const LAKES: BenchLake[] = [
  { name: 'ct-100k', days: 7, scale: 100_000 / 21_000, label: '100k CloudTrail events', quick: true },
  { name: 'flow-1m', days: 14, scale: 1_000_000 / 84_000, label: '1M flow records', quick: true },
  // 600k events over 14 days (36,288 files): the lake of the cold `casebook run` rows.
  { name: 'ct-600k', days: 14, scale: 600_000 / 42_000, label: '600k CloudTrail events, 14 days', quick: false },
  { name: 'ct-1m', days: 14, scale: 1_000_000 / 42_000, label: '1M CloudTrail events', quick: false },
  // 30 days: also the lake of the 1-day-window measurement; 5M events and 10M flow records.
  { name: 'big-30d', days: 30, scale: 5_000_000 / 90_000, label: '5M CloudTrail events / 10M flow records, 30 days', quick: false },
];

export function lakeDir(cache: string, lake: BenchLake): string {
  return join(cache, lake.name);
}

interface Marker {
  status?: string;
  options?: { days?: number; scale?: number; seed?: number; endDate?: string };
  summary?: { cloudtrailEvents: number; flowRecords: number; cloudtrailFiles: number; flowFiles: number };
}

/** The lake's marker if it is complete and was made with these options. */
export function readyLake(dir: string, lake: BenchLake): Marker['summary'] | undefined {
  const file = join(dir, 'casebook-sample.json');
  if (!existsSync(file)) return undefined;
  const m = JSON.parse(readFileSync(file, 'utf8')) as Marker;
  const o = m.options ?? {};
  if (m.status !== 'complete' || o.days !== lake.days || o.scale !== lake.scale || o.seed !== SEED || o.endDate !== END_DATE)
    return undefined;
  return m.summary;
}
