import { afterAll, describe, expect, it } from 'vitest';
import { loadPack } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { writeRecordsLake } from '../src/lake/records-lake.js';
import { REAL_LAKE, assertExpect, tempDir } from './support/harness.js';
import { casesOf, type TestCase } from './support/test-cases.js';
import { allFieldsFlowFormat } from '../src/pack/table-columns.js';
import { defaultFlowFormat, parseFlowFormat, type FlowFormat } from '../src/glue/flow-format.js';

/** The format a case's SQL is rendered for: every field unless the case names one. */
function caseFlowFormat(tc: TestCase): FlowFormat {
  if (tc.flow_format === undefined) return allFieldsFlowFormat();
  if (tc.flow_format === 'default') return defaultFlowFormat();
  return parseFlowFormat(tc.flow_format, `case "${tc.name}": flow_format`);
}

const pack = loadPack();
const realEngine = new DuckdbEngine({ lake: REAL_LAKE, threads: 2 });
const cleanups: (() => void)[] = [];
afterAll(async () => {
  await realEngine.close();
  cleanups.forEach((c) => c());
});

/** A query's cases, or the error that loading them raised (reported by its own test). */
function tryCases(query: (typeof pack.queries)[number]): { cases: TestCase[]; error?: Error } {
  try {
    return { cases: casesOf(query) };
  } catch (err) {
    return { cases: [], error: err as Error };
  }
}

describe.each(pack.queries.map((q) => [q.id, q] as const))('query %s', (_id, query) => {
  const { cases, error } = tryCases(query);

  it('has a test file with positive and negative cases whose records are fixtures', () => {
    if (error) throw error;
    const kinds = new Set(cases.map((t) => t.kind));
    expect(kinds.has('positive') && kinds.has('negative')).toBe(true);
  });

  it('returns the columns its metadata declares', async () => {
    const t = cases.find((c) => c.lake === 'real') ?? cases[0]!;
    const prepared = prepareQuery(query, t.params as Record<string, unknown>, { flowFormat: caseFlowFormat(t) });
    expect(prepared.sql).toMatch(/\S/);
    // The column list is checked on every run below; here, that it names no duplicates.
    expect(new Set(query.columns).size).toBe(query.columns.length);
  });

  it.each(cases.map((t) => [t.name, t] as const))('%s', async (name, tc) => {
    const prepared = prepareQuery(query, tc.params as Record<string, unknown>, { flowFormat: caseFlowFormat(tc) });
    let engine = realEngine;
    if (tc.lake !== 'real') {
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      writeRecordsLake(dir, tc.records ?? {});
      engine = new DuckdbEngine({ lake: dir, threads: 1 });
    }
    try {
      const result = await engine.run(prepared.sql, { window: prepared.window, tables: query.tables });
      expect(result.columns.map((c) => c.name)).toEqual(query.columns);
      assertExpect(result.rows, tc.expect, `${query.id} / ${name}`);
    } finally {
      if (engine !== realEngine) await engine.close();
    }
  });
});
