import type { JsonValue } from '../engine.js';
import { parseType } from './values.js';

/** Type names whose values casebook converts (or passes on as text knowingly). */
const KNOWN = new Set([
  'tinyint',
  'smallint',
  'integer',
  'bigint',
  'real',
  'float',
  'double',
  'decimal',
  'boolean',
  'timestamp',
  'timestamp with time zone',
  'date',
  'json',
  'array',
  'map',
  'row',
  'varchar',
  'char',
  'varbinary',
  'time',
  'time with time zone',
  'interval year to month',
  'interval day to second',
  'ipaddress',
  'uuid',
  'unknown',
]);

const TIMESTAMPS = new Set(['timestamp', 'timestamp with time zone']);

/**
 * What an Athena result held that casebook could not convert as its metadata said:
 * a column type it does not know, or timestamp values it could not read. Each is
 * passed on as text and reported once as a note on the run, never dropped silently.
 */
export class ResultAudit {
  private readonly unknownTypes: string[] = [];
  private readonly badTimestamps = new Map<string, number>();
  private readonly timestampColumns: Set<string>;

  constructor(columns: { name: string; type: string }[]) {
    for (const c of columns) {
      const name = parseType(c.type).name;
      if (!KNOWN.has(name)) this.unknownTypes.push(`${c.name} (${c.type})`);
    }
    this.timestampColumns = new Set(columns.filter((c) => TIMESTAMPS.has(parseType(c.type).name)).map((c) => c.name));
  }

  /** Look at one converted value: a timestamp column holding anything but a converted ISO time is counted. */
  value(column: string, text: string | undefined, value: JsonValue): void {
    if (text === undefined || !this.timestampColumns.has(column)) return;
    if (value === text) this.badTimestamps.set(column, (this.badTimestamps.get(column) ?? 0) + 1);
  }

  notes(): string[] {
    const out: string[] = [];
    if (this.unknownTypes.length)
      out.push(
        `column type${this.unknownTypes.length === 1 ? '' : 's'} casebook does not know, passed on as text: ${this.unknownTypes.join(', ')}`,
      );
    for (const [column, n] of this.badTimestamps)
      out.push(`${n} value${n === 1 ? '' : 's'} of timestamp column ${column} could not be read as a time, passed on as text`);
    return out;
  }
}

/** A note when a result's columns are not the ones the query declares (names compared case-insensitively, in order). */
export function columnsNote(declared: string[], actual: { name: string }[]): string | undefined {
  const want = declared.map((c) => c.toLowerCase());
  const got = actual.map((c) => c.name.toLowerCase());
  if (want.length === 0 || (want.length === got.length && want.every((c, i) => c === got[i]))) return undefined;
  const extra = got.filter((c) => !want.includes(c));
  const missing = want.filter((c) => !got.includes(c));
  const parts = [extra.length ? `unexpected ${extra.join(', ')}` : '', missing.length ? `missing ${missing.join(', ')}` : ''].filter(
    Boolean,
  );
  return `the result's columns differ from the ones the query declares${parts.length ? ` (${parts.join('; ')})` : ' (order)'}`;
}
