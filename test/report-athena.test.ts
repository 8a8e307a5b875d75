/** A report on the Athena engine (AWS SDK mocked): the manifest records where it ran, each execution id and the data scanned. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { cli } from './support/cli.js';
import { tempDir } from './support/harness.js';
import { FIXTURE_PERIOD, writeFixtureReport } from './report-fixture.js';
import type { Manifest } from '../src/reports/bundle.js';
import { loadPack } from '../src/pack/load.js';

const athena = mockClient(AthenaClient);
const pack = loadPack();

/** Each query gets its own execution id; results carry the columns of the query that was started. */
const started = new Map<string, string>();
const idFor = () => `0000000${started.size + 1}-aaaa-bbbb-cccc-dddddddddddd`;

describe('casebook report --engine athena', () => {
  const tmp = tempDir('casebook-report-athena-');
  afterAll(() => tmp.cleanup());

  beforeEach(() => {
    started.clear();
    athena.reset();
    athena.on(GetWorkGroupCommand).resolves({});
    athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => {
      const id = idFor();
      started.set(id, input.QueryString);
      return { QueryExecutionId: id };
    });
    athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => {
      const id = input.QueryExecutionId;
      if (started.get(id)!.includes('FROM vpc_flow_logs')) {
        return {
          QueryExecution: {
            QueryExecutionId: id,
            Status: {
              State: 'FAILED',
              AthenaError: {
                ErrorType: 1110,
                ErrorMessage: "TABLE_NOT_FOUND: line 9:6: Table 'awsdatacatalog.security_logs.vpc_flow_logs' does not exist",
              },
            },
          },
        };
      }
      return {
        QueryExecution: {
          QueryExecutionId: id,
          StatementType: 'DML',
          Status: { State: 'SUCCEEDED' },
          Statistics: { DataScannedInBytes: 1_500_000_000 },
        },
      };
    });
    athena.on(GetQueryResultsCommand).callsFake((input: { QueryExecutionId: string }) => {
      const sql = started.get(input.QueryExecutionId)!;
      const q = sql.includes('denied_calls') ? pack.byId.get('access-denied')! : pack.byId.get('trail-tampering')!;
      const ColumnInfo = q.columns.map((Name) => ({ Name, Label: Name, Type: /calls|actions/.test(Name) ? 'bigint' : 'varchar' }));
      const row = q.columns.map((c) => ({ VarCharValue: /calls|actions/.test(c) ? '3' : `${c}-value` }));
      return {
        ResultSet: { ResultSetMetadata: { ColumnInfo }, Rows: [{ Data: q.columns.map((c) => ({ VarCharValue: c })) }, { Data: row }] },
      };
    });
  });

  it('records the database, workgroup, each execution id and the bytes scanned; a FAILED query is a failed section', async () => {
    const report = writeFixtureReport(join(tmp.dir, 'defs'));
    const out = join(tmp.dir, 'bundle');
    const r = await cli([
      'report',
      report,
      '--period',
      FIXTURE_PERIOD,
      '--out',
      out,
      '--engine',
      'athena',
      '--database',
      'security_logs',
      '--workgroup',
      'analysts',
      '--region',
      'us-east-1',
      '--output-location',
      's3://results/casebook',
      '--quiet',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 of 3 sections failed (top-talkers)');
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.engine).toEqual({
      name: 'athena',
      database: 'security_logs',
      workgroup: 'analysts',
      region: 'us-east-1',
      outputLocation: 's3://results/casebook/',
    });
    const [s1, s2, s3] = m.sections;
    expect(s1).toMatchObject({ status: 'ok', rowCount: 1, engine: 'athena', dataScannedBytes: 1_500_000_000, filesRead: null });
    expect(s1!.queryExecutionId).toMatch(/^00000001-/);
    expect(s1!.costUsd).toBeCloseTo(0.0075, 6);
    expect(s2!.queryExecutionId).toMatch(/^00000002-/);
    expect(s3).toMatchObject({ status: 'failed', rowCount: null });
    expect(s3!.error).toContain('TABLE_NOT_FOUND');
    expect(s3!.error).toContain('00000003-');
    // The SQL in the manifest is exactly what Athena was sent.
    const sent = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString);
    expect(m.sections.map((s) => s.sql)).toEqual(sent);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('Amazon Athena, database security_logs, workgroup analysts, region us-east-1');
    expect(html).toContain(`execution ${s1!.queryExecutionId}`);
    expect(html).toContain('1.5 GB scanned');
  });
});
