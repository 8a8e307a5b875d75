import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ListObjectsV2Command, S3Client, type ListObjectsV2CommandInput, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { estimateScan, parseS3Location, type LakeLayout } from '../src/engines/athena/estimate.js';
import { exec } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';

const s3mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const BUCKET = 'org-logs';
// The window 2024-03-01 to 2024-03-02 selects partition days 2024/03/01 and 2024/03/02 (a day of slack).
const WINDOW = { since: new Date('2024-03-01T00:00:00Z'), until: new Date('2024-03-02T00:00:00Z') };
const MB = 1_000_000;

/**
 * A bucket in memory behind ListObjectsV2: Prefix, Delimiter '/' (CommonPrefixes) and
 * pagination (small pages, so continuation tokens are exercised).
 */
function bucket(objects: Record<string, number>, pageSize = 2): void {
  s3mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput): ListObjectsV2CommandOutput => {
    if (input.Bucket !== BUCKET) throw Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' });
    const prefix = input.Prefix ?? '';
    const keys = Object.keys(objects)
      .filter((k) => k.startsWith(prefix))
      .sort();
    const entries: { key: string; folder: boolean }[] = [];
    const seen = new Set<string>();
    for (const k of keys) {
      const rest = k.slice(prefix.length);
      const slash = input.Delimiter ? rest.indexOf(input.Delimiter) : -1;
      if (slash >= 0) {
        const folder = prefix + rest.slice(0, slash + 1);
        if (!seen.has(folder)) {
          seen.add(folder);
          entries.push({ key: folder, folder: true });
        }
      } else entries.push({ key: k, folder: false });
    }
    const start = Number(input.ContinuationToken ?? 0);
    const page = entries.slice(start, start + pageSize);
    const more = start + pageSize < entries.length;
    return {
      $metadata: {},
      Contents: page.filter((e) => !e.folder).map((e) => ({ Key: e.key, Size: objects[e.key] })),
      CommonPrefixes: page.filter((e) => e.folder).map((e) => ({ Prefix: e.key })),
      IsTruncated: more,
      NextContinuationToken: more ? String(start + pageSize) : undefined,
    };
  });
}

async function estimate(tables: string[], layout: LakeLayout) {
  return estimateScan({ s3, tables, window: WINDOW, layout, sleep: async () => undefined });
}

const ct = (root: string, region: string, day: string, name: string) => `${root}CloudTrail/${region}/${day}/${name}`;

