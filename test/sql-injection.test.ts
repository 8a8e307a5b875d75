import { afterAll, describe, expect, it } from 'vitest';
import { loadPack } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { checkAthenaSql } from './support/athena-fidelity/fidelity.js';
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { REAL_LAKE } from './support/harness.js';
import { UsageError } from '../src/errors.js';
import { allFieldsFlowFormat } from '../src/pack/table-columns.js';

/** Every field: each query renders its whole SQL, so every parameter reaches it. */
const ALL_FIELDS = { flowFormat: allFieldsFlowFormat() };
import type { ParamSpec } from '../src/params/types.js';

/**
 * A hostile parameter value is either rejected with a clear error or becomes a
 * correctly quoted literal: the rendered SQL stays one statement that Athena's grammar
 * parses, and DuckDB runs it with the value treated as data.
 */
const HOSTILE_TEXT = [
  "x' OR '1'='1",
  "'; DROP TABLE cloudtrail; --",
  "x'); SELECT * FROM cloudtrail; --",
  'a /* comment */ b',
  '-- trailing comment',
  'back\\slash\\',
  '%_%',
  'unicode ʼ ’ ＇ quote-lookalikes and emoji 🙂',
  '{{since}} {{> actor}}',
  '"double" `back`',
  "''''",
];
const REJECTED_TEXT: [string, RegExp][] = [
  ['line\nbreak', /control character/],
  ['nul\u0000byte', /control character/],
  ['tab\there', /control character/],
  ['x'.repeat(2000), /longer than 1024/],
  ['   ', /is empty|is an empty list/],
];

const pack = loadPack();
const engine = new DuckdbEngine({ lake: REAL_LAKE, threads: 1 });
afterAll(() => engine.close());

/** A window of the real lake that holds records of every table the query reads. */
function windowFor(id: string): Record<string, string> {
  const tables = pack.byId.get(id)!.tables;
  if (tables.includes('cloudtrail') && tables.includes('vpc_flow_logs')) return { since: '2021-09-01', until: '2024-08-19' };
  if (tables.includes('vpc_flow_logs')) return { since: '2021-09-02', until: '2021-09-03' };
  return { since: '2024-08-18', until: '2024-08-19' };
}

function stringParams(): [string, string, ParamSpec][] {
  const out: [string, string, ParamSpec][] = [];
  for (const q of pack.queries) {
    for (const [name, spec] of Object.entries(q.params)) {
      const base = spec.type === 'list' ? spec.of : spec.type;
      if (base === 'string') out.push([q.id, name, spec]);
    }
  }
  return out;
}

function requiredExamples(id: string, except: string): Record<string, unknown> {
  const q = pack.byId.get(id)!;
  const out: Record<string, unknown> = windowFor(id);
  for (const [name, spec] of Object.entries(q.params)) {
    if (name !== except && spec.required) out[name] = spec.example;
  }
  return out;
}

/** A harmless value of the same shape as `value`: the same length, its letters and digits kept, every other character a `q`. */
function benignTwin(value: string): string {
  return [...value].map((c) => (/^[A-Za-z0-9]$/.test(c) ? c : 'q')).join('');
}

/** The body of a quoted literal of `text` (quotes doubled), plain or as a LIKE pattern (`\`, `%`, `_` escaped with `\`). */
function literalBodies(text: string): string[] {
  const quoted = (t: string) => t.replace(/'/g, "''");
  return [...new Set([quoted(text), quoted(text.replace(/[\\%_]/g, (c) => `\\${c}`))])];
}

/** For each character of `sql`, whether it sits inside a '...' string literal (comments and quoted names skipped). */
function stringLiteralMask(sql: string): boolean[] {
  const mask: boolean[] = [];
  let state: 'code' | 'string' | 'name' | 'line' | 'block' = 'code';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (state === 'code') {
      if (c === "'") state = 'string';
      else if (c === '"') state = 'name';
      else if (c === '-' && next === '-') state = 'line';
      else if (c === '/' && next === '*') state = 'block';
      mask.push(false);
    } else if (state === 'string') {
      if (c === "'" && next === "'") {
        mask.push(true, true);
        i++;
        continue;
      }
      mask.push(c !== "'");
      if (c === "'") state = 'code';
    } else {
      mask.push(false);
      if ((state === 'name' && c === '"') || (state === 'line' && c === '\n')) state = 'code';
      else if (state === 'block' && c === '*' && next === '/') {
        mask.push(false);
        i++;
        state = 'code';
      }
    }
  }
  return mask;
}

/**
 * Why `hostileSql` is not `benignSql` with each occurrence of the benign value (each
 * inside a string literal) replaced by a correctly quoted literal body of the hostile
 * value (in the same letter case: templates may upper- or lower-case a value); or
 * undefined when it is exactly that.
 */
