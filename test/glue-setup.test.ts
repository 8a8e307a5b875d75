import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import 'aws-sdk-client-mock-vitest/extend';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AccessDeniedException,
  BatchCreatePartitionCommand,
  BatchUpdatePartitionCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  EntityNotFoundException,
  GetDatabaseCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GlueClient,
  ThrottlingException,
  UpdateTableCommand,
  type Partition,
  type PartitionInput,
  type Table,
  type TableInput,
} from '@aws-sdk/client-glue';
import { setupGlue, type SetupRequest } from '../src/glue/setup.js';
import { buildTable, type TableSpec } from '../src/glue/table-input.js';
import { CasebookError } from '../src/errors.js';
import { exec } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';

const NOW = new Date('2025-06-15T12:00:00Z');
const meta = { $metadata: {} };
const glueMock = mockClient(GlueClient);
const glue = new GlueClient({ region: 'us-east-1' });

const CT_SPEC: TableSpec = {
  layout: { table: 'cloudtrail', format: 'json', hourly: false, hivePrefixes: false },
  options: { location: 's3://trail-bucket/', accounts: ['111122223333'], regions: ['us-east-1', 'eu-west-1'], startDate: '2024/01/01' },
};
const FL_SPEC: TableSpec = {
  layout: { table: 'vpc_flow_logs', format: 'text', hourly: false, hivePrefixes: false },
  options: { location: 's3://flow-bucket/logs/', accounts: ['111122223333'], regions: ['us-east-1'], startDate: '2024/01/01' },
};
const HIVE_SPEC: TableSpec = {
  layout: { table: 'vpc_flow_logs', format: 'parquet', hourly: true, hivePrefixes: true },
  options: {
    location: 's3://flow-bucket/',
    accounts: ['111122223333'],
    regions: ['us-east-1', 'eu-west-1'],
    startDate: '2025/06/01',
    partitionsUntil: '2025/06/10',
  },
};

/** What GetTable answers for a table created from `input`: Glue's own fields added. */
function asGlueReturnsIt(input: TableInput, database = 'casebook'): Table {
  const sd = input.StorageDescriptor!;
  return {
    ...input,
    Name: input.Name!,
    DatabaseName: database,
    CatalogId: '111122223333',
    CreateTime: new Date('2025-01-01T00:00:00Z'),
    UpdateTime: new Date('2025-01-01T00:00:00Z'),
    Retention: 0,
    CreatedBy: 'arn:aws:sts::111122223333:assumed-role/admin/x',
    IsRegisteredWithLakeFormation: false,
    VersionId: '3',
    Parameters: { ...input.Parameters, transient_lastDdlTime: '1735689600' },
    StorageDescriptor: {
      ...sd,
      Columns: sd.Columns!.map((c) => ({ ...c, Type: c.Type!.toUpperCase() === c.Type ? c.Type : c.Type })),
      Compressed: false,
      NumberOfBuckets: -1,
      BucketColumns: [],
      SortColumns: [],
      Parameters: {},
      SkewedInfo: { SkewedColumnNames: [], SkewedColumnValues: [], SkewedColumnValueLocationMaps: {} },
      StoredAsSubDirectories: false,
      SerdeInfo: { ...sd.SerdeInfo, Parameters: { 'serialization.format': '1', ...sd.SerdeInfo!.Parameters } },
    },
  };
}

/** An in-memory Glue catalog behind the mock: databases, tables, partitions (paged by 3). */
class FakeGlue {
  databases = new Set<string>();
  tables = new Map<string, Table>();
  partitions = new Map<string, Partition>();
  install(): void {
    glueMock.on(GetDatabaseCommand).callsFake((i) => {
      if (!this.databases.has(i.Name)) throw new EntityNotFoundException({ message: `Database ${i.Name} not found.`, ...meta });
      return { Database: { Name: i.Name } };
    });
    glueMock.on(CreateDatabaseCommand).callsFake((i) => {
      this.databases.add(i.DatabaseInput.Name);
      return {};
    });
    glueMock.on(GetTableCommand).callsFake((i) => {
      const t = this.tables.get(`${i.DatabaseName}.${i.Name}`);
      if (!t) throw new EntityNotFoundException({ message: `Table ${i.Name} not found.`, ...meta });
      return { Table: t };
    });
    glueMock.on(CreateTableCommand).callsFake((i) => {
      if (!this.databases.has(i.DatabaseName)) throw new EntityNotFoundException({ message: 'Database not found.', ...meta });
      this.tables.set(`${i.DatabaseName}.${i.TableInput.Name}`, asGlueReturnsIt(i.TableInput, i.DatabaseName));
      return {};
    });
    glueMock.on(UpdateTableCommand).callsFake((i) => {
      this.tables.set(`${i.DatabaseName}.${i.TableInput.Name}`, asGlueReturnsIt(i.TableInput, i.DatabaseName));
      return {};
    });
    glueMock.on(GetPartitionsCommand).callsFake((i) => {
      const all = [...this.partitions.values()];
      const start = Number(i.NextToken ?? 0);
      const page = all.slice(start, start + 3);
      return { Partitions: page, ...(start + 3 < all.length ? { NextToken: String(start + 3) } : {}) };
    });
    glueMock.on(BatchCreatePartitionCommand).callsFake((i) => {
      for (const p of i.PartitionInputList as PartitionInput[]) this.partitions.set(p.Values!.join('|'), { ...p, Values: p.Values! });
      return { Errors: [] };
    });
    glueMock.on(BatchUpdatePartitionCommand).callsFake((i) => {
      for (const e of i.Entries) this.partitions.set(e.PartitionValueList.join('|'), { ...e.PartitionInput, Values: e.PartitionValueList });
      return { Errors: [] };
    });
  }
}

