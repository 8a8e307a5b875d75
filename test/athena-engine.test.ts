import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  InvalidRequestException,
  TooManyRequestsException,
  type GetQueryExecutionOutput,
  type GetQueryResultsOutput,
  type QueryExecutionState,
} from '@aws-sdk/client-athena';
import { AthenaEngine, type AthenaEngineOptions } from '../src/engines/athena/engine.js';
import { CasebookError } from '../src/errors.js';
import { CancelledError } from '../src/aws/retry.js';
import { rejectionOf } from './support/harness.js';

const athena = mockClient(AthenaClient);
const client = new AthenaClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const TOKEN = 'casebook-test-token-0000000000000000';
const ID = '11111111-2222-3333-4444-555555555555';

function engine(extra: Partial<AthenaEngineOptions> = {}) {
  const waits: number[] = [];
  const e = new AthenaEngine({
    client,
    database: 'security_logs',
    workgroup: 'analysts',
    outputLocation: 's3://results-bucket/casebook/',
    requestToken: () => TOKEN,
    sleep: async (ms, signal) => {
      waits.push(ms);
      if (signal?.aborted) throw new CancelledError();
    },
    random: () => 0.5,
    ...extra,
  });
  return { engine: e, waits };
}

function execution(state: QueryExecutionState, scanned = 0, extra: Record<string, unknown> = {}): GetQueryExecutionOutput {
  return {
    QueryExecution: {
      QueryExecutionId: ID,
      StatementType: 'DML',
      Status: { State: state, ...((extra.Status as object) ?? {}) },
      Statistics: { DataScannedInBytes: scanned, EngineExecutionTimeInMillis: 1200, ...((extra.Statistics as object) ?? {}) },
    },
  };
}

function awsError(name: string, message: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: name.includes('Throttl') ? 400 : 400 }, ...extra });
}

const COLUMNS = [
  ['n_bigint', 'bigint'],
  ['n_int', 'integer'],
  ['n_tiny', 'tinyint'],
  ['n_small', 'smallint'],
  ['n_double', 'double'],
  ['n_real', 'real'],
  ['n_decimal', 'decimal'],
  ['flag', 'boolean'],
  ['ts', 'timestamp'],
  ['ts_tz', 'timestamp with time zone'],
  ['day', 'date'],
  ['tags', 'array'],
  ['attrs', 'map'],
  ['identity', 'row'],
  ['doc', 'json'],
  ['name', 'varchar'],
] as const;

const metadata = { ColumnInfo: COLUMNS.map(([Name, Type]) => ({ Name, Label: Name, Type, Nullable: 'UNKNOWN' as const })) };
const cells = (values: (string | undefined)[]) => ({ Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) });
const header = cells(COLUMNS.map(([n]) => n));
const row = (i: number) =>
  cells([
    String(9007199254740990 + i),
    String(-i),
    '7',
    '300',
    '1.5',
    '2.5E-3',
    '12.50',
    i % 2 ? 'true' : 'false',
    `2024-03-0${i} 10:00:00.000`,
    `2024-03-0${i} 12:30:00.123 Europe/Paris`,
    `2024-03-0${i}`,
    '[DeleteBucket, StopLogging]',
    '{k1=v1, k2=null}',
    '{type=IAMUser, arn=arn:aws:iam::111122223333:user/mallory}',
    '{"a":[1,2],"b":"x"}',
    `row ${i}`,
  ]);