describe('estimate: what the partition predicate selects, per layout', () => {
  beforeEach(() => s3mock.reset());

  it("single-account CloudTrail: only the window's day prefixes, not digests or marker files", async () => {
    const root = 'prefix/AWSLogs/111122223333/';
    bucket({
      [ct(root, 'us-east-1', '2024/02/29', 'a.json.gz')]: 1 * MB, // before the window
      [ct(root, 'us-east-1', '2024/03/01', 'b.json.gz')]: 2 * MB,
      [ct(root, 'us-east-1', '2024/03/01', 'c.json.gz')]: 3 * MB,
      [ct(root, 'us-east-1', '2024/03/01', '_SUCCESS')]: 9 * MB,
      [ct(root, 'us-east-1', '2024/03/02', 'd.json.gz')]: 4 * MB, // the day of slack
      [ct(root, 'us-east-1', '2024/03/03', 'e.json.gz')]: 5 * MB, // after
      [`${root}CloudTrail-Digest/us-east-1/2024/03/01/digest.json.gz`]: 7 * MB,
      [`${root}vpcflowlogs/us-east-1/2024/03/01/f.log.gz`]: 8 * MB,
    });
    const e = await estimate(['cloudtrail'], { location: `s3://${BUCKET}/prefix/` });
    const t = e.tables[0]!;
    expect(t.layouts).toEqual(['cloudtrail']);
    expect(t.prefixes.map((p) => [p.prefix, p.objects, p.bytes])).toEqual([
      [`s3://${BUCKET}/prefix/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/`, 2, 5 * MB],
      [`s3://${BUCKET}/prefix/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/02/`, 1, 4 * MB],
    ]);
    expect(e.bytes).toBe(9 * MB);
    expect(e.costUsd).toBeCloseTo(((10 * MB) / 1e12) * 5, 12); // the 10 MB minimum
    expect(e.days).toEqual(['2024/03/01', '2024/03/02']);
  });

  it('multi-account, multi-region CloudTrail, discovered, and limited by --accounts/--regions', async () => {
    const objects: Record<string, number> = {};
    for (const acct of ['111122223333', '444455556666']) {
      for (const region of ['us-east-1', 'eu-west-1']) objects[ct(`AWSLogs/${acct}/`, region, '2024/03/01', 'x.json.gz')] = 100 * MB;
    }
    objects['AWSLogs/777788889999/vpcflowlogs/us-east-1/2024/03/01/y.log.gz'] = 1 * MB; // flow logs only: no CloudTrail prefixes
    bucket(objects);
    const all = await estimate(['cloudtrail'], { location: `s3://${BUCKET}` });
    expect(all.tables[0]!.accounts).toEqual(['111122223333', '444455556666']);
    expect(all.tables[0]!.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(all.tables[0]!.prefixes).toHaveLength(2 * 2 * 2);
    expect(all.bytes).toBe(400 * MB);
    expect(all.costUsd).toBeCloseTo(0.002, 12);

    s3mock.resetHistory();
    const some = await estimate(['cloudtrail'], { location: `s3://${BUCKET}/`, accounts: ['444455556666'], regions: ['eu-west-1'] });
    expect(some.tables[0]!.prefixes.map((p) => p.prefix)).toEqual([
      `s3://${BUCKET}/AWSLogs/444455556666/CloudTrail/eu-west-1/2024/03/01/`,
      `s3://${BUCKET}/AWSLogs/444455556666/CloudTrail/eu-west-1/2024/03/02/`,
    ]);
    expect(some.bytes).toBe(100 * MB);
    // Given regions are not listed for: one listing of AWSLogs/, then the day prefixes.
    expect(s3mock).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: BUCKET, Prefix: 'AWSLogs/', Delimiter: '/' });
    expect(s3mock).not.toHaveReceivedCommandWith(ListObjectsV2Command, { Prefix: 'AWSLogs/444455556666/CloudTrail/', Delimiter: '/' });
  });

  it('organization trails: AWSLogs/<o-id>/<account>/CloudTrail/..., discovered or named', async () => {
    const org = 'o-exampleorgid';
    bucket({
      [ct(`AWSLogs/${org}/111122223333/`, 'us-east-1', '2024/03/01', 'a.json.gz')]: 10 * MB,
      [ct(`AWSLogs/${org}/444455556666/`, 'ap-southeast-2', '2024/03/02', 'b.json.gz')]: 20 * MB,
      [ct(`AWSLogs/${org}/444455556666/`, 'ap-southeast-2', '2024/03/05', 'c.json.gz')]: 40 * MB,
    });
    const found = await estimate(['cloudtrail'], { location: `s3://${BUCKET}/` });
    expect(found.tables[0]!.layouts).toEqual(['cloudtrail-org']);
    expect(found.bytes).toBe(30 * MB);
    expect(found.tables[0]!.prefixes.map((p) => p.prefix)).toContain(
      `s3://${BUCKET}/AWSLogs/${org}/444455556666/CloudTrail/ap-southeast-2/2024/03/02/`,
    );
    const named = await estimate(['cloudtrail'], { location: `s3://${BUCKET}/AWSLogs/`, orgId: org, accounts: ['111122223333'] });
    expect(named.bytes).toBe(10 * MB);
    expect(named.tables[0]!.accounts).toEqual(['111122223333']);
  });

  it('flow logs, text, daily', async () => {
    bucket({
      'AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/01/111122223333_vpcflowlogs_us-east-1_fl-1_20240301T0005Z_ab.log.gz': 3 * MB,
      'AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/02/111122223333_vpcflowlogs_us-east-1_fl-1_20240302T0005Z_cd.log.gz': 5 * MB,
      'AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/09/late.log.gz': 50 * MB,
      'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/ct.json.gz': 70 * MB,
    });
    const e = await estimate(['vpc_flow_logs'], { location: `s3://${BUCKET}/` });
    expect(e.tables[0]!.layouts).toEqual(['flowlogs-text']);
    expect(e.bytes).toBe(8 * MB);
    expect(e.tables[0]!.notes).toEqual([]);
  });

  it('flow logs, text, hourly: the day prefix holds its hours', async () => {
    const objects: Record<string, number> = {};
    for (const h of ['00', '13', '23']) objects[`AWSLogs/111122223333/vpcflowlogs/eu-west-1/2024/03/01/${h}/f${h}.log.gz`] = 1 * MB;
    objects['AWSLogs/111122223333/vpcflowlogs/eu-west-1/2024/03/03/00/late.log.gz'] = 9 * MB;
    bucket(objects);
    const e = await estimate(['vpc_flow_logs'], { location: `s3://${BUCKET}/`, hourly: true });
    expect(e.tables[0]!.layouts).toEqual(['flowlogs-text-hourly']);
    expect(e.tables[0]!.prefixes[0]).toMatchObject({
      prefix: `s3://${BUCKET}/AWSLogs/111122223333/vpcflowlogs/eu-west-1/2024/03/01/`,
      objects: 3,
      bytes: 3 * MB,
    });
    expect(e.bytes).toBe(3 * MB);
  });

  it('flow logs, Parquet with Hive prefixes: detected, and an upper bound', async () => {
    const hive = (acct: string, region: string, y: string, m: string, d: string, h: string) =>
      `flow/AWSLogs/aws-account-id=${acct}/aws-service=vpcflowlogs/aws-region=${region}/year=${y}/month=${m}/day=${d}/hour=${h}/f.log.parquet`;
    bucket({
      [hive('111122223333', 'us-east-1', '2024', '03', '01', '07')]: 11 * MB,
      [hive('111122223333', 'us-east-1', '2024', '03', '02', '23')]: 13 * MB,
      [hive('111122223333', 'us-east-1', '2024', '02', '29', '23')]: 17 * MB,
      [hive('444455556666', 'eu-west-1', '2024', '03', '01', '00')]: 19 * MB,
    });
    const e = await estimate(['vpc_flow_logs'], { location: `s3://${BUCKET}/flow/` });
    const t = e.tables[0]!;
    expect(t.layouts).toEqual(['flowlogs-parquet-hive']);
    expect(t.accounts).toEqual(['111122223333', '444455556666']);
    expect(t.prefixes.map((p) => p.prefix)).toContain(
      `s3://${BUCKET}/flow/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=03/day=01/`,
    );
    expect(e.bytes).toBe(43 * MB);
    expect(t.notes[0]).toMatch(/^Parquet: Athena reads only the columns/);
  });

  it('both tables, each in its own bucket prefix', async () => {
    bucket({
      'ct/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/a.json.gz': 1000 * MB,
      'fl/AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/01/b.log.gz': 1000 * MB,
    });
    const e = await estimate(['cloudtrail', 'vpc_flow_logs'], {
      cloudtrailLocation: `s3://${BUCKET}/ct/`,
      flowLogsLocation: `s3://${BUCKET}/fl/`,
    });
    expect(e.tables.map((t) => [t.table, t.bytes, t.costUsd])).toEqual([
      ['cloudtrail', 1e9, 0.005],
      ['vpc_flow_logs', 1e9, 0.005],
    ]);
    expect(e.costUsd).toBeCloseTo(0.01, 12);
  });

  it('names what is missing', async () => {
    bucket({});
    await expect(estimate(['cloudtrail'], {})).rejects.toThrow(/^estimate needs the S3 location of the cloudtrail logs: pass --location/);
    await expect(estimate(['cloudtrail'], { location: 'org-logs/prefix' })).rejects.toThrow(
      '--cloudtrail-location "org-logs/prefix" is not an S3 location',
    );
    await expect(estimate(['cloudtrail'], { location: 's3://no-such-bucket/' })).rejects.toThrow(
      'bucket of s3://no-such-bucket/AWSLogs/ does not exist — check --location',
    );
    const empty = await estimate(['cloudtrail'], { location: `s3://${BUCKET}/` });
    expect(empty.tables[0]!.notes).toEqual([`no CloudTrail accounts found under s3://${BUCKET}/AWSLogs/`]);
    expect(empty.bytes).toBe(0);
  });

  it('explains access denied on the listing', async () => {
    s3mock
      .on(ListObjectsV2Command)
      .rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    await expect(estimate(['cloudtrail'], { location: `s3://${BUCKET}/p/` })).rejects.toThrow(
      `access denied listing s3://${BUCKET}/p/AWSLogs/ (Access Denied) — grant s3:ListBucket on the log bucket to this identity`,
    );
  });

  it('parses locations', () => {
    expect(parseS3Location('s3://b-1/a/b')).toEqual({ bucket: 'b-1', prefix: 'a/b/' });
    expect(parseS3Location('s3://b-1/a/AWSLogs/')).toEqual({ bucket: 'b-1', prefix: 'a/' });
    expect(parseS3Location('s3://b-1')).toEqual({ bucket: 'b-1', prefix: '' });
  });
});

