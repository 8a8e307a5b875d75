import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  type GetQueryResultsOutput,
} from '@aws-sdk/client-athena';
import { AthenaEngine } from '../src/engines/athena/engine.js';
import { compact, compactDays, compactStatements, ctasSql, insertSql, type CompactOptions } from '../src/store/compact.js';
import { checkAthenaSql } from './support/athena-fidelity/fidelity.js';
import { getTable } from '../src/tables/model.js';
import { cli } from './support/cli.js';

const athena = mockClient(AthenaClient);
const client = new AthenaClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });

const OPTIONS: CompactOptions = {
  table: 'cloudtrail',
  sourceDatabase: 'casebook',
  targetDatabase: 'casebook_parquet',
  location: 's3://log-archive/parquet/',
  days: ['2024/03/01', '2024/03/02', '2024/03/03'],
};

/** A fake Athena: remembers each statement; answers the existence checks from `state`. */
function fakeAthena(state: { exists: boolean; held: Set<string> }): string[] {
  const sent: string[] = [];
  athena
    .on(GetWorkGroupCommand)
    .resolves({ WorkGroup: { Name: 'primary', Configuration: { EngineVersion: { EffectiveEngineVersion: 'Athena engine version 3' } } } });
  athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => {
    sent.push(input.QueryString);
    return { QueryExecutionId: `q-${sent.length}` };
  });
  athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => {
    const sql = sent[Number(input.QueryExecutionId.slice(2)) - 1]!;
    const write = /^(CREATE TABLE|INSERT INTO)/.test(sql);
    if (write) state.exists = true;
    return {
      QueryExecution: {
        QueryExecutionId: input.QueryExecutionId,
        StatementType: 'DML',
        Status: { State: 'SUCCEEDED' },
        Statistics: { DataScannedInBytes: write ? 5_000_000 : 0, EngineExecutionTimeInMillis: 100 },
      },
    };
  });
  athena.on(GetQueryResultsCommand).callsFake((input: { QueryExecutionId: string }): GetQueryResultsOutput => {
    const sql = sent[Number(input.QueryExecutionId.slice(2)) - 1]!;
    let n = 0;
    if (sql.includes('information_schema.tables')) n = state.exists ? 1 : 0;
    else if (sql.startsWith('SELECT count(*) AS n FROM')) n = [...state.held].some((d) => sql.includes(`day = '${d}'`)) ? 42 : 0;
    const meta = { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] };
    return { ResultSet: { ResultSetMetadata: meta, Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: String(n) }] }] } };
  });
  return sent;
}

const engine = () =>
  new AthenaEngine({
    client,
    database: 'casebook',
    outputLocation: 's3://results/',
    requestToken: () => `casebook-test-token-${'0'.repeat(20)}`,
    sleep: async () => undefined,
    random: () => 0.5,
  });

