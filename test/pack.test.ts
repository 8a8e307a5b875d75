import { afterAll, describe, expect, it } from 'vitest';
import { loadPack, type Query } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { writeRecordsLake } from '../src/lake/records-lake.js';
import { REAL_LAKE, assertCase, tempDir } from './support/harness.js';
import { caseFlowFormat, casesOf, type TestCase } from './support/test-cases.js';
import type { QueryResult } from '../src/engines/engine.js';

const pack = loadPack();
const realEngine = new DuckdbEngine({ lake: REAL_LAKE, threads: 2 });
const cleanups: (() => void)[] = [];
afterAll(async () => {
  await realEngine.close();
  for (const c of cleanups) c();
});

/** Run a test case: on the shared real lake, or on a temporary lake of its records. */
async function runCase(query: Query, tc: TestCase): Promise<QueryResult> {
  const prepared = prepareQuery(query, tc.params as Record<string, unknown>, { flowFormat: caseFlowFormat(tc) });
  expect(prepared.sql).toMatch(/\S/);
  let engine = realEngine;
  if (tc.lake !== 'real') {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeRecordsLake(dir, tc.records ?? {});
    engine = new DuckdbEngine({ lake: dir, threads: 1 });
  }
  try {
    return await engine.run(prepared.sql, { window: prepared.window, tables: query.tables });
  } finally {
    if (engine !== realEngine) await engine.close();
  }
}

/** A query's cases, or the error that loading them raised (reported by its own test). */
function tryCases(query: Query): { cases: TestCase[]; error?: Error } {
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
    expect(new Set(query.columns).size, 'the column list names no duplicates').toBe(query.columns.length);
    const tc = cases.find((c) => c.lake === 'real') ?? cases[0];
    expect(tc, `${query.id} has a test case to run`).toBeDefined();
    const result = await runCase(query, tc!);
    expect(result.columns.map((c) => c.name)).toEqual(query.columns);
  });

  it.each(cases.map((t) => [t.name, t] as const))('%s', async (name, tc) => {
    const result = await runCase(query, tc);
    expect(result.columns.map((c) => c.name)).toEqual(query.columns);
    assertCase(result.rows, tc, `${query.id} / ${name}`);
  });
});
