import { dayFolderFileNames, dayFolders } from '../engines/duckdb/lake.js';
import type { Period } from './period.js';
import { periodDays } from './period.js';

/** Which days of a report's period a section's data covers. */
export interface SectionCoverage {
  /** How coverage was found: `log files in the lake`, or why it was not checked. */
  basis: string;
  /** false: not checked (coverage unknown); the days below are then empty. */
  checked: boolean;
  /** Days (YYYY-MM-DD) of the period. */
  days: number;
  /** Days of the period with data for every table the section reads. */
  covered: string[];
  /** Days of the period without. */
  missing: string[];
  /** What holds the data (`lake`), for messages. */
  source?: string;
  /** When no day is covered: the days the source does hold (`2024-05-01..2024-05-14`), if any. */
  available?: string;
}

/** Finds a section's coverage from the tables it reads. */
export type CoverageProbe = (tables: string[], period: Period) => SectionCoverage;

function dash(day: string): string {
  return day.replaceAll('/', '-');
}

/** The delivery days (YYYY-MM-DD) a table of the lake has log files for, within the window. */
export function lakeDays(lake: string, table: string, since: Date, until: Date): Set<string> {
  const days = new Set<string>();
  for (const d of dayFolders(lake, table, { since, until })) {
    if (days.has(dash(d.day))) continue;
    if (dayFolderFileNames(d.path, table).length > 0) days.add(dash(d.day));
  }
  return days;
}

/**
 * Coverage on a local lake: a day of the period is covered when every table the
 * section reads has log files delivered that day (the day folders the query reads).
 */
export function lakeCoverageProbe(lake: string): CoverageProbe {
  const cache = new Map<string, Set<string>>();
  return (tables, period) => {
    const days = periodDays(period);
    const sets = tables.map((t) => {
      const key = `${t} ${period.since.toISOString()} ${period.until.toISOString()}`;
      if (!cache.has(key)) cache.set(key, lakeDays(lake, t, period.since, period.until));
      return cache.get(key)!;
    });
    const covered = days.filter((d) => sets.every((s) => s.has(d)));
    const out: SectionCoverage = {
      basis: 'days with log files in the lake',
      source: 'lake',
      checked: true,
      days: days.length,
      covered,
      missing: days.filter((d) => !covered.includes(d)),
    };
    if (covered.length === 0) {
      const all = [...new Set(tables.flatMap((t) => [...lakeDays(lake, t, new Date(0), new Date(Date.UTC(9999, 0)))]))].sort();
      if (all.length) out.available = `${all[0]}..${all[all.length - 1]}`;
    }
    return out;
  };
}

/** Coverage that was not checked (an engine without a cheap way to list its data days). */
export function uncheckedCoverage(period: Period, why: string): SectionCoverage {
  return { basis: why, checked: false, days: periodDays(period).length, covered: [], missing: [] };
}

/** `2024-01-03..2024-01-05, 2024-01-09` */
export function dayRanges(days: string[]): string {
  const out: string[] = [];
  let start: string | undefined;
  let prev: string | undefined;
  const next = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  for (const d of [...days].sort()) {
    if (start && prev && next(prev) === d) {
      prev = d;
      continue;
    }
    if (start) out.push(start === prev ? start : `${start}..${prev}`);
    start = d;
    prev = d;
  }
  if (start) out.push(start === prev ? start : `${start}..${prev}`);
  return out.join(', ');
}

/** One line: `7 of 7 days (2024-01-01..2024-01-07)` or `2 of 90 days have data (...); no data for ...`. */
export function coverageText(c: SectionCoverage): string {
  if (!c.checked) return `coverage not checked (${c.basis})`;
  if (c.missing.length === 0) return `data for all ${c.days} day${c.days === 1 ? '' : 's'} of the period (${c.basis})`;
  if (c.covered.length === 0) return `no data for any of the ${c.days} days of the period (${c.basis})`;
  return `data for ${c.covered.length} of ${c.days} days (${dayRanges(c.covered)}); no data for ${dayRanges(c.missing)} (${c.basis})`;
}

/** The section's data leaves days of the period uncovered. */
export function isPartial(c: SectionCoverage | undefined): boolean {
  return c?.checked === true && c.missing.length > 0;
}

/** `data for 9 of 30 days`: the short form for one line of a terminal. */
export function coverageShort(c: SectionCoverage): string {
  return c.checked ? `data for ${c.covered.length} of ${c.days} day${c.days === 1 ? '' : 's'}` : 'coverage not checked';
}
