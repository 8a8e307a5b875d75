import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { exec } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';
import { tempDir } from './support/harness.js';

const NOW = new Date('2025-06-15T12:00:00Z');
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

function dir(): string {
  const d = tempDir('casebook-glue-cli-');
  cleanups.push(d.cleanup);
  return d.dir;
}

async function run(argv: string[], cwd = dir()): Promise<{ code: number; out: string; err: string }> {
  const o = { out: '', err: '' };
  const io: CliIO = {
    stdout: (t) => {
      o.out += t;
    },
    stderr: (t) => {
      o.err += t;
    },
    stderrIsTTY: false,
    env: {},
    cwd,
    now: () => NOW,
  };
  const code = await exec(argv, io);
  return { code, ...o };
}

const CT = [
  '--location',
  's3://trail-bucket/prefix/',
  '--accounts',
  '111122223333,444455556666',
  '--regions',
  'us-east-1,eu-west-1',
  '--start-date',
  '2024/01/01',
];

describe('casebook ddl', () => {
  it('prints the CloudTrail table for a multi-account, multi-region trail', async () => {
    const r = await run(['ddl', 'cloudtrail', ...CT]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('CREATE EXTERNAL TABLE `cloudtrail` (');
    expect(r.out).toContain("'projection.account.values'='111122223333,444455556666'");
    expect(r.out).toContain("'storage.location.template'='s3://trail-bucket/prefix/AWSLogs/${account}/CloudTrail/${region}/${day}'");
  });

  it('adds the organization level with --org-id', async () => {
    const r = await run(['ddl', 'cloudtrail', ...CT, '--org-id', 'o-a1b2c3d4e5']);
    expect(r.code).toBe(0);
    expect(r.out).toContain("LOCATION 's3://trail-bucket/prefix/AWSLogs/o-a1b2c3d4e5/'");
    expect(r.out).toContain('/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${day}');
  });

  it('prints a flow-log table for a custom format, columns in its order', async () => {
    const r = await run([
      'ddl',
      'vpc_flow_logs',
      '--location',
      's3://flow-bucket/',
      '--accounts',
      '111122223333',
      '--regions',
      'us-east-1',
      '--format',
      '${version} ${account-id} ${vpc-id} ${srcaddr} ${dstaddr} ${region} ${flow-direction} ${end}',
      '--start-date',
      '2024/01/01',
    ]);
    expect(r.code).toBe(0);
    const cols = [...r.out.matchAll(/^ {2}`([a-z_]+)` ([^\s,]+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(cols).toEqual([
      'version int',
      'account_id string',
      'vpc_id string',
      'srcaddr string',
      'dstaddr string',
      'record_region string',
      'flow_direction string',
      'end bigint',
      'account string',
      'region string',
      'day string',
    ]);
    expect(r.out).toContain("'skip.header.line.count'='1'");
  });

  it('flowlogs --parquet --hive-prefixes needs a start date, then prints the table and its partitions', async () => {
    const base = [
      'ddl',
      'flowlogs',
      '--location',
      's3://flow-bucket/',
      '--accounts',
      '111122223333',
      '--regions',
      'us-east-1',
      '--parquet',
      '--hive-prefixes',
      '--hourly',
    ];
    const missing = await run(base);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('give the first day of logs with --start-date');
    const r = await run([...base, '--start-date', '2025/06/01', '--partitions-until', '2025/06/02']);
    expect(r.code).toBe(0);
    expect(r.out).toContain("ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'");
    expect(r.out).not.toContain('projection.enabled');
    expect(r.out).toContain(
      "PARTITION (`account` = '111122223333', `region` = 'us-east-1', `day` = '2025/06/02') LOCATION 's3://flow-bucket/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/year=2025/month=06/day=02/'",
    );
  });

  it('lint errors exit 1 with one line and print no DDL', async () => {
    const r = await run([
      'ddl',
      'cloudtrail',
      '--location',
      's3://trail-bucket/prefix',
      '--accounts',
      '111122223333',
      '--regions',
      'us-east-1',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n').filter((l) => l.startsWith('casebook:'))).toEqual([
      expect.stringContaining('must end with a slash (s3://trail-bucket/prefix/)'),
    ]);
  });

  it('usage mistakes name the fix', async () => {
    expect((await run(['ddl', 'cloudtrail', '--location', 's3://b-1/'])).err).toContain(
      'name the accounts whose logs cloudtrail reads: --accounts',
    );
    expect((await run(['ddl', 'cloudtrail', '--accounts', '111122223333'])).err).toContain(
      'no location for table cloudtrail: pass --location s3://BUCKET/PREFIX/',
    );
    expect(
      (await run(['ddl', 'flowlogs', '--location', 's3://b-1/', '--accounts', '111122223333', '--format', '${version} ${srcadr}'])).err,
    ).toContain('--format: unknown flow-log field srcadr (did you mean srcaddr?)');
    expect(
      (await run(['ddl', 'flowlogs', '--location', 's3://b-1/', '--accounts', '111122223333', '--format', '${version},${srcaddr}'])).err,
    ).toContain('is not a flow-log field');
    expect((await run(['ddl', 'cloudtrail', '--location', 's3://b-1/', '--accounts', '111122223333', '--parquet'])).err).toContain(
      'describe flow logs, not CloudTrail',
    );
    expect((await run(['ddl', 'guardduty', '--location', 's3://b-1/', '--accounts', '111122223333'])).err).toContain(
      'unknown table "guardduty"',
    );
  });

  it('defaults regions to every commercial region and the start to the service launch, and says so', async () => {
    const r = await run(['ddl', 'cloudtrail', '--bucket', 'trail-bucket', '--prefix', '/team/logs/', '--accounts', '111122223333']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('note: cloudtrail: no --regions given: projecting all 34 commercial regions');
    expect(r.out).toContain("'projection.day.range'='2013/11/01,NOW'");
    expect(r.out).toContain("LOCATION 's3://trail-bucket/team/logs/AWSLogs/'");
  });

  it('reads options from casebook.config.yaml in the working directory; options win', async () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'casebook.config.yaml'),
      [
        'accounts: ["011122223333", "444455556666"]',
        'regions: [us-east-1]',
        'start_date: 2024-02-01',
        'cloudtrail:',
        '  location: s3://trail-bucket/',
        '  org_id: o-a1b2c3d4e5',
        'vpc_flow_logs:',
        '  bucket: flow-bucket',
        '  file_format: parquet',
        '',
      ].join('\n'),
    );
    const ct = await run(['ddl', 'cloudtrail'], cwd);
    expect(ct.err).toBe('');
    expect(ct.out).toContain("'projection.account.values'='011122223333,444455556666'");
    expect(ct.out).toContain("'projection.day.range'='2024/02/01,NOW'");
    expect(ct.out).toContain('AWSLogs/o-a1b2c3d4e5/${account}');
    const fl = await run(['ddl', 'flowlogs', '--regions', 'eu-west-1'], cwd);
    expect(fl.out).toContain("LOCATION 's3://flow-bucket/AWSLogs/'");
    expect(fl.out).toContain('ParquetHiveSerDe');
    expect(fl.out).toContain("'projection.region.values'='eu-west-1'");
  });

  it('reads the shared lake:/athena: sections casebook estimate and the Athena engine use', async () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'casebook.config.yaml'),
      [
        'engine: athena',
        'athena:',
        '  database: security_logs',
        '  region: eu-west-1',
        'lake:',
        '  location: s3://my-log-bucket/',
        "  accounts: ['111122223333']",
        '  regions: [us-east-1]',
        '  org-id: o-exampleorg1',
        '  start-date: 2024/01/01',
        '  parquet: true',
        '',
      ].join('\n'),
    );
    const ct = await run(['ddl', 'cloudtrail'], cwd);
    expect(ct.err).toBe('');
    expect(ct.out).toContain(
      "'storage.location.template'='s3://my-log-bucket/AWSLogs/o-exampleorg1/${account}/CloudTrail/${region}/${day}'",
    );
    expect(ct.out).toContain("'projection.day.range'='2024/01/01,NOW'");
    expect((await run(['ddl', 'flowlogs'], cwd)).out).toContain('ParquetHiveSerDe');
    const { resolvePlan } = await import('../src/glue/config.js');
    const plan = resolvePlan({}, cwd, NOW);
    expect(plan.database).toBe('security_logs');
    expect(plan.awsRegion).toBe('eu-west-1');
    expect(plan.specs.map((s) => s.layout.table)).toEqual(['cloudtrail', 'vpc_flow_logs']);
  });

  it('a config file names its own mistakes', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'bad.yaml'), 'accounts: [11122223333]\nlocation: s3://b-1/\n');
    expect((await run(['ddl', 'cloudtrail', '--config', 'bad.yaml'], cwd)).err).toContain(
      "11122223333 was read as a number and lost its leading zeros: quote account ids ('011122223333')",
    );
    writeFileSync(join(cwd, 'typo.yaml'), 'acounts: [x]\n');
    expect((await run(['ddl', 'cloudtrail', '--config', 'typo.yaml'], cwd)).err).toMatch(
      /typo\.yaml: unknown key acounts \(did you mean accounts\?\)/,
    );
    expect((await run(['ddl', 'cloudtrail', '--config', 'missing.yaml'], cwd)).err).toContain('does not exist');
  });
});

