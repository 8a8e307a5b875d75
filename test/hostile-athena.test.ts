/** A misbehaving Athena endpoint cannot keep casebook paging forever. */
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
import { MAX_EMPTY_PAGES, PageGuard } from '../src/engines/athena/page-guard.js';
import { columnsNote } from '../src/engines/athena/result-audit.js';

const athena = mockClient(AthenaClient);
const client = new AthenaClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const ID = '11111111-2222-3333-4444-555555555555';
const metadata = { ColumnInfo: [{ Name: 'name', Label: 'name', Type: 'varchar' }] };
const cells = (v: string) => ({ Data: [{ VarCharValue: v }] });

function engine() {
  return new AthenaEngine({
    client,
    database: 'security_logs',
    workgroup: 'analysts',
    outputLocation: 's3://results-bucket/casebook/',
    requestToken: () => 'casebook-test-token-0000000000000000',
    sleep: async () => undefined,
    random: () => 0.5,
  });
}

describe('Athena result paging against a hostile endpoint', () => {
  beforeEach(() => {
    athena.reset();
    athena.on(GetWorkGroupCommand).resolves({
      WorkGroup: { Name: 'analysts', Configuration: { EngineVersion: { EffectiveEngineVersion: 'Athena engine version 3' } } },
    });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: ID,
        StatementType: 'DML',
        Status: { State: 'SUCCEEDED' },
        Statistics: { DataScannedInBytes: 10 },
      },
    });
  });

  it('stops on a NextToken it has seen before, after one repeat', async () => {
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: ID, NextToken: undefined })
      .resolves({
        ResultSet: { ResultSetMetadata: metadata, Rows: [cells('name'), cells('a')] },
        NextToken: 'tok-A',
      } as GetQueryResultsOutput)
      .on(GetQueryResultsCommand, { QueryExecutionId: ID, NextToken: 'tok-A' })
      .resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [cells('b')] }, NextToken: 'tok-B' } as GetQueryResultsOutput)
      .on(GetQueryResultsCommand, { QueryExecutionId: ID, NextToken: 'tok-B' })
      .resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [cells('c')] }, NextToken: 'tok-A' } as GetQueryResultsOutput);
    await expect(engine().run('SELECT 1')).rejects.toThrow(
      `Athena returned a NextToken it had returned before while paging the results of query ${ID} (page 3); stopped reading to avoid a loop`,
    );
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 3);
  });

  it('stops after a run of empty pages with ever-new tokens', async () => {
    let n = 0;
    athena
      .on(GetQueryResultsCommand)
      .callsFake(() => ({ ResultSet: { ResultSetMetadata: metadata, Rows: n === 0 ? [cells('name')] : [] }, NextToken: `tok-${n++}` }));
    await expect(engine().run('SELECT 1')).rejects.toThrow(
      `Athena returned ${MAX_EMPTY_PAGES} result pages in a row without rows for query ${ID}; stopped reading`,
    );
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, MAX_EMPTY_PAGES + 1);
  });

  it('caps the number of pages', () => {
    const guard = new PageGuard('q', { maxPages: 3, maxEmptyPages: 100 });
    guard.next(1, 'a');
    guard.next(1, 'b');
    expect(() => guard.next(1, 'c')).toThrow(
      'the results of Athena query q run past 3 pages; stopped reading (add a LIMIT, or read the result file in S3)',
    );
  });
});

describe('odd Athena results are reported, not accepted silently', () => {
  beforeEach(() => {
    athena.reset();
    athena.on(GetWorkGroupCommand).resolves({
      WorkGroup: { Name: 'analysts', Configuration: { EngineVersion: { EffectiveEngineVersion: 'Athena engine version 3' } } },
    });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: ID,
        StatementType: 'DML',
        Status: { State: 'SUCCEEDED' },
        Statistics: { DataScannedInBytes: 10 },
      },
    });
  });

  it('notes a column type it does not know and timestamps it cannot read, keeping the text', async () => {
    const meta = {
      ColumnInfo: [
        { Name: 'ts', Label: 'ts', Type: 'timestamp' },
        { Name: 'geo', Label: 'geo', Type: 'geometry' },
      ],
    };
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: meta,
        Rows: [
          { Data: [{ VarCharValue: 'ts' }, { VarCharValue: 'geo' }] },
          { Data: [{ VarCharValue: 'not a time\x1b[2J' }, { VarCharValue: 'POINT (1 2)' }] },
          { Data: [{ VarCharValue: '2024-03-01 10:00:00.000' }, { VarCharValue: 'POINT (3 4)' }] },
        ],
      },
    } as GetQueryResultsOutput);
    const r = await engine().run('SELECT 1');
    expect(r.rows).toEqual([
      { ts: 'not a time\x1b[2J', geo: 'POINT (1 2)' },
      { ts: '2024-03-01T10:00:00Z', geo: 'POINT (3 4)' },
    ]);
    expect(r.stats.notes).toContain('column type casebook does not know, passed on as text: geo (geometry)');
    expect(r.stats.notes).toContain('1 value of timestamp column ts could not be read as a time, passed on as text');
  });

  it('notes columns other than the query declares', () => {
    expect(columnsNote(['a', 'b'], [{ name: 'a' }, { name: 'b' }])).toBeUndefined();
    expect(columnsNote(['a', 'b'], [{ name: 'A' }, { name: 'c' }])).toBe(
      "the result's columns differ from the ones the query declares (unexpected c; missing b)",
    );
  });
});