describe('Athena engine', () => {
  beforeEach(() => {
    athena.reset();
    athena.on(GetWorkGroupCommand).resolves({
      WorkGroup: { Name: 'analysts', Configuration: { EngineVersion: { EffectiveEngineVersion: 'Athena engine version 3' } } },
    });
  });

  it('runs a query over several result pages, converting every column type', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('QUEUED'))
      .resolvesOnce(execution('RUNNING', 500_000_000))
      .resolves(execution('SUCCEEDED', 1_500_000_000));
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: ID, NextToken: undefined })
      .resolves({
        ResultSet: { ResultSetMetadata: metadata, Rows: [header, row(1), row(2)] },
        NextToken: 'page-2',
      } as GetQueryResultsOutput)
      .on(GetQueryResultsCommand, { QueryExecutionId: ID, NextToken: 'page-2' })
      .resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [row(3), row(4)] }, NextToken: 'page-3' })
      .on(GetQueryResultsCommand, { QueryExecutionId: ID, NextToken: 'page-3' })
      .resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [cells(COLUMNS.map(() => undefined))] } });
    const progress: string[] = [];
    const { engine: e, waits } = engine();
    const result = await e.run('SELECT 1', { onProgress: (m) => progress.push(m) });

    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      QueryString: 'SELECT 1',
      ClientRequestToken: TOKEN,
      WorkGroup: 'analysts',
      QueryExecutionContext: { Database: 'security_logs' },
      ResultConfiguration: { OutputLocation: 's3://results-bucket/casebook/' },
    });
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 3);
    expect(athena).toHaveReceivedNthCommandWith(GetQueryResultsCommand, 1, { QueryExecutionId: ID, MaxResults: 1000 });
    expect(athena).toHaveReceivedNthCommandWith(GetQueryResultsCommand, 2, { QueryExecutionId: ID, MaxResults: 1000, NextToken: 'page-2' });
    expect(waits).toEqual([300, 450]);
    expect(progress.map((p) => p.split(',')[0])).toEqual(['athena: QUEUED', 'athena: RUNNING', 'athena: SUCCEEDED']);
    expect(progress[1]).toContain('500 MB scanned');
    expect(progress[1]).toContain(ID);

    expect(result.columns).toEqual(COLUMNS.map(([name, type]) => ({ name, type })));
    expect(result.rows).toHaveLength(5);
    expect(result.rows[0]).toEqual({
      n_bigint: 9007199254740991,
      n_int: -1,
      n_tiny: 7,
      n_small: 300,
      n_double: 1.5,
      n_real: 0.0025,
      n_decimal: 12.5,
      flag: true,
      ts: '2024-03-01T10:00:00Z',
      ts_tz: '2024-03-01T11:30:00.123Z',
      day: '2024-03-01',
      tags: ['DeleteBucket', 'StopLogging'],
      attrs: { k1: 'v1', k2: null },
      identity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory' },
      doc: { a: [1, 2], b: 'x' },
      name: 'row 1',
    });
    // Past 2^53 a bigint stays exact, as a string.
    expect(result.rows[3]!.n_bigint).toBe('9007199254740994');
    expect(result.rows[1]!.flag).toBe(false);
    expect(Object.values(result.rows[4]!).every((v) => v === null)).toBe(true);
    expect(result.stats).toMatchObject({
      engine: 'athena',
      rows: 5,
      dataScannedBytes: 1_500_000_000,
      queryExecutionId: ID,
      costUsd: 0.0075,
    });
  });

  it('bills the 10 MB minimum for a small scan', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', 1234));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [header] } });
    const { engine: e } = engine({ pricePerTb: 6 });
    const result = await e.run('SELECT 1');
    expect(result.rows).toEqual([]);
    expect(result.stats.costUsd).toBeCloseTo((10e6 / 1e12) * 6, 12);
  });

  it('keeps a first row that is not the header (not a SELECT)', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { ...execution('SUCCEEDED').QueryExecution, StatementType: 'UTILITY' } });
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'tab_name', Type: 'varchar' }] },
        Rows: [cells(['tab_name']), cells(['cloudtrail'])],
      },
    });
    const result = await engine().engine.run('SHOW TABLES');
    expect(result.rows).toEqual([{ tab_name: 'tab_name' }, { tab_name: 'cloudtrail' }]);
  });

  it('streams pages as they are read', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', 10));
    athena
      .on(GetQueryResultsCommand, { NextToken: undefined })
      .resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [header, row(1)] }, NextToken: 'p2' })
      .on(GetQueryResultsCommand, { NextToken: 'p2' })
      .resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [row(2)] } });
    const stream = await engine().engine.stream('SELECT 1');
    expect(stream.columns.map((c) => c.name)).toContain('ts_tz');
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 1);
    const seen: number[] = [];
    for await (const page of stream.pages()) {
      seen.push(page.length);
      if (seen.length === 1) expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 1);
    }
    expect(seen).toEqual([1, 1]);
    expect(stream.stats().rows).toBe(2);
  });

  it("reports a FAILED query with Athena's reason, the execution id and the fix", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(
      execution('FAILED', 0, {
        Status: {
          StateChangeReason: "TABLE_NOT_FOUND: line 3:6: Table 'awsdatacatalog.security_logs.cloudtrail' does not exist",
          AthenaError: {
            ErrorCategory: 2,
            ErrorType: 1110,
            Retryable: false,
            ErrorMessage: "TABLE_NOT_FOUND: line 3:6: Table 'awsdatacatalog.security_logs.cloudtrail' does not exist\nmore detail",
          },
        },
      }),
    );
    const err = await engine()
      .engine.run('SELECT * FROM cloudtrail')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CasebookError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg).toContain(
      `Athena query ${ID} FAILED: TABLE_NOT_FOUND: line 3:6: Table 'awsdatacatalog.security_logs.cloudtrail' does not exist`,
    );
    expect(msg).toContain('casebook setup');
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it.each([
    [1500, 'Access Denied (Service: Amazon S3; Status Code: 403)', /s3:GetObject\/ListBucket/],
    [1006, "SYNTAX_ERROR: line 1:8: mismatched input 'FORM'", /rejected the SQL/],
    [undefined, "SCHEMA_NOT_FOUND: line 1:15: Schema 'nope' does not exist", /--database/],
  ])('names the fix for ErrorType %s', async (type, reason, fix) => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena
      .on(GetQueryExecutionCommand)
      .resolves(execution('FAILED', 0, { Status: { StateChangeReason: reason, AthenaError: { ErrorType: type, ErrorMessage: reason } } }));
    await expect(engine().engine.run('SELECT 1')).rejects.toThrow(fix);
  });

  it('reports a query CANCELLED outside casebook', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('RUNNING', 5e6))
      .resolves(execution('CANCELLED', 8e6, { Status: { StateChangeReason: 'Query cancelled by user' } }));
    await expect(engine().engine.run('SELECT 1')).rejects.toThrow(
      `Athena query ${ID} was CANCELLED: Query cancelled by user; it scanned 8.0 MB`,
    );
    expect(athena).not.toHaveReceivedCommand(StopQueryExecutionCommand);
  });

  it("says when the workgroup's BytesScannedCutoffPerQuery cancelled the query", async () => {
    athena
      .on(GetWorkGroupCommand)
      .resolves({ WorkGroup: { Name: 'analysts', Configuration: { BytesScannedCutoffPerQuery: 10_000_000_000 } } });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena
      .on(GetQueryExecutionCommand)
      .resolves(execution('CANCELLED', 10_000_000_001, { Status: { StateChangeReason: 'Query exhausted the data scan limit' } }));
    const err = await rejectionOf<Error>(engine().engine.run('SELECT 1'));
    expect(err.message).toContain('workgroup analysts stops queries past 10.0 GB (BytesScannedCutoffPerQuery)');
  });

  it('mentions the workgroup cutoff after a successful run', async () => {
    athena
      .on(GetWorkGroupCommand)
      .resolves({ WorkGroup: { Name: 'analysts', Configuration: { BytesScannedCutoffPerQuery: 50_000_000_000 } } });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', 1e9));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [header] } });
    const { stats } = await engine().engine.run('SELECT 1');
    expect(stats.notes).toContain('workgroup analysts stops queries past 50.0 GB');
  });

  it('retries throttling with jittered backoff, with the same request token, then succeeds', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves(execution('SUCCEEDED', 1e6));
    athena
      .on(GetQueryResultsCommand)
      .rejectsOnce(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))
      .resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [header, row(1)] } });
    const { engine: e, waits } = engine({ retry: { baseMs: 100, maxMs: 1000 } });
    const result = await e.run('SELECT 1');
    expect(result.rows).toHaveLength(1);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 3);
    for (let i = 1; i <= 3; i++) expect(athena).toHaveReceivedNthCommandWith(StartQueryExecutionCommand, i, { ClientRequestToken: TOKEN });
    // Full jitter with random() = 0.5: half of 100, 200; then 100 for each later first retry.
    expect(waits).toEqual([50, 100, 50, 50]);
  });

  it('gives up on throttling with a clear message and stops the query it leaves behind', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const { engine: e, waits } = engine({ retry: { attempts: 4, baseMs: 10, maxMs: 40 } });
    const err = await rejectionOf<Error>(e.run('SELECT 1'));
    expect(err).toBeInstanceOf(CasebookError);
    expect(err.message).toMatch(
      /^Athena kept throttling GetQueryExecution \(ThrottlingException: Rate exceeded\); gave up after 4 attempts/,
    );
    expect(err.message).toContain(`execution ${ID}`);
    expect(err.message).toContain('the query was stopped');
    expect(athena).toHaveReceivedCommandTimes(GetQueryExecutionCommand, 4);
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: ID });
    expect(waits).toEqual([5, 10, 20]);
  });

  it('explains the concurrent-query limit', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(new TooManyRequestsException({ message: 'Too many queries', $metadata: {}, Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' }));
    const err = await rejectionOf<Error>(engine({ retry: { attempts: 2 } }).engine.run('SELECT 1'));
    expect(err.message).toMatch(/too many queries running or queued .*CONCURRENT_QUERY_LIMIT_EXCEEDED.*gave up after 2 attempts/);
    expect(athena).not.toHaveReceivedCommand(StopQueryExecutionCommand);
  });

  it('stops the Athena query when the user cancels (Ctrl-C)', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING', 2e9));
    athena.on(StopQueryExecutionCommand).resolves({});
    // Ctrl-C arrives while the engine waits between polls.
    const { engine: e } = engine({
      sleep: async () => {
        controller.abort();
        throw new CancelledError();
      },
    });
    const err = await rejectionOf<CasebookError>(e.run('SELECT 1', { signal: controller.signal }));
    expect(err).toBeInstanceOf(CasebookError);
    expect(err.message).toBe(
      `cancelled: stopped Athena query ${ID} (StopQueryExecution sent); Athena bills the data it scanned before stopping`,
    );
    expect(err.exitCode).toBe(130);
    expect(athena).toHaveReceivedCommandExactlyOnceWith(StopQueryExecutionCommand, { QueryExecutionId: ID });
  });

  it('stops the query when the user cancels during a poll call', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      controller.abort();
      return new Promise(() => undefined);
    });
    athena.on(StopQueryExecutionCommand).resolves({});
    const err = await rejectionOf<CasebookError>(engine().engine.run('SELECT 1', { signal: controller.signal }));
    expect(err.message).toContain(`cancelled: stopped Athena query ${ID}`);
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: ID });
  });

  it('says how to stop the query when StopQueryExecution fails on cancel', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING', 1e6));
    athena.on(StopQueryExecutionCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: athena:StopQueryExecution'));
    const { engine: e } = engine({
      sleep: async () => {
        controller.abort();
        throw new CancelledError();
      },
    });
    const err = await rejectionOf<CasebookError>(e.run('SELECT 1', { signal: controller.signal }));
    expect(err.message).toMatch(
      new RegExp(
        `^cancelled, but could not stop Athena query ${ID}: access denied .* — stop it with: aws athena stop-query-execution --query-execution-id ${ID}$`,
      ),
    );
    expect(err.exitCode).toBe(130);
  });

  it('starts nothing when cancelled before the start', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await rejectionOf<CasebookError>(engine().engine.run('SELECT 1', { signal: controller.signal }));
    expect(err.message).toBe('cancelled before Athena accepted the query');
    expect(athena).not.toHaveReceivedCommand(StartQueryExecutionCommand);
  });

  it('stops a query that passes --max-scan', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolvesOnce(execution('RUNNING', 5e9)).resolves(execution('RUNNING', 25e9));
    athena.on(StopQueryExecutionCommand).resolves({});
    const err = await rejectionOf<Error>(engine({ maxScanBytes: 20e9 }).engine.run('SELECT 1'));
    expect(err.message).toBe(
      `stopped Athena query ${ID}: it scanned 25.0 GB, past --max-scan 20.0 GB; Athena bills what was scanned ($0.125) — narrow --since/--until or raise --max-scan`,
    );
    expect(athena).toHaveReceivedCommandExactlyOnceWith(StopQueryExecutionCommand, { QueryExecutionId: ID });
    expect(athena).toHaveReceivedCommandTimes(GetQueryExecutionCommand, 2);
  });

  it('asks for result reuse and says when a result was reused', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena
      .on(GetQueryExecutionCommand)
      .resolves(execution('SUCCEEDED', 0, { Statistics: { ResultReuseInformation: { ReusedPreviousResult: true } } }));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [header, row(1)] } });
    const { stats } = await engine({ reuseMaxAgeMinutes: 60 }).engine.run('SELECT 1');
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 60 } },
    });
    expect(stats.notes).toContain('result reused (no data scanned, no charge)');
    expect(stats.costUsd).toBe(0);
  });

  it('does not ask for result reuse unless told to', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', 0));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [header] } });
    await engine().engine.run('SELECT 1');
    const input = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(input.ResultReuseConfiguration).toBeUndefined();
  });

  it.each([
    [
      'missing credentials',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      /^no AWS credentials found — run `aws sso login`/,
    ],
    [
      'access denied',
      awsError('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized to perform: athena:StartQueryExecution'),
      /^access denied by Athena on StartQueryExecution .* grant athena:StartQueryExecution/,
    ],
    [
      'unknown workgroup',
      new InvalidRequestException({ message: 'WorkGroup analysts is not found.', $metadata: {} }),
      /check --workgroup \(now analysts\)/,
    ],
    [
      'no output location',
      new InvalidRequestException({
        message:
          'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
        $metadata: {},
      }),
      /pass --output-location s3:\/\/BUCKET\/PREFIX\//,
    ],
    [
      'expired token',
      awsError('ExpiredTokenException', 'The security token included in the request is expired'),
      /credentials have expired/,
    ],
    ['no region', new Error('Region is missing'), /^no AWS region — pass --region/],
  ])('names the fix for %s in one line', async (_name, error, want) => {
    athena.on(GetWorkGroupCommand).resolves({});
    athena.on(StartQueryExecutionCommand).rejects(error);
    const err = await rejectionOf<Error>(engine().engine.run('SELECT 1'));
    expect(err).toBeInstanceOf(CasebookError);
    expect(err.message).toMatch(want);
    expect(err.message).not.toContain('\n');
  });

  it('carries on when the workgroup cannot be read for lack of permission', async () => {
    athena.on(GetWorkGroupCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: athena:GetWorkGroup'));
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', 0));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [header] } });
    await expect(engine().engine.run('SELECT 1')).resolves.toMatchObject({ rows: [] });
  });

  it('times out a call that never answers', async () => {
    athena.on(GetWorkGroupCommand).resolves({});
    athena.on(StartQueryExecutionCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    const err = await rejectionOf<Error>(engine({ timeoutMs: 200, endpoint: 'http://127.0.0.1:9' }).engine.run('SELECT 1'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err.message).toMatch(/^no answer from Athena at http:\/\/127\.0\.0\.1:9 to StartQueryExecution within 0\.2 s \(--timeout\)/);
  });
});