function substitutionProblem(benignSql: string, benign: string, hostileSql: string, hostile: string): string | undefined {
  const cases: ((t: string) => string)[] = [(t) => t, (t) => t.toLowerCase(), (t) => t.toUpperCase()];
  const needle = benign.toLowerCase();
  const haystack = benignSql.toLowerCase();
  const inString = stringLiteralMask(benignSql);
  const segments: string[] = [];
  const bodies: string[][] = [];
  let from = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, from)) {
    if (!inString[at]) return `the value appears outside a string literal at offset ${at}`;
    const seen = benignSql.slice(at, at + needle.length);
    segments.push(benignSql.slice(from, at));
    bodies.push(cases.filter((f) => f(benign) === seen).flatMap((f) => literalBodies(f(hostile))));
    from = at + needle.length;
  }
  segments.push(benignSql.slice(from));
  if (bodies.length === 0) return 'the benign value does not appear in its rendered SQL';
  const matchFrom = (k: number, pos: number): boolean => {
    if (!hostileSql.startsWith(segments[k]!, pos)) return false;
    const next = pos + segments[k]!.length;
    if (k === bodies.length) return next === hostileSql.length;
    return bodies[k]!.some((b) => hostileSql.startsWith(b, next) && matchFrom(k + 1, next + b.length));
  };
  return matchFrom(0, 0) ? undefined : 'the SQL differs from the benign rendering by more than a quoted literal';
}

describe.each(stringParams())('%s --%s', (id, name) => {
  const query = pack.byId.get(id)!;
  it.each(HOSTILE_TEXT)('quotes %j as a literal that runs as data', async (value) => {
    const benign = benignTwin(value);
    const prepared = prepareQuery(query, { ...requiredExamples(id, name), [name]: value }, ALL_FIELDS);
    const control = prepareQuery(query, { ...requiredExamples(id, name), [name]: benign }, ALL_FIELDS);
    expect(
      substitutionProblem(control.sql, benign, prepared.sql, value),
      `rendered with ${JSON.stringify(benign)} in its place`,
    ).toBeUndefined();
    const report = checkAthenaSql(prepared.sql);
    expect(report.syntaxErrors).toEqual([]);
    const result = await engine.run(prepared.sql, { window: prepared.window, tables: query.tables });
    const expected = await engine.run(control.sql, { window: control.window, tables: query.tables });
    expect(result.columns).toEqual(expected.columns);
    expect(result.rows, `the rows ${JSON.stringify(benign)} returns`).toEqual(expected.rows);
  });
  it.each(REJECTED_TEXT)('rejects %j', (value, why) => {
    expect(() => prepareQuery(query, { ...requiredExamples(id, name), [name]: value }, ALL_FIELDS)).toThrow(why);
  });
});

describe('typed parameters reject anything but their type', () => {
  const typed: [string, unknown, RegExp][] = [];
  for (const q of pack.queries) {
    for (const [name, spec] of Object.entries(q.params)) {
      const base = spec.type === 'list' ? spec.of : spec.type;
      const hostile = '1; DROP TABLE x --';
      if (base === 'integer' || base === 'port') typed.push([q.id, { [name]: hostile }, /is not (an integer|a port number)/]);
      if (base === 'ip') typed.push([q.id, { [name]: "10.0.0.1' OR 1=1" }, /is not an IPv4 or IPv6 address/]);
      if (base === 'cidr') typed.push([q.id, { [name]: '10.0.0.0/8; --' }, /is not a CIDR block|prefix length/]);
      if (base === 'account_id') typed.push([q.id, { [name]: "123456789012'" }, /12-digit/]);
      if (base === 'region') typed.push([q.id, { [name]: "us-east-1'--" }, /region/]);
      if (base === 'arn') typed.push([q.id, { [name]: "arn:aws:iam::1:user/x' OR 1=1" }, /ARN/]);
      if (base === 'enum') typed.push([q.id, { [name]: "x' OR 1=1" }, /is not one of/]);
      if (base === 'timestamp') typed.push([q.id, { [name]: "2024-01-01' OR 1=1" }, /is not a time/]);
      if (base === 'duration') typed.push([q.id, { [name]: '1h; --' }, /is not a duration/]);
      if (base === 'number') typed.push([q.id, { [name]: '1e309' }, /is not a number/]);
    }
  }
  typed.push(['who-deleted', { since: "2024-01-01'; --" }, /is not a time/]);
  it.each(typed)('%s %j', (id, values, why) => {
    const e = (() => {
      try {
        prepareQuery(pack.byId.get(id)!, { ...requiredExamples(id, Object.keys(values as object)[0]!), ...(values as object) }, ALL_FIELDS);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(why);
  });
});
