import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  type Row as AthenaRow,
} from '@aws-sdk/client-athena';
import { loadPack, type Query } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { AthenaEngine } from '../src/engines/athena/engine.js';
import { writeRecordsLake } from '../src/lake/records-lake.js';
import { windowDays } from '../src/layout/days.js';
import type { JsonValue, QueryResult, Row } from '../src/engines/engine.js';
import { REAL_LAKE, assertExpect, tempDir } from './support/harness.js';
import { caseFlowFormat, casesOf } from './support/test-cases.js';

/**
 * Every query of the pack, rendered and run through the Athena engine against a mocked
 * Athena that answers the way Athena does: the query's true answer (computed on the
 * local engine from the query's own test case) in Athena's wire form: every value as
 * text, types in the result metadata, the header row on page 1, small pages. The rows
 * the Athena engine hands back must be the same rows.
 */
const athena = mockClient(AthenaClient);
const client = new AthenaClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

/** Athena's type name for a local engine type. */
function athenaType(duck: string): string {
  const t = duck.toLowerCase();
  if (t.endsWith('[]')) return 'array';
  if (t.startsWith('struct')) return 'row';
  if (t.startsWith('map')) return 'map';
  if (t.startsWith('decimal')) return 'decimal';
  if (t === 'hugeint' || t === 'ubigint' || t === 'uinteger') return 'bigint';
  if (t === 'float') return 'real';
  if (t === 'timestamp with time zone') return 'timestamp with time zone';
  if (t.startsWith('timestamp')) return 'timestamp';
  return t;
}

/** ISO-8601 as Athena prints a timestamp: `2024-03-01 10:00:00.000`. */
function athenaTimestamp(iso: string): string {
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Trino's display form of a nested value: `[a, b]`, `{k=v}`, strings unquoted. */
function display(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(display).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}=${display(x)}`)
      .join(', ')}}`;
  return String(v);
}

function encode(v: JsonValue, type: string): string | undefined {
  if (v === null) return undefined;
  if (type === 'timestamp') return athenaTimestamp(String(v));
  if (type === 'timestamp with time zone') return `${athenaTimestamp(String(v))} UTC`;
  if (type === 'json') return JSON.stringify(v);
  return display(v);
}

/** What the Athena engine can give back for a nested value: its leaves as text. */
function leavesAsText(v: JsonValue): JsonValue {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(leavesAsText);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, leavesAsText(x)]));
  return String(v);
}

function expectedRows(local: QueryResult): Row[] {
  return local.rows.map((r) =>
    Object.fromEntries(
      local.columns.map((c) => {
        const t = athenaType(c.type);
        const v = r[c.name] ?? null;
        return [c.name, t === 'array' || t === 'row' || t === 'map' ? leavesAsText(v) : v];
      }),
    ),
  );
}

/** Mock Athena answering with `local` in Athena's wire form, `pageSize` rows a page. */
function answerWith(local: QueryResult, pageSize: number): void {
  const types = local.columns.map((c) => athenaType(c.type));
  const ColumnInfo = local.columns.map((c, i) => ({ Name: c.name, Label: c.name, Type: types[i]!, Nullable: 'UNKNOWN' as const }));
  const rows: AthenaRow[] = [{ Data: local.columns.map((c) => ({ VarCharValue: c.name })) }];
  for (const r of local.rows)
    rows.push({
      Data: local.columns.map((c, i) => {
        const s = encode(r[c.name] ?? null, types[i]!);
        return s === undefined ? {} : { VarCharValue: s };
      }),
    });
  const pages: AthenaRow[][] = [];
  for (let i = 0; i === 0 || i < rows.length; i += pageSize) pages.push(rows.slice(i, i + pageSize));
  pages.forEach((page, i) => {
    athena.on(GetQueryResultsCommand, { NextToken: i === 0 ? undefined : `page-${i}` }).resolves({
      ResultSet: { ResultSetMetadata: { ColumnInfo }, Rows: page },
      NextToken: i + 1 < pages.length ? `page-${i + 1}` : undefined,
    });
  });
}

function caseFor(query: Query) {
  const cases = casesOf(query);
  return cases.find((t) => t.kind === 'positive' && t.lake !== 'real') ?? cases.find((t) => t.lake !== 'real') ?? cases[0]!;
}

const pack = loadPack();

describe.each(pack.queries.map((q) => [q.id, q] as const))('query %s on Athena (mocked)', (_id, query) => {
  beforeEach(() => {
    athena.reset();
    athena.on(GetWorkGroupCommand).resolves({});
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: `exec-${query.id}` });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: `exec-${query.id}`,
        StatementType: 'DML',
        Status: { State: 'SUCCEEDED' },
        Statistics: { DataScannedInBytes: 123_456_789 },
      },
    });
  });

  it('renders, runs and returns the right rows', async () => {
    const tc = caseFor(query);
    const prepared = prepareQuery(query, tc.params as Record<string, unknown>, { flowFormat: caseFlowFormat(tc) });
    let lake = REAL_LAKE;
    if (tc.lake !== 'real') {
      const t = tempDir();
      cleanups.push(t.cleanup);
      writeRecordsLake(t.dir, tc.records ?? {});
      lake = t.dir;
    }
    const local = new DuckdbEngine({ lake, threads: 1 });
    let truth: QueryResult;
    try {
      truth = await local.run(prepared.sql, { window: prepared.window, tables: query.tables });
    } finally {
      await local.close();
    }
    answerWith(truth, 2);

    const engine = new AthenaEngine({
      client,
      database: 'security_logs',
      sleep: async () => undefined,
      requestToken: () => 'x'.repeat(32),
    });
    const result = await engine.run(prepared.sql, { window: prepared.window, tables: query.tables });

    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      QueryString: prepared.sql,
      QueryExecutionContext: { Database: 'security_logs' },
    });
    // Every table is read through its partition predicate: Athena prunes to the window's days.
    const { first, last } = windowDays(prepared.window);
    expect(prepared.sql).toContain(`BETWEEN '${first}' AND '${last}'`);
    expect(result.columns.map((c) => c.name)).toEqual(query.columns);
    expect(result.rows).toEqual(expectedRows(truth));
    assertExpect(result.rows, tc.expect, `${query.id} on Athena`);
    expect(result.stats).toMatchObject({
      engine: 'athena',
      rows: truth.rows.length,
      dataScannedBytes: 123_456_789,
      queryExecutionId: `exec-${query.id}`,
    });
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, Math.max(1, Math.ceil((truth.rows.length + 1) / 2)));
  });
});
