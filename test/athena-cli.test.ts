import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type GetQueryExecutionOutput,
} from '@aws-sdk/client-athena';
import { exec } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';
import { formatResult } from '../src/format/format.js';
import { tempDir } from './support/harness.js';

const athena = mockClient(AthenaClient);
const ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const RUN = ['run', 'who-deleted', '--resource', 'audit-logs', '--since', '2024-03-01', '--until', '2024-03-02', '--region', 'us-east-1'];
const ATHENA = [...RUN, '--engine', 'athena'];
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

/** stderr without the progress lines (`athena: STATE, ...`). */
const withoutProgress = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => !l.startsWith('athena: '))
    .join('\n');

async function cli(argv: string[], o: { env?: Record<string, string>; cwd?: string; tty?: boolean; signal?: AbortSignal } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stderrIsTTY: o.tty ?? false,
    env: o.env ?? {},
    cwd: o.cwd ?? process.cwd(),
    signal: o.signal,
  };
  const code = await exec(argv, io);
  return { code, stdout, stderr };
}

const COLUMNS = [
  'eventtime',
  'principal',
  'principal_type',
  'eventsource',
  'eventname',
  'sourceipaddress',
  'useragent',
  'errorcode',
  'recipientaccountid',
  'awsregion',
  'eventid',
];
const metadata = { ColumnInfo: COLUMNS.map((Name) => ({ Name, Label: Name, Type: 'varchar' })) };
const cells = (values: (string | undefined)[]) => ({ Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) });
const event = (i: number) =>
  cells([
    `2024-03-01T1${i}:00:00Z`,
    'arn:aws:iam::111122223333:user/mallory',
    'IAMUser',
    's3.amazonaws.com',
    'DeleteBucket',
    '203.0.113.66',
    'aws-cli/2.15.0, "quoted"',
    undefined,
    '111122223333',
    'us-east-1',
    `event-${i}`,
  ]);

function succeeded(scanned: number): GetQueryExecutionOutput {
  return {
    QueryExecution: {
      QueryExecutionId: ID,
      StatementType: 'DML',
      Status: { State: 'SUCCEEDED' },
      Statistics: { DataScannedInBytes: scanned },
    },
  };
}