let fake: FakeGlue;
let out: string[];
let warnings: string[];
beforeEach(() => {
  glueMock.reset();
  fake = new FakeGlue();
  fake.install();
  out = [];
  warnings = [];
});
afterEach(() => glueMock.reset());

function request(over: Partial<SetupRequest> = {}): SetupRequest {
  return {
    database: 'casebook',
    tables: [CT_SPEC, FL_SPEC],
    now: NOW,
    log: (l) => out.push(l),
    warn: (l) => warnings.push(l),
    retry: { sleep: async () => {} },
    ...over,
  };
}

describe('casebook setup against Glue', () => {
  it('creates the database when missing, and each table', async () => {
    const report = await setupGlue(glue, request());
    expect(report.database).toBe('created');
    expect(report.tables.map((t) => [t.table, t.action])).toEqual([
      ['cloudtrail', 'created'],
      ['vpc_flow_logs', 'created'],
    ]);
    expect(glueMock).toHaveReceivedCommandWith(CreateDatabaseCommand, { DatabaseInput: expect.objectContaining({ Name: 'casebook' }) });
    expect(glueMock).toHaveReceivedCommandTimes(CreateTableCommand, 2);
    expect(glueMock).toHaveReceivedCommandWith(CreateTableCommand, {
      DatabaseName: 'casebook',
      TableInput: expect.objectContaining({
        Name: 'cloudtrail',
        Parameters: expect.objectContaining({
          'storage.location.template': 's3://trail-bucket/AWSLogs/${account}/CloudTrail/${region}/${day}',
        }),
      }),
    });
    expect(glueMock).not.toHaveReceivedCommand(UpdateTableCommand);
    expect(out[0]).toBe('database casebook: created');
    expect(out[1]).toMatch(
      /^table cloudtrail: created \(layout cloudtrail, location s3:\/\/trail-bucket\/AWSLogs\/, accounts 1, regions 2, from 2024\/01\/01\)$/,
    );
  });

  it('leaves equal tables alone, though GetTable adds fields of its own', async () => {
    await setupGlue(glue, request());
    glueMock.resetHistory();
    out = [];
    const report = await setupGlue(glue, request());
    expect(report.database).toBe('exists');
    expect(report.tables.map((t) => t.action)).toEqual(['unchanged', 'unchanged']);
    expect(glueMock).not.toHaveReceivedCommand(CreateTableCommand);
    expect(glueMock).not.toHaveReceivedCommand(UpdateTableCommand);
    expect(glueMock).not.toHaveReceivedCommand(CreateDatabaseCommand);
    expect(out.filter((l) => l.startsWith('table'))).toEqual([
      expect.stringMatching(/^table cloudtrail: unchanged /),
      expect.stringMatching(/^table vpc_flow_logs: unchanged /),
    ]);
  });

  it('updates a table whose definition changed, keeping the parameters casebook does not manage', async () => {
    fake.databases.add('casebook');
    const old = asGlueReturnsIt(buildTable({ ...CT_SPEC, options: { ...CT_SPEC.options, regions: ['us-east-1'] } }).input);
    old.Parameters = { ...old.Parameters, has_encrypted_data: 'false', 'projection.stale.type': 'enum' };
    fake.tables.set('casebook.cloudtrail', old);
    const report = await setupGlue(glue, request({ tables: [CT_SPEC] }));
    expect(report.tables[0]!.action).toBe('updated');
    expect(report.tables[0]!.differences).toEqual([
      'Parameters[projection.region.values]: "us-east-1" -> "us-east-1,eu-west-1"',
      'Parameters[projection.stale.type]: "enum" -> (none)',
    ]);
    expect(glueMock).toHaveReceivedCommandOnce(UpdateTableCommand);
    const sent = glueMock.commandCalls(UpdateTableCommand)[0]!.args[0].input.TableInput!;
    expect(sent.Parameters!['projection.region.values']).toBe('us-east-1,eu-west-1');
    expect(sent.Parameters!.has_encrypted_data).toBe('false');
    expect(sent.Parameters!['projection.stale.type']).toBeUndefined();
    expect(out).toContain('  Parameters[projection.region.values]: "us-east-1" -> "us-east-1,eu-west-1"');
  });

  it('sees a changed column list (a new flow-log format) as a change', async () => {
    fake.databases.add('casebook');
    fake.tables.set('casebook.vpc_flow_logs', asGlueReturnsIt(buildTable(FL_SPEC).input));
    const { parseFlowFormat } = await import('../src/glue/flow-format.js');
    const v3 = {
      ...FL_SPEC,
      options: {
        ...FL_SPEC.options,
        flowFormat: parseFlowFormat(
          '${version} ${vpc-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${start} ${end} ${action}',
        ),
      },
    };
    const report = await setupGlue(glue, request({ tables: [v3] }));
    expect(report.tables[0]!.action).toBe('updated');
    expect(report.tables[0]!.differences).toContain('Columns: add vpc_id string');
    expect(report.tables[0]!.differences).toContain('Columns: drop account_id string');
  });

  it('--dry-run prints the TableInputs and the differences, and changes nothing', async () => {
    fake.databases.add('casebook');
    fake.tables.set(
      'casebook.cloudtrail',
      asGlueReturnsIt(buildTable({ ...CT_SPEC, options: { ...CT_SPEC.options, startDate: '2023/01/01' } }).input),
    );
    const report = await setupGlue(glue, request({ dryRun: true }));
    expect(report.tables.map((t) => t.action)).toEqual(['would update', 'would create']);
    expect(glueMock).not.toHaveReceivedCommand(CreateTableCommand);
    expect(glueMock).not.toHaveReceivedCommand(UpdateTableCommand);
    expect(glueMock).not.toHaveReceivedCommand(CreateDatabaseCommand);
    const text = out.join('\n');
    expect(text).toContain('  Parameters[projection.day.range]: "2023/01/01,NOW" -> "2024/01/01,NOW"');
    expect(text).toContain('TableInput for vpc_flow_logs:');
    expect(text).toContain('"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"');
  });

  it('--dry-run with no database says it would create it, and calls nothing else', async () => {
    const report = await setupGlue(glue, request({ dryRun: true }));
    expect(report.database).toBe('would create');
    expect(report.tables.map((t) => t.action)).toEqual(['would create', 'would create']);
    expect(glueMock).not.toHaveReceivedCommand(GetTableCommand);
    expect(glueMock).not.toHaveReceivedCommand(CreateDatabaseCommand);
  });

  it('a missing database, when not allowed to create it, is one line naming the fix', async () => {
    const err = await setupGlue(glue, request({ createDatabase: false })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CasebookError);
    expect((err as Error).message).toBe(
      'Glue database casebook does not exist: create it (aws glue create-database --database-input Name=casebook), name another with --database, or drop --no-create-database',
    );
    expect(glueMock).not.toHaveReceivedCommand(CreateTableCommand);
  });

  it('access denied is one line naming the permission', async () => {
    fake.databases.add('casebook');
    glueMock.on(CreateTableCommand).rejects(
      new AccessDeniedException({
        message:
          'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: glue:CreateTable on resource: arn:aws:glue:us-east-1:111122223333:table/casebook/cloudtrail',
        ...meta,
      }),
    );
    const err = await setupGlue(glue, request()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CasebookError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg).toMatch(
      /^access denied: Glue refused CreateTable on table casebook\.cloudtrail \(User: .*\): grant the caller glue:CreateTable /,
    );
  });

  it('throttling is retried with backoff, then reported as one line', async () => {
    fake.databases.add('casebook');
    const sleeps: number[] = [];
    glueMock
      .on(GetTableCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', ...meta }))
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', ...meta }))
      .rejects(new EntityNotFoundException({ message: 'not found', ...meta }));
    const report = await setupGlue(
      glue,
      request({
        tables: [CT_SPEC],
        retry: {
          sleep: async (ms) => {
            sleeps.push(ms);
          },
          random: () => 0.5,
        },
      }),
    );
    expect(report.tables[0]!.action).toBe('created');
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]!).toBeGreaterThan(sleeps[0]! * 0.9);

    glueMock.on(GetTableCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', ...meta }));
    const err = await setupGlue(glue, request({ tables: [CT_SPEC], retry: { attempts: 4, sleep: async () => {} } })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CasebookError);
    expect((err as Error).message).toBe(
      'Glue kept throttling GetTable casebook.cloudtrail (ThrottlingException: Rate exceeded) after 4 attempts: wait a minute and run casebook setup again (it picks up where it stopped), or raise the Glue API request quota',
    );
  });

  it('lints before anything is written: a bad definition makes no call at all', async () => {
    const bad: TableSpec = {
      ...CT_SPEC,
      options: { ...CT_SPEC.options, accounts: ['11112222333'], regions: ['us-east-1', 'eu west-1'], location: 's3://trail-bucket' },
    };
    const err = await setupGlue(glue, request({ tables: [bad] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CasebookError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^3 problems, nothing written: /);
    expect(msg).toContain('must end with a slash');
    expect(msg).toContain('account id "11112222333" is not 12 digits');
    expect(msg).toContain('"eu west-1" is not an AWS region name');
    expect(glueMock.calls()).toHaveLength(0);
  });

  it('Hive-compatible prefixes: registers the missing partitions, updates moved ones, pages through the rest', async () => {
    const first = await setupGlue(glue, request({ tables: [HIVE_SPEC] }));
    expect(first.tables[0]!.partitions).toEqual({ create: 20, update: 0, unchanged: 0 });
    expect(fake.partitions.size).toBe(20);
    expect(glueMock).toHaveReceivedCommandTimes(BatchCreatePartitionCommand, 1);
    const p = fake.partitions.get('111122223333|eu-west-1|2025/06/03')!;
    expect(p.StorageDescriptor!.Location).toBe(
      's3://flow-bucket/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2025/month=06/day=03/',
    );
    expect(out.find((l) => l.startsWith('table'))).toContain('partitions: registered 20, updated 0, 0 already there, through 2025/06/10');

    // A longer horizon and a moved partition: only those change.
    const moved = fake.partitions.get('111122223333|us-east-1|2025/06/05')!;
    moved.StorageDescriptor = { ...moved.StorageDescriptor, Location: 's3://elsewhere/' };
    glueMock.resetHistory();
    const again = await setupGlue(
      glue,
      request({ tables: [{ ...HIVE_SPEC, options: { ...HIVE_SPEC.options, partitionsUntil: '2025/06/12' } }] }),
    );
    expect(again.tables[0]!.action).toBe('unchanged');
    expect(again.tables[0]!.partitions).toEqual({ create: 4, update: 1, unchanged: 19 });
    expect(glueMock).toHaveReceivedCommandTimes(GetPartitionsCommand, 7);
    expect(glueMock).toHaveReceivedCommandWith(BatchUpdatePartitionCommand, {
      Entries: [expect.objectContaining({ PartitionValueList: ['111122223333', 'us-east-1', '2025/06/05'] })],
    });
  });
});

describe('casebook setup on the command line', () => {
  function io(cwd = process.cwd()): CliIO & { out: string; err: string } {
    const o = { out: '', err: '' };
    return Object.assign(o, {
      stdout: (t: string) => {
        o.out += t;
      },
      stderr: (t: string) => {
        o.err += t;
      },
      stderrIsTTY: false,
      env: {},
      cwd,
      now: () => NOW,
    });
  }

  it('runs end to end through exec with a mocked Glue client', async () => {
    const c = io();
    const code = await exec(
      [
        'setup',
        '--location',
        's3://logs-bucket/',
        '--accounts',
        '111122223333',
        '--regions',
        'us-east-1',
        '--start-date',
        '2024-01-01',
        '--aws-region',
        'us-east-1',
      ],
      c,
    );
    expect(c.err).toBe('');
    expect(code).toBe(0);
    expect(c.out).toContain('database casebook: created');
    expect(c.out).toContain('table cloudtrail: created');
    expect(c.out).toContain('table vpc_flow_logs: created');
  });

  it('an access-denied error exits 1 with one line', async () => {
    glueMock.on(GetDatabaseCommand).rejects(new AccessDeniedException({ message: 'not authorized to perform: glue:GetDatabase', ...meta }));
    const c = io();
    const code = await exec(
      ['setup', '--location', 's3://logs-bucket/', '--accounts', '111122223333', '--regions', 'us-east-1', '--aws-region', 'us-east-1'],
      c,
    );
    expect(code).toBe(1);
    expect(
      c.err
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('note:')),
    ).toEqual([
      expect.stringMatching(/^casebook: access denied: Glue refused GetDatabase on database casebook .*grant the caller glue:GetDatabase/),
    ]);
  });

  it('--no-create-database with a missing database names the fix', async () => {
    const c = io();
    const code = await exec(
      [
        'setup',
        '--no-create-database',
        '--tables',
        'cloudtrail',
        '--location',
        's3://logs-bucket/',
        '--accounts',
        '111122223333',
        '--regions',
        'us-east-1',
        '--aws-region',
        'us-east-1',
      ],
      c,
    );
    expect(code).toBe(1);
    expect(c.err).toContain('casebook: Glue database casebook does not exist: create it');
  });
});