describe('casebook schema', () => {
  it('lists the columns of a flow-log format in its order, with text and Parquet types', async () => {
    const r = await run(['schema', 'flowlogs', '--format', '${version} ${vpc-id} ${protocol} ${region} ${ecs-task-id} ${resource-id}']);
    expect(r.code).toBe(0);
    const rows = r.out
      .split('\n')
      .filter((l) => /^\d+ /.test(l))
      .map((l) => l.split(/\s{2,}/).slice(0, 5));
    expect(rows).toEqual([
      ['1', 'version', 'version', 'int', 'int'],
      ['2', 'vpc-id', 'vpc_id', 'string', 'string'],
      ['3', 'protocol', 'protocol', 'bigint', 'int'],
      ['4', 'region', 'record_region', 'string', 'string'],
      ['5', 'ecs-task-id', 'ecs_task_id', 'string', 'string'],
      ['6', 'resource-id', 'resource_id', 'string', 'string'],
    ]);
    expect(r.out).toContain('(unknown to casebook)');
  });

  it('takes the fields from the header line of a log file', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'x.log.gz'), gzipSync('version srcaddr dstaddr action log-status\n2 10.0.0.1 10.0.0.2 ACCEPT OK\n'));
    writeFileSync(join(cwd, 'noheader.log.gz'), gzipSync('2 10.0.0.1 10.0.0.2 ACCEPT OK\n'));
    const r = await run(['schema', 'vpc_flow_logs', '--header-from', 'x.log.gz'], cwd);
    expect(r.code).toBe(0);
    expect(r.out).toContain('${version} ${srcaddr} ${dstaddr} ${action} ${log-status}');
    const bad = await run(['schema', 'vpc_flow_logs', '--header-from', 'noheader.log.gz'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('starts with a record, not a header line');
  });

  it('lists the CloudTrail columns', async () => {
    const r = await run(['schema', 'cloudtrail']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^1 +eventversion +string/m);
    expect(r.out).toMatch(/day +string +partition/);
  });
});
