import { UsageError } from '../errors.js';
import { parseDuration } from './duration.js';

/** The longest time window or duration accepted: 100 years (CloudTrail began in 2013). Longer is a typo. */
export const MAX_SPAN_DAYS = 36_525;
export const MAX_SPAN_MS = MAX_SPAN_DAYS * 86_400_000;

/** A UsageError unless [since, until) spans at most MAX_SPAN_DAYS. */
export function checkSpan(since: Date, until: Date, what: string): void {
  if (until.getTime() - since.getTime() > MAX_SPAN_MS) {
    throw new UsageError(
      `${what}: ${isoSeconds(since)} to ${isoSeconds(until)} spans more than 100 years (${MAX_SPAN_DAYS} days); name a shorter window`,
    );
  }
}

/** A UTC Date for year/month/day, right for years 0-99 too (Date.UTC reads those as 1900-1999). */
export function utcDate(y: number, m0: number, d = 1): Date {
  const date = new Date(Date.UTC(2000, m0, d));
  date.setUTCFullYear(y, m0, d);
  return date;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A point in time from the command line: ISO-8601 (`2024-01-02`, `2024-01-02T03:04Z`,
 * `2024-01-02T03:04:05+02:00`; no zone means UTC), `now`, or a duration back from now
 * (`90m`, `1.5h`, `7d`, `2w`; src/params/duration.ts).
 */
export function parseTime(text: string, now: Date, what = 'time'): Date {
  const t = text.trim();
  if (t.toLowerCase() === 'now') return new Date(now.getTime());
  const back = parseDuration(t);
  if (back !== undefined) {
    if (back > MAX_SPAN_MS)
      throw new UsageError(`${what} "${text}" reaches back more than 100 years (${MAX_SPAN_DAYS}d); name a shorter duration`);
    return new Date(now.getTime() - back);
  }
  const m = ISO.exec(t);
  if (m) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
    const z = zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
    const ms = frac ? `.${frac.padEnd(3, '0').slice(0, 3)}` : '';
    const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${z}`);
    if (
      !Number.isNaN(date.getTime()) &&
      Number(mo) >= 1 &&
      Number(mo) <= 12 &&
      Number(d) >= 1 &&
      Number(d) <= daysInMonth(Number(y), Number(mo)) &&
      Number(h) < 24 &&
      Number(mi) < 60 &&
      Number(s) < 60
    ) {
      return date;
    }
  }
  throw new UsageError(
    `${what} "${text}" is not a time: use ISO-8601 (2024-01-31, 2024-01-31T12:00:00Z), "now", or a duration back from now (90m, 24h, 7d, 2w)`,
  );
}

function daysInMonth(y: number, m: number): number {
  return utcDate(y, m, 0).getUTCDate();
}

/** `2024-01-02T03:04:05Z` (milliseconds only when present). */
export function isoSeconds(d: Date): string {
  const s = d.toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, 19)}Z` : s;
}

/** The UTC day of a time as the partition value `yyyy/MM/dd`. */
export function dayPartition(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '/');
}

export function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * 86_400_000);
}

/** Start of the UTC day holding d. */
export function startOfDay(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 86_400_000) * 86_400_000);
}

/** A half-open interval [since, until) of event time. */
export interface TimeWindow {
  since: Date;
  until: Date;
}
