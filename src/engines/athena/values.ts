import type { JsonValue } from '../engine.js';

/**
 * Athena returns every value as text (`Datum.VarCharValue`; NULL is a Datum without
 * one) next to a type name in the result metadata (`ColumnInfo.Type`). This turns the
 * text into plain JSON by that type, the same shapes the local engine gives:
 *
 * | Athena type                               | text Athena sends            | JSON                       |
 * |-------------------------------------------|------------------------------|----------------------------|
 * | tinyint, smallint, integer, bigint         | `42`                         | number (string past 2^53)  |
 * | real, float, double                        | `1.5`, `1.0E10`, `NaN`       | number (`"NaN"`, `"Infinity"`) |
 * | decimal                                    | `12.50`                      | number (string past 15 digits) |
 * | boolean                                    | `true`                       | boolean                    |
 * | timestamp                                  | `2024-03-01 10:00:00.000`    | `"2024-03-01T10:00:00Z"`   |
 * | timestamp with time zone                   | `2024-03-01 10:00:00.000 UTC`| `"2024-03-01T10:00:00Z"` (any zone, converted to UTC) |
 * | date                                       | `2024-03-01`                 | `"2024-03-01"`             |
 * | json                                       | JSON text                    | parsed JSON                |
 * | array                                      | `[a, b, c]`                  | array                      |
 * | map, row                                   | `{k1=v1, k2=v2}`             | object                     |
 * | varchar, char, anything else               | the text                     | string                     |
 *
 * Arrays, maps and rows come back in Trino's display form, not JSON: strings are not
 * quoted and the metadata says only `array`/`map`/`row`, not the element types. So their
 * elements are returned as strings (`null` as null), and an element that itself
 * contains `, ` or starts with `[`/`{` cannot be told apart from structure. Where the
 * metadata does carry element types (`array(bigint)`, `row(a varchar, b integer)`),
 * elements are converted by them. A query that needs exact nested values should return
 * `CAST(x AS JSON)` (type `json`), which comes back as JSON text and is parsed exactly.
 */
export function athenaValue(text: string | undefined, type: string): JsonValue {
  if (text === undefined) return null;
  return convert(text, parseType(type));
}

/** A type from `ColumnInfo.Type`: a name and, where given, its parameters. */
export interface AthenaType {
  name: string;
  /** array: [element]; map: [key, value]; row: the fields. */
  children: AthenaType[];
  /** row: field names, parallel to children. */
  fields?: string[];
}

/** Parse `bigint`, `decimal(10,2)`, `array(varchar)`, `row(a varchar, b array(integer))`, `map<string,int>`. */
export function parseType(text: string): AthenaType {
  const t = text.trim().toLowerCase().replace(/</g, '(').replace(/>/g, ')');
  const open = t.indexOf('(');
  if (open < 0 || !t.endsWith(')')) return { name: alias(t), children: [] };
  const name = alias(t.slice(0, open).trim());
  const args = splitArgs(t.slice(open + 1, -1));
  if (name === 'array') return { name, children: [parseType(args[0] ?? 'varchar')] };
  if (name === 'map') return { name, children: args.slice(0, 2).map(parseType) };
  if (name === 'row' || name === 'struct') {
    const fields: string[] = [];
    const children: AthenaType[] = [];
    for (const a of args) {
      const f = a.trim();
      const m = /^"([^"]+)"\s+(.+)$/.exec(f) ?? /^([^\s:(]+)\s*:\s*(.+)$/.exec(f) ?? /^([^\s(]+)\s+(.+)$/.exec(f);
      if (m) {
        fields.push(m[1]!);
        children.push(parseType(m[2]!));
      } else {
        fields.push(`field${fields.length}`);
        children.push(parseType(a));
      }
    }
    return { name: 'row', children, fields };
  }
  return { name, children: [] };
}

function alias(name: string): string {
  if (name === 'int') return 'integer';
  if (name === 'string') return 'varchar';
  if (name === 'struct') return 'row';
  if (name === 'timestamp(3) with time zone' || /^timestamp\(\d+\) with time zone$/.test(name)) return 'timestamp with time zone';
  return name;
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'bigint']);
const FLOAT_TYPES = new Set(['real', 'float', 'double']);