describe('casebook run --engine athena', () => {
  beforeEach(() => {
    athena.reset();
    athena.on(GetWorkGroupCommand).resolves({});
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(succeeded(2_500_000_000));
    athena
      .on(GetQueryResultsCommand, { NextToken: undefined })
      .resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [cells(COLUMNS), event(1), event(2)] }, NextToken: 'p2' })
      .on(GetQueryResultsCommand, { NextToken: 'p2' })
      .resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [event(3)] } });
  });

  it('runs the rendered query, prints rows, and data scanned and cost on stderr', async () => {
    const r = await cli([
      ...ATHENA,
      '--database',
      'security_logs',
      '--workgroup',
      'analysts',
      '--output-location',
      's3://results/casebook',
      '--format',
      'json',
    ]);
    expect(withoutProgress(r.stderr)).toBe(
      `who-deleted: 3 rows, ${r.stderr.match(/(\d+\.\d\d) s/)![1]} s, athena, 2.5 GB scanned, $0.0125 at $5/TB, execution ${ID}\n`,
    );
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((x) => x.eventid)).toEqual(['event-1', 'event-2', 'event-3']);
    expect(rows[0]!.errorcode).toBeNull();
    const input = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      WorkGroup: 'analysts',
      QueryExecutionContext: { Database: 'security_logs' },
      ResultConfiguration: { OutputLocation: 's3://results/casebook/' },
    });
    expect(input.QueryString).toContain("day BETWEEN '2024/03/01' AND '2024/03/02'");
    expect(input.ClientRequestToken!.length).toBeGreaterThanOrEqual(32);
  });

  it.each(['ndjson', 'csv'] as const)('streams --format %s page by page, the same bytes as the buffered output', async (format) => {
    const streamed = await cli([...ATHENA, '--format', format]);
    expect(streamed.code).toBe(0);
    athena.resetHistory();
    const json = await cli([...ATHENA, '--format', 'json']);
    const rows = JSON.parse(json.stdout) as Record<string, string | null>[];
    expect(streamed.stdout).toBe(
      formatResult(
        { columns: COLUMNS.map((name) => ({ name, type: 'varchar' })), rows, stats: { engine: 'athena', elapsedMs: 0, rows: 3 } },
        format,
      ),
    );
  });

  it('prints the header alone for an empty csv stream', async () => {
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [cells(COLUMNS)] } });
    const r = await cli([...ATHENA, '--format', 'csv']);
    expect(r.stdout).toBe(`${COLUMNS.join(',')}\n`);
    expect(r.stderr).toContain('0 rows');
  });

  it('shows a live progress line on a terminal and clears it', async () => {
    const r = await cli([...ATHENA, '--format', 'ndjson'], { tty: true });
    expect(r.stderr).toContain(`\r\x1b[2Kathena: SUCCEEDED, `);
    expect(r.stderr).toContain(`2.5 GB scanned (execution ${ID})\r\x1b[2Kwho-deleted: 3 rows`);
  });

  it('prints progress lines when stderr is not a terminal', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { QueryExecutionId: ID, Status: { State: 'RUNNING' }, Statistics: { DataScannedInBytes: 1e6 } } })
      .resolves(succeeded(2e6));
    const r = await cli([...ATHENA, '--format', 'ndjson']);
    expect(
      r.stderr
        .split('\n')
        .filter((l) => l.startsWith('athena: '))
        .map((l) => l.split(',')[0]),
    ).toEqual(['athena: RUNNING', 'athena: SUCCEEDED']);
    const quiet = await cli([...ATHENA, '--format', 'ndjson', '--quiet']);
    expect(quiet.stderr).toBe('');
  });

  it('sends --reuse as result reuse and says when the result was reused', async () => {
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        ...succeeded(0).QueryExecution,
        Statistics: { DataScannedInBytes: 0, ResultReuseInformation: { ReusedPreviousResult: true } },
      },
    });
    const r = await cli([...ATHENA, '--reuse', '2h']);
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 120 } },
    });
    expect(r.stderr).toContain('$0 at $5/TB');
    expect(r.stderr).toContain('result reused (no data scanned, no charge)');
  });

  it('uses --price-per-tb for the cost', async () => {
    const r = await cli([...ATHENA, '--price-per-tb', '6.75']);
    expect(r.stderr).toContain('2.5 GB scanned, $0.0169 at $6.75/TB');
  });

  it('stops a query past --max-scan and exits non-zero', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { QueryExecutionId: ID, Status: { State: 'RUNNING' }, Statistics: { DataScannedInBytes: 30e9 } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const r = await cli([...ATHENA, '--max-scan', '20GB']);
    expect(r.code).toBe(1);
    expect(withoutProgress(r.stderr)).toBe(
      `casebook: stopped Athena query ${ID}: it scanned 30.0 GB, past --max-scan 20.0 GB; Athena bills what was scanned ($0.15) — narrow --since/--until or raise --max-scan\n`,
    );
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: ID });
  });

  it("prints a FAILED query's reason and execution id in one line", async () => {
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: ID,
        Status: {
          State: 'FAILED',
          AthenaError: {
            ErrorType: 1110,
            ErrorMessage: "TABLE_NOT_FOUND: line 14:6: Table 'awsdatacatalog.default.cloudtrail' does not exist",
          },
        },
      },
    });
    const r = await cli(ATHENA);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(withoutProgress(r.stderr).trimEnd().split('\n')).toHaveLength(1);
    expect(withoutProgress(r.stderr)).toMatch(
      new RegExp(
        `^casebook: Athena query ${ID} FAILED: TABLE_NOT_FOUND: .* — create the tables with \`casebook setup\`, or pass --database with the database that holds them \\(now casebook\\)\n$`,
      ),
    );
  });

  it('stops the Athena query on Ctrl-C and says so', async () => {
    const controller = new AbortController();
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      controller.abort();
      return { QueryExecution: { QueryExecutionId: ID, Status: { State: 'RUNNING' }, Statistics: { DataScannedInBytes: 1e9 } } };
    });
    athena.on(StopQueryExecutionCommand).resolves({});
    const r = await cli(ATHENA, { signal: controller.signal });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`casebook: cancelled: stopped Athena query ${ID} (StopQueryExecution sent)`);
    expect(athena).toHaveReceivedCommandExactlyOnceWith(StopQueryExecutionCommand, { QueryExecutionId: ID });
  });

  it('takes options from CASEBOOK_* variables and the config file, the command line winning', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeFileSync(
      join(t.dir, 'casebook.config.yaml'),
      [
        'engine: athena',
        'athena:',
        '  database: from_file',
        '  workgroup: file-wg',
        '  output-location: s3://file-results/x/',
        '  reuse: 30m',
      ].join('\n'),
    );
    await cli(RUN, { cwd: t.dir, env: { CASEBOOK_WORKGROUP: 'env-wg' } });
    await cli([...RUN, '--workgroup', 'cli-wg', '--reuse', '45m'], { cwd: t.dir, env: { CASEBOOK_WORKGROUP: 'env-wg' } });
    const inputs = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toMatchObject({
      WorkGroup: 'env-wg',
      QueryExecutionContext: { Database: 'from_file' },
      ResultConfiguration: { OutputLocation: 's3://file-results/x/' },
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 30 } },
    });
    expect(inputs[1]).toMatchObject({
      WorkGroup: 'cli-wg',
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { MaxAgeInMinutes: 45 } },
    });
    // --engine on the command line beats the file.
    const local = await cli([...RUN, '--engine', 'duckdb', '--lake', t.dir], { cwd: t.dir });
    expect(local.stderr).toMatch(/^casebook: lake directory /);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 2);
  });

  it('reads --config FILE and names a mistyped key', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeFileSync(join(t.dir, 'other.yaml'), 'athena:\n  workgorup: x\n');
    const r = await cli([...ATHENA, '--config', 'other.yaml'], { cwd: t.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`casebook: ${join(t.dir, 'other.yaml')}: unknown key athena.workgorup (did you mean workgroup?)\n`);
    const missing = await cli([...ATHENA, '--config', 'nope.yaml'], { cwd: t.dir });
    expect(missing.stderr).toBe('casebook: config file nope.yaml does not exist\n');
  });

  it.each([
    [['--max-scan', 'lots'], 'casebook: --max-scan "lots" is not a size: use e.g. 500MB, 20GB, 1TB (or GiB/TiB)'],
    [['--reuse', '30d'], 'casebook: --reuse 30d is longer than Athena allows (7d = 10080 minutes)'],
    [['--output-location', 'results-bucket'], 'casebook: --output-location "results-bucket" is not an S3 location (s3://BUCKET/PREFIX/)'],
    [['--timeout', 'soon'], 'casebook: --timeout "soon" is not a duration: use e.g. 30s, 60m, 2h, 7d'],
  ])('rejects a bad option value %j before calling AWS', async (extra, message) => {
    const r = await cli([...ATHENA, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${message}\n`);
    expect(athena).not.toHaveReceivedAnyCommand();
  });
});
