import { existsSync, mkdtempSync, readFileSync, rmSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { parse as parseYaml } from 'yaml';
import { cli } from './support/cli.js';
import { S3RVER_CREDENTIALS, TestS3Server } from './support/s3-server.js';
import { flowLogKey, flowLogText, signingKey, trailObjects, type SigningKey } from './support/trail-bucket.js';
import { LocalSource, S3Source } from '../src/bucket/source.js';
import { discover } from '../src/discover/discover.js';
import { pullLake } from '../src/pull/pull.js';
import { PULL_STATE_FILE } from '../src/pull/state.js';
import type { ValidationReport } from '../src/validate/validate.js';
import { lakeIntegrityEvidence } from '../src/validate/evidence.js';
import { publicKeysFromCloudTrail } from '../src/validate/public-keys.js';

const server = new TestS3Server();
const cloudtrail = mockClient(CloudTrailClient);
let key: SigningKey;
let tmp: string;
const START = new Date('2024-03-10T20:00:00Z');
const DEFAULT_FIELDS =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'.split(' ');
const CUSTOM_FIELDS =
  'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status flow-direction traffic-path'.split(
    ' ',
  );
const WINDOW = ['--since', '2024-03-10', '--until', '2024-03-11'];

function aws(): string[] {
  return ['--endpoint-url', server.endpoint, '--region', 'us-east-1'];
}

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  });
  key = signingKey();
  cloudtrail.on(ListPublicKeysCommand).resolves({ PublicKeyList: [key.publicKey] });
  tmp = mkdtempSync(join(tmpdir(), 'casebook-pull-'));
  await server.start();
  const at = START.getTime() + 30 * 60_000;
  // A single account under a custom prefix: a trail with digests, two flow logs (default and custom format), another day earlier.
  const single = trailObjects(
    { bucket: 'logs-single', prefix: 'corp/audit/', account: '111122223333', region: 'us-east-1', trail: 'main', start: START, hours: 4 },
    key,
  );
  const early = trailObjects(
    {
      bucket: 'logs-single',
      prefix: 'corp/audit/',
      account: '111122223333',
      region: 'eu-west-1',
      trail: 'main',
      start: new Date('2024-01-05T10:00:00Z'),
      hours: 1,
    },
    key,
  );
  await server.bucket('logs-single', [
    ...single.objects,
    ...early.objects,
    {
      key: flowLogKey({ prefix: 'corp/audit/', account: '111122223333', region: 'us-east-1', flowLogId: 'fl-0default0000000', at }),
      body: flowLogText(DEFAULT_FIELDS, [
        [
          '2',
          '111122223333',
          'eni-1',
          '10.0.0.1',
          '10.0.0.2',
          '443',
          '50000',
          '6',
          '10',
          '840',
          '1710101000',
          '1710101060',
          'ACCEPT',
          'OK',
        ],
      ]),
    },
    {
      key: flowLogKey({ prefix: 'corp/audit/', account: '111122223333', region: 'us-east-1', flowLogId: 'fl-0custom00000000', at }),
      body: flowLogText(CUSTOM_FIELDS, []),
    },
  ]);
  // An organization trail, two accounts, and Hive-prefixed hourly Parquet flow logs.
  const orgA = trailObjects(
    { bucket: 'logs-org', orgId: 'o-aaaabbbbcc', account: '222233334444', region: 'us-east-1', trail: 'org-trail', start: START, hours: 2 },
    key,
  );
  const orgB = trailObjects(
    {
      bucket: 'logs-org',
      orgId: 'o-aaaabbbbcc',
      account: '555566667777',
      region: 'eu-central-1',
      trail: 'org-trail',
      start: START,
      hours: 2,
    },
    key,
  );
  await server.bucket('logs-org', [
    ...orgA.objects,
    ...orgB.objects,
    {
      key: flowLogKey({
        account: '222233334444',
        region: 'us-east-1',
        flowLogId: 'fl-0parquet0000000',
        at,
        hive: true,
        hourly: true,
        parquet: true,
      }),
      body: 'PAR1',
    },
  ]);
  // Control Tower: o-xxxx/AWSLogs/o-xxxx/<account>/...
  const tower = trailObjects(
    {
      bucket: 'logs-tower',
      prefix: 'o-ccccddddee/',
      orgId: 'o-ccccddddee',
      account: '888899990000',
      region: 'us-west-2',
      trail: 'aws-controltower-BaselineCloudTrail',
      start: START,
      hours: 3,
    },
    key,
  );
  await server.bucket('logs-tower', tower.objects);
}, 60_000);

