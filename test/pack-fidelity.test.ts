import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { loadPack, type Query } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { checkAthenaSql } from './support/athena-fidelity/fidelity.js';
import { allFieldsFlowFormat } from '../src/pack/table-columns.js';
import type { ParamSpec } from '../src/params/types.js';

const pack = loadPack();
const NOW = new Date('2024-08-20T00:00:00Z');

/** A value of a parameter's type: the example, or the smallest or largest the type allows. */
function valueFor(spec: ParamSpec, extreme: 'example' | 'min' | 'max'): unknown {
  const base = spec.type === 'list' ? spec.of! : spec.type;
  const one = (): unknown => {
    if (extreme === 'example' && spec.example !== undefined) return spec.example;
    switch (base) {
      case 'string':
        return extreme === 'max' ? `${"o'x%_\\".repeat(100)}` : 'x';
      case 'integer':
        return extreme === 'max' ? (spec.max ?? 1_000_000_000) : (spec.min ?? 0);
      case 'number':
        return extreme === 'max' ? (spec.max ?? 1e9) : (spec.min ?? 0);
      case 'port':
        return extreme === 'max' ? 65535 : 0;
      case 'ip':
        return extreme === 'max' ? '2001:db8::ffff' : '10.0.0.1';
      case 'cidr':
        return extreme === 'max' ? '2001:db8::/32' : '0.0.0.0/0';
      case 'arn':
        return 'arn:aws:iam::111122223333:role/x';
      case 'account_id':
        return '111122223333';
      case 'region':
        return 'eu-west-1';
      case 'timestamp':
        return extreme === 'max' ? '2024-08-19T23:59:59Z' : '2023-01-01';
      case 'duration':
        return extreme === 'max' ? '365d' : '1s';
      case 'enum':
        return extreme === 'max' ? spec.values![spec.values!.length - 1] : spec.values![0];
      case 'boolean':
        return extreme === 'max';
    }
    return undefined;
  };
  const v = one();
  if (spec.type === 'list') {
    if (Array.isArray(v)) return v;
    return extreme === 'max'
      ? Array.from({ length: 50 }, (_, i) =>
          base === 'port' ? i + 1 : base === 'ip' ? `10.0.0.${i + 1}` : base === 'cidr' ? `10.${i}.0.0/16` : v,
        )
      : [v];
  }
  return v;
}

function paramsFor(q: Query, extreme: 'example' | 'min' | 'max'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(q.params)) {
    if (extreme === 'example' && !spec.required) continue; // defaults
    out[name] = valueFor(spec, extreme);
  }
  if (extreme === 'min') Object.assign(out, { since: '2024-08-18T00:00:00Z', until: '2024-08-18T00:01:00Z' });
  if (extreme === 'max') Object.assign(out, { since: '2023-08-20', until: '2024-08-20' });
  return out;
}

describe.each(pack.queries.map((q) => [q.id, q] as const))('%s', (_id, q) => {
  it('id, file names and title agree and are unique', () => {
    expect(basename(q.metaFile, '.yaml')).toBe(q.id);
    expect(basename(q.sqlFile, '.sql')).toBe(q.id);
    expect(pack.queries.filter((o) => o.title.toLowerCase() === q.title.toLowerCase())).toHaveLength(1);
    expect(q.title).toMatch(/^[A-Z0-9]/);
    for (const [name, spec] of Object.entries(q.params)) {
      if (spec.required) expect(spec.example, `required parameter ${name} needs an example`).toBeDefined();
    }
  });
  it.each(['example', 'min', 'max'] as const)('renders Athena v3 SQL with %s parameters', (extreme) => {
    // Every field: each query renders all of its SQL for the grammar to check.
    const prepared = prepareQuery(q, paramsFor(q, extreme), { now: NOW, flowFormat: allFieldsFlowFormat() });
    const report = checkAthenaSql(prepared.sql);
    expect(report.syntaxErrors, prepared.sql).toEqual([]);
    expect(report.unknownFunctions, prepared.sql).toEqual([]);
  });
});