describe('casebook compact (Athena)', () => {
  beforeEach(() => athena.reset());

  it("renders a CTAS and INSERT INTO that parse under the Trino grammar and keep the table's shape", () => {
    for (const table of ['cloudtrail', 'vpc_flow_logs']) {
      const o = { ...OPTIONS, table };
      for (const sql of [ctasSql(o, '2024/03/01'), insertSql(o, '2024/03/01', '111122223333')]) {
        const report = checkAthenaSql(sql);
        expect(report.syntaxErrors, sql).toEqual([]);
        expect(report.ok).toBe(true);
      }
      const ctas = ctasSql(o, '2024/03/01');
      expect(ctas).toContain(`CREATE TABLE "casebook_parquet"."${table}"`);
      expect(ctas).toContain("format = 'PARQUET'");
      expect(ctas).toContain("write_compression = 'ZSTD'");
      expect(ctas).toContain(`external_location = 's3://log-archive/parquet/${table}/'`);
      expect(ctas).toContain("partitioned_by = ARRAY['account', 'region', 'day']");
      expect(ctas).toContain(`FROM "casebook"."${table}"\nWHERE day = '2024/03/01'`);
      // Every column, partitions last and in order (Athena's rule for partitioned CTAS).
      const t = getTable(table);
      const select = /SELECT (.*)\n/
        .exec(ctas)![1]!
        .split(', ')
        .map((c) => c.replace(/"/g, ''));
      expect(select).toEqual([...t.columns.map((c) => c.name), 'account', 'region', 'day']);
    }
    expect(insertSql(OPTIONS, '2024/03/01', '111122223333')).toMatch(/WHERE day = '2024\/03\/01' AND account = '111122223333'$/);
  });

  it('creates the table from the first day and inserts the others, one statement a day', async () => {
    const sent = fakeAthena({ exists: false, held: new Set() });
    const progress: string[] = [];
    const s = await compact(engine(), OPTIONS, (m) => progress.push(m));
    const writes = sent.filter((q) => /^(CREATE TABLE|INSERT)/.test(q));
    expect(writes.map((q) => q.split('\n')[0])).toEqual([
      'CREATE TABLE "casebook_parquet"."cloudtrail"',
      'INSERT INTO "casebook_parquet"."cloudtrail"',
      'INSERT INTO "casebook_parquet"."cloudtrail"',
    ]);
    expect(writes.map((q) => /WHERE day = '([^']+)'/.exec(q)![1])).toEqual(OPTIONS.days);
    expect(s).toMatchObject({ statements: 3, skipped: [], scannedBytes: 15_000_000 });
    expect(progress.join('\n')).toMatch(/2024\/03\/01: CREATE TABLE AS casebook_parquet.cloudtrail/);
    for (const q of sent) expect(checkAthenaSql(q).ok, q).toBe(true);
  });

  it('skips the days the Parquet table already holds, so a re-run never duplicates rows', async () => {
    const sent = fakeAthena({ exists: true, held: new Set(['2024/03/01', '2024/03/02']) });
    const s = await compact(engine(), OPTIONS);
    const writes = sent.filter((q) => /^(CREATE TABLE|INSERT)/.test(q));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^INSERT INTO[\s\S]*WHERE day = '2024\/03\/03'$/);
    expect(s.skipped.map((d) => d.day)).toEqual(['2024/03/01', '2024/03/02']);
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, { QueryExecutionContext: { Database: 'casebook' } });
  });

  it('splits a day by account when asked (Athena writes at most 100 partitions a statement)', () => {
    const st = compactStatements({ ...OPTIONS, days: ['2024/03/01'], accounts: ['111122223333', '444455556666'] }, false);
    expect(st.map((s) => [s.kind, s.account])).toEqual([
      ['ctas', '111122223333'],
      ['insert', '444455556666'],
    ]);
  });

  it('refuses to write into the source database, and counts the days of a range', async () => {
    await expect(compact(engine(), { ...OPTIONS, targetDatabase: 'casebook' })).rejects.toThrow(/its own database/);
    expect(compactDays(new Date('2024-02-28T00:00:00Z'), new Date('2024-03-02T00:00:00Z'))).toEqual([
      '2024/02/28',
      '2024/02/29',
      '2024/03/01',
    ]);
    expect(compactDays(new Date('2024-03-01T10:00:00Z'), new Date('2024-03-01T11:00:00Z'))).toEqual(['2024/03/01']);
  });

  it('prints the statements with --dry-run, and needs --engine athena to run them', async () => {
    const dry = await cli([
      'compact',
      '--table',
      'vpc_flow_logs',
      '--since',
      '2024-03-01',
      '--until',
      '2024-03-03',
      '--location',
      's3://b/p',
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^CREATE TABLE "casebook_parquet"."vpc_flow_logs"/);
    expect(dry.stdout).toMatch(/INSERT INTO "casebook_parquet"."vpc_flow_logs"[\s\S]*WHERE day = '2024\/03\/02';\n$/);
    const local = await cli(['compact', '--table', 'cloudtrail', '--since', '2024-03-01', '--location', 's3://b/p', '--engine', 'duckdb']);
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/--engine athena/);
  });
});