afterAll(async () => {
  cloudtrail.restore();
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('discover', () => {
  it("finds a custom prefix, a single-account trail, its digests, regions, days and the flow logs' formats by listing folders", async () => {
    const r = await cli(['discover', 's3://logs-single', '--format', 'json', ...aws()]);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.roots).toHaveLength(1);
    const root = d.roots[0];
    expect(root).toMatchObject({ prefix: 'corp/audit/', location: 's3://logs-single/corp/audit/', layout: 'single-account' });
    const ct = root.services.find((s: { service: string }) => s.service === 'CloudTrail');
    expect(ct).toMatchObject({
      table: 'cloudtrail',
      accounts: ['111122223333'],
      regions: ['eu-west-1', 'us-east-1'],
      firstDay: '2024/01/05',
      lastDay: '2024/03/10',
    });
    const digests = root.services.find((s: { service: string }) => s.service === 'CloudTrail-Digest');
    expect(digests.folders.map((f: { trails: string[] }) => f.trails)).toEqual([['main'], ['main']]);
    const flows = root.services.find((s: { service: string }) => s.service === 'vpcflowlogs');
    expect(flows.folders[0].flowLogs).toEqual([
      expect.objectContaining({ id: 'fl-0custom00000000', fileFormat: 'text', fields: CUSTOM_FIELDS }),
      expect.objectContaining({ id: 'fl-0default0000000', fileFormat: 'text', fields: DEFAULT_FIELDS }),
    ]);
    expect(d.lake).toEqual({
      location: 's3://logs-single/corp/audit/',
      accounts: ['111122223333'],
      regions: ['eu-west-1', 'us-east-1'],
      'hive-prefixes': false,
      hourly: false,
      parquet: false,
    });
  });

  it('tells an organization trail from a Control Tower one, and reads Hive-prefixed hourly Parquet flow logs', async () => {
    const s3 = server.client;
    const org = await discover(new S3Source(s3, 'logs-org'), { strict: true });
    expect(org.roots[0]).toMatchObject({ prefix: '', layout: 'organization', orgIds: ['o-aaaabbbbcc'] });
    const ct = org.roots[0]!.services.find((s) => s.service === 'CloudTrail')!;
    expect(ct.accounts).toEqual(['222233334444', '555566667777']);
    const flows = org.roots[0]!.services.find((s) => s.service === 'vpcflowlogs')!;
    expect(flows.folders[0]).toMatchObject({
      hivePrefixes: true,
      hourly: true,
      firstDay: '2024/03/10',
      flowLogs: [expect.objectContaining({ id: 'fl-0parquet0000000', fileFormat: 'parquet' })],
    });
    const tower = await discover(new S3Source(s3, 'logs-tower'), { strict: true });
    expect(tower.roots[0]).toMatchObject({ prefix: 'o-ccccddddee/', layout: 'control-tower', orgIds: ['o-ccccddddee'] });
  });

  it('writes the lake: section of the config file, keeping its other keys', async () => {
    const file = join(tmp, 'casebook.config.yaml');
    writeFileSync(file, '# my settings\nathena:\n  workgroup: security\nlake:\n  regions: [ap-south-1]\n');
    const r = await cli(['discover', 's3://logs-tower', '--write-config', '--config', file, ...aws()]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# my settings');
    expect(parseYaml(text)).toEqual({
      athena: { workgroup: 'security' },
      lake: { regions: ['us-west-2'], location: 's3://logs-tower/o-ccccddddee/', accounts: ['888899990000'], 'org-id': 'o-ccccddddee' },
    });
  });

  it('writes a new config file named by --config', async () => {
    const file = join(tmp, 'new-casebook.config.yaml');
    const r = await cli(['discover', 's3://logs-tower', '--write-config', '--config', file, ...aws()]);
    expect(r.code, r.stderr).toBe(0);
    expect(parseYaml(readFileSync(file, 'utf8'))).toEqual({
      lake: { regions: ['us-west-2'], location: 's3://logs-tower/o-ccccddddee/', accounts: ['888899990000'], 'org-id': 'o-ccccddddee' },
    });
  });

  it('reads the real sample lake', async () => {
    const d = await discover(new LocalSource('/work/shared/data/real-lake'));
    const root = d.roots[0]!;
    expect(root.prefix).toBe('');
    const ct = root.services.find((s) => s.service === 'CloudTrail')!;
    expect(ct.accounts.length).toBeGreaterThan(5);
    expect(ct.firstDay! <= ct.lastDay!).toBe(true);
    const flows = root.services.find((s) => s.service === 'vpcflowlogs')!;
    expect(flows.folders.flatMap((f) => f.flowLogs!.map((x) => x.fields))).toEqual([DEFAULT_FIELDS, DEFAULT_FIELDS]);
  });
});

describe('pull, then validate the lake', () => {
  it("pulls the window's day prefixes and digest signatures, resumes an interrupted pull, skips what is there, and the lake validates", async () => {
    const lake = join(tmp, 'lake-single');
    const source = new S3Source(server.client, 'logs-single');
    const window = { since: new Date('2024-03-10T00:00:00Z'), until: new Date('2024-03-11T00:00:00Z') };
    let n = 0;
    await expect(
      pullLake({
        source,
        prefix: '',
        lake,
        window,
        tables: ['cloudtrail', 'vpc_flow_logs'],
        concurrency: 1,
        onObject: () => {
          if (++n === 5) throw new Error('connection lost');
        },
      }),
    ).rejects.toThrow('connection lost');
    // A half-written file from the interruption is replaced, not trusted.
    const state = JSON.parse(readFileSync(join(lake, PULL_STATE_FILE), 'utf8'));
    expect(Object.keys(state.objects)).toHaveLength(5);
    expect(state).toMatchObject({ bucket: 'logs-single', prefix: 'corp/audit/' });

    const r = await cli(['pull', 's3://logs-single', '--lake', lake, ...WINDOW, ...aws()]);
    expect(r.code, r.stderr).toBe(0);
    // 4 hours: 8 log files, 4 digests; 2 flow-log files; not the January day.
    expect(r.stdout).toContain('14 objects under');
    expect(r.stdout).toContain('9 downloaded');
    expect(r.stdout).toContain('5 already here');
    expect(existsSync(join(lake, 'AWSLogs/111122223333/CloudTrail/eu-west-1'))).toBe(false);
    const digestDir = join(lake, 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/10');
    const sidecars = readdirSync(digestDir).filter((f) => f.endsWith('.meta.json'));
    expect(sidecars.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(digestDir, sidecars[0]!), 'utf8')).metadata).toMatchObject({
      'signature-algorithm': 'SHA256withRSA',
    });

    const again = await cli(['pull', 's3://logs-single', '--lake', lake, ...WINDOW, ...aws()]);
    expect(again.stdout).toContain('0 downloaded');
    expect(again.stdout).toContain('14 already here');

    const v = await cli(['validate-logs', '--lake', lake, ...WINDOW, ...aws(), '--format', 'json']);
    expect(v.code, v.stdout).toBe(0);
    const report = JSON.parse(v.stdout) as ValidationReport;
    expect(report.digests).toMatchObject({ total: 4, valid: 4 });
    expect(report.logs).toMatchObject({ total: 8, valid: 8 });

    // A plain copy keeps no signatures: validation says why it cannot vouch for the files.
    for (const f of sidecars) unlinkSync(join(digestDir, f));
    const plain = await cli(['validate-logs', '--lake', lake, ...WINDOW, ...aws()]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain("no signature in the object's metadata");
  });

  it('pulls only the tables, accounts and regions asked for', async () => {
    const lake = join(tmp, 'lake-org');
    const r = await cli([
      'pull',
      's3://logs-org',
      '--lake',
      lake,
      ...WINDOW,
      '--tables',
      'cloudtrail',
      '--accounts',
      '555566667777',
      '--quiet',
      ...aws(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(lake, 'AWSLogs/o-aaaabbbbcc/555566667777/CloudTrail/eu-central-1/2024/03/10'))).toBe(true);
    expect(existsSync(join(lake, 'AWSLogs/o-aaaabbbbcc/222233334444'))).toBe(false);
    expect(existsSync(join(lake, 'AWSLogs/aws-account-id=222233334444'))).toBe(false);
    expect(r.stderr).toBe('');
  });

  it('gives a report the validation of its period, or says why it cannot', async () => {
    const window = { since: new Date('2024-03-10T00:00:00Z'), until: new Date('2024-03-11T00:00:00Z') };
    const keys = publicKeysFromCloudTrail(() => new CloudTrailClient({ region: 'us-east-1' }), window);
    const pulled = await lakeIntegrityEvidence({ lake: join(tmp, 'lake-org'), window, keys });
    expect(pulled).toMatchObject({ status: 'valid', digests: { total: 2, valid: 2 }, logs: { total: 4, valid: 4 }, problems: [] });
    expect(pulled.summary).toBe('VALID: digest files 2/2 valid; log files 4/4 valid');
    const plain = await lakeIntegrityEvidence({ lake: '/work/shared/data/real-lake', window, keys });
    expect(plain.status).toBe('not-validated');
    expect(plain.reason).toContain('casebook pull');
  });
});