describe('casebook estimate', () => {
  beforeEach(() => s3mock.reset());

  async function cli(argv: string[], env: Record<string, string> = {}) {
    let stdout = '';
    let stderr = '';
    const io: CliIO = {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      stderrIsTTY: false,
      env,
      cwd: process.cwd(),
    };
    const code = await exec(argv, io);
    return { code, stdout, stderr };
  }

  const ARGS = ['estimate', 'who-deleted', '--resource', 'x', '--since', '2024-03-01', '--until', '2024-03-02', '--region', 'us-east-1'];

  it('prints the prefixes per account and region, the bytes and the cost, before running anything', async () => {
    bucket({
      'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/a.json.gz': 1500 * MB,
      'AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/02/b.json.gz': 500 * MB,
    });
    const r = await cli([...ARGS, '--location', `s3://${BUCKET}/`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'who-deleted: what Athena would scan at most for 2024-03-01T00:00:00Z to 2024-03-02T00:00:00Z (partition days 2024/03/01 to 2024/03/02, 2 days with the day of slack)',
    );
    expect(r.stdout).toContain(`cloudtrail in s3://${BUCKET}/ (cloudtrail): 4 prefixes, 2 objects, 2.0 GB, $0.01`);
    expect(r.stdout).toMatch(/111122223333 │ us-east-1 │ cloudtrail │ 2 +│ 1 +│ 1.5 GB │ \$0.0075/);
    expect(r.stdout).toContain('Total: 2.0 GB in 2 objects; at most $0.01 per run at $5/TB');
    const json = await cli([...ARGS, '--format', 'json'], { CASEBOOK_LOCATION: `s3://${BUCKET}/` });
    const e = JSON.parse(json.stdout) as { query: string; bytes: number; tables: { prefixes: { prefix: string }[] }[] };
    expect(e.query).toBe('who-deleted');
    expect(e.bytes).toBe(2000 * MB);
    expect(e.tables[0]!.prefixes).toHaveLength(4);
  });

  it('says where to give the location', async () => {
    const r = await cli(ARGS);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^casebook: estimate needs the S3 location of the cloudtrail logs: pass --location/);
  });
});