function convert(text: string, type: AthenaType): JsonValue {
  const name = type.name;
  if (INTEGER_TYPES.has(name)) return integer(text);
  if (FLOAT_TYPES.has(name)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
    return /^-?inf/i.test(text) ? (text.startsWith('-') ? '-Infinity' : 'Infinity') : text === 'NaN' ? 'NaN' : text;
  }
  if (name === 'decimal') {
    const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
    const n = Number(text);
    return Number.isFinite(n) && digits.length <= 15 ? n : text;
  }
  if (name === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (name === 'timestamp') return timestampIso(text, false) ?? text;
  if (name === 'timestamp with time zone') return timestampIso(text, true) ?? text;
  if (name === 'date') return text;
  if (name === 'json') {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  if (name === 'array' || name === 'map' || name === 'row') return nested(text, type);
  return text;
}

function integer(text: string): JsonValue {
  if (!/^-?\d+$/.test(text)) return text;
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  return BigInt(text).toString();
}

/** An element inside an array/map/row: typed if the metadata gave its type, else a string. */
function element(text: string, type: AthenaType | undefined): JsonValue {
  if (text === 'null') return null;
  if (type) return convert(text, type);
  if ((text.startsWith('[') && text.endsWith(']')) || (text.startsWith('{') && text.endsWith('}') && text.includes('='))) {
    return nested(text, undefined);
  }
  return text;
}

function nested(text: string, type: AthenaType | undefined): JsonValue {
  const t = text.trim();
  // JSON (a value cast to JSON, or a JSON element): Trino's display form never quotes strings.
  if (t.includes('"')) {
    try {
      return JSON.parse(t) as JsonValue;
    } catch {
      /* display form with a quote inside a string */
    }
  }
  if (t.startsWith('[') && t.endsWith(']')) {
    const inner = t.slice(1, -1);
    if (inner.trim() === '') return [];
    const elementType = type?.name === 'array' ? type.children[0] : undefined;
    return splitTop(inner).map((x) => element(x, elementType));
  }
  if (t.startsWith('{') && t.endsWith('}')) {
    const inner = t.slice(1, -1);
    const out: Record<string, JsonValue> = {};
    if (inner.trim() === '') return out;
    splitTop(inner).forEach((pair, i) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? `field${i}` : pair.slice(0, eq);
      const value = eq < 0 ? pair : pair.slice(eq + 1);
      let valueType: AthenaType | undefined;
      if (type?.name === 'map') valueType = type.children[1];
      else if (type?.name === 'row') {
        const at = type.fields?.indexOf(key.toLowerCase()) ?? -1;
        valueType = at >= 0 ? type.children[at] : type.children[i];
      }
      out[key] = element(value, valueType);
    });
    return out;
  }
  return text;
}

/** Split `a, [b, c], {d=e, f=g}` at the top-level `, ` separators. */
function splitTop(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0 && inner[i + 1] === ' ') {
      out.push(inner.slice(start, i));
      start = i + 2;
    }
  }
  out.push(inner.slice(start));
  return out;
}

const TS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?\s*(.*)$/;

/**
 * `2024-03-01 10:00:00.000` (UTC for a plain timestamp) or with a zone (`UTC`, `Z`,
 * `+02:00`, `Europe/Paris`) to ISO-8601 in UTC, fraction kept to the digits that matter
 * (in groups of three), like the local engine's `2024-03-01T10:00:00Z`.
 */
export function timestampIso(text: string, withZone: boolean): string | undefined {
  const m = TS.exec(text.trim());
  if (!m) return undefined;
  const [, date, hms, frac = '', zoneText] = m;
  const time = hms!.length === 5 ? `${hms}:00` : hms!;
  const zone = withZone ? zoneText!.trim() : '';
  let wallMs = Date.parse(`${date}T${time}Z`);
  if (Number.isNaN(wallMs)) return undefined;
  let offsetMs = 0;
  if (zone === '' || zone === 'UTC' || zone === 'Z' || zone === 'Etc/UTC' || zone === 'GMT') offsetMs = 0;
  else if (/^[+-]\d{2}:?\d{2}$/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/[+:-]/g, '');
    offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  } else {
    const off = zoneOffsetMs(zone, wallMs);
    if (off === undefined) return undefined;
    offsetMs = zoneOffsetMs(zone, wallMs - off) ?? off;
  }
  wallMs -= offsetMs;
  const iso = new Date(wallMs).toISOString().slice(0, 19);
  let f = frac.replace(/0+$/, '');
  if (f !== '') f = `.${f.padEnd(Math.ceil(f.length / 3) * 3, '0')}`;
  return `${iso}${f}Z`;
}

/** Offset of a named time zone from UTC at instant `utcMs`, or undefined for an unknown zone. */
function zoneOffsetMs(zone: string, utcMs: number): number | undefined {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(utcMs));
  } catch {
    return undefined;
  }
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}
