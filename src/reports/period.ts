import { UsageError } from '../errors.js';
import { checkSpan, isoSeconds, parseTime, utcDate } from '../params/time.js';

/** A report period: a half-open UTC interval [since, until). */
export interface Period {
  /** As given: `2024-01`, `2024-Q1`, `2024`, `2024-01-15..2024-02-15`. */
  spec: string;
  since: Date;
  until: Date;
  /** A relative period as typed (`last-7d`); `spec` is then the absolute FROM..TO it stood for. */
  asGiven?: string;
}

const HELP =
  'use 2024-01 (a month), 2024-Q1 (a quarter), 2024 (a year), FROM..TO (ISO-8601 dates or times, UTC unless a zone is given; FROM included, TO excluded) or last-7d (the 7 whole UTC days before today)';

function utc(y: number, m0: number, d = 1): Date {
  return utcDate(y, m0, d);
}

function absolute(text: string, what: string): Date {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) throw new UsageError(`--period: ${what} "${text}" is not an ISO-8601 date or time; ${HELP}`);
  return parseTime(t, new Date(0), `--period ${what}`);
}

/**
 * Parse `--period`. Every period is UTC and half-open: `2024-01` is
 * [2024-01-01T00:00Z, 2024-02-01T00:00Z); `2024-Q1` is January to March; `2024` the
 * calendar year; `FROM..TO` runs from FROM (included) to TO (excluded), so
 * `2024-01-01..2024-02-01` is all of January.
 */
export function parsePeriod(text: string, now: Date = new Date()): Period {
  const spec = text.trim();
  // last-Nd: the N whole UTC days before today, named as the absolute FROM..TO it stands
  // for, so the bundle names the same period whenever it is re-run.
  const last = /^last-(\d{1,4})d$/i.exec(spec);
  if (last) {
    const n = Number(last[1]);
    if (n < 1) throw new UsageError(`--period "${text}": at least one day; ${HELP}`);
    const until = utc(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const since = new Date(until.getTime() - n * 86_400_000);
    return { spec: `${since.toISOString().slice(0, 10)}..${until.toISOString().slice(0, 10)}`, since, until, asGiven: spec };
  }
  const year = /^(\d{4})$/.exec(spec);
  const month = /^(\d{4})-(\d{2})$/.exec(spec);
  const quarter = /^(\d{4})-[Qq]([1-4])$/.exec(spec);
  let since: Date;
  let until: Date;
  if (year) {
    const y = Number(year[1]);
    since = utc(y, 0);
    until = utc(y + 1, 0);
  } else if (month) {
    const y = Number(month[1]);
    const mo = Number(month[2]);
    if (mo < 1 || mo > 12) throw new UsageError(`--period "${text}": month ${month[2]} does not exist; ${HELP}`);
    since = utc(y, mo - 1);
    until = utc(y, mo);
  } else if (quarter) {
    const y = Number(quarter[1]);
    const q = Number(quarter[2]);
    since = utc(y, (q - 1) * 3);
    until = utc(y, q * 3);
  } else if (spec.includes('..')) {
    const [from, to, ...rest] = spec.split('..');
    if (rest.length > 0 || !from || !to) throw new UsageError(`--period "${text}" is not a period; ${HELP}`);
    since = absolute(from, 'start');
    until = absolute(to, 'end');
    if (since.getTime() >= until.getTime()) {
      throw new UsageError(
        `--period "${text}": the start ${isoSeconds(since)} is not before the end ${isoSeconds(until)} (the end is excluded)`,
      );
    }
  } else {
    throw new UsageError(`--period "${text}" is not a period; ${HELP}`);
  }
  checkSpan(since, until, `--period "${text}"`);
  return { spec, since, until };
}

/** `2024-01-01T00:00:00Z to 2024-02-01T00:00:00Z (end excluded)`. */
export function periodText(p: Period): string {
  return `${isoSeconds(p.since)} to ${isoSeconds(p.until)} (end excluded)`;
}

/** The UTC days (YYYY-MM-DD) the period touches, whole or in part. */
export function periodDays(p: Period): string[] {
  const days: string[] = [];
  const start = Math.floor(p.since.getTime() / 86_400_000) * 86_400_000;
  for (let t = start; t < p.until.getTime(); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
