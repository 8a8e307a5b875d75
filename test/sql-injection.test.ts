import { afterAll, describe, expect, it } from 'vitest';
import { loadPack } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { checkAthenaSql } from './support/athena-fidelity/fidelity.js';
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { REAL_LAKE } from './support/harness.js';
import { UsageError } from '../src/errors.js';
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
  "unicode ʼ ’ ＇ quote-lookalikes and emoji 🙂",
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

describe.each(stringParams())('%s --%s', (id, name) => {
  const query = pack.byId.get(id)!;
  it.each(HOSTILE_TEXT)('quotes %j as a literal that runs as data', async (value) => {
    const prepared = prepareQuery(query, { ...requiredExamples(id, name), [name]: value });
    const quoted = `'${value.replace(/'/g, "''")}'`;
    const escapedForLike = value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/'/g, "''");
    expect(prepared.sql.includes(quoted) || prepared.sql.includes(escapedForLike), 'value appears only as a quoted literal').toBe(true);
    const report = checkAthenaSql(prepared.sql);
    expect(report.syntaxErrors).toEqual([]);
    const result = await engine.run(prepared.sql, { window: prepared.window, tables: query.tables });
    expect(Array.isArray(result.rows)).toBe(true);
  });
  it.each(REJECTED_TEXT)('rejects %j', (value, why) => {
    expect(() => prepareQuery(query, { ...requiredExamples(id, name), [name]: value })).toThrow(why);
  });
});

describe('typed parameters reject anything but their type', () => {
  const typed: [string, unknown, RegExp][] = [];
  for (const q of pack.queries) {
    for (const [name, spec] of Object.entries(q.params)) {
      const base = spec.type === 'list' ? spec.of : spec.type;
      const hostile = "1; DROP TABLE x --";
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
        prepareQuery(pack.byId.get(id)!, { ...requiredExamples(id, Object.keys(values as object)[0]!), ...(values as object) });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(why);
  });
});
