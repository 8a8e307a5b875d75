import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { cli } from './support/cli.js';
import { S3RVER_CREDENTIALS, TestS3Server } from './support/s3-server.js';
import { signDigest, signingKey, trailObjects, type SigningKey, type TrailSpec } from './support/trail-bucket.js';
import type { ValidationReport } from '../src/validate/validate.js';

const server = new TestS3Server();
const cloudtrail = mockClient(CloudTrailClient);
let key: SigningKey;
let otherKey: SigningKey;
let tmp: string;

const spec = (bucket: string, extra: Partial<TrailSpec> = {}): TrailSpec => ({
  bucket,
  account: '111122223333',
  region: 'us-east-1',
  trail: 'management',
  start: new Date('2024-03-10T20:00:00Z'),
  hours: 6,
  ...extra,
});

async function validate(location: string, ...more: string[]): Promise<{ code: number; report: ValidationReport; stderr: string }> {
  const r = await cli([
    'validate-logs',
    location,
    '--since',
    '2024-03-10',
    '--until',
    '2024-03-11',
    '--endpoint-url',
    server.endpoint,
    '--region',
    'us-east-1',
    '--format',
    'json',
    ...more,
  ]);
  expect(r.stdout, r.stderr).not.toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as ValidationReport, stderr: r.stderr };
}

function statusOf(report: ValidationReport, key: string): string | undefined {
  return report.results.find((r) => r.key === key)?.status;
}

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  });
  key = signingKey();
  otherKey = signingKey();
  cloudtrail.on(ListPublicKeysCommand).resolves({ PublicKeyList: [key.publicKey] });
  tmp = mkdtempSync(join(tmpdir(), 'casebook-validate-'));
  await server.start();
}, 60_000);

afterAll(async () => {
  cloudtrail.restore();
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('validate-logs on a bucket', () => {
  it('finds every digest valid and every log file intact in an untouched bucket, with public keys from ListPublicKeys', async () => {
    const t = trailObjects(spec('ct-clean'), key);
    await server.bucket('ct-clean', t.objects);
    const { code, report } = await validate('s3://ct-clean');
    expect(code, JSON.stringify({ ...report, results: report.results.filter((r) => r.status !== 'valid') })).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.digests).toMatchObject({ total: 6, valid: 6, problems: 0 });
    expect(report.logs).toMatchObject({ total: 12, valid: 12, problems: 0 });
    expect(report.chains).toEqual([
      expect.objectContaining({
        trail: 'management',
        account: '111122223333',
        region: 'us-east-1',
        digests: 6,
        firstDigestEnd: '2024-03-10T21:00:00Z',
        lastDigestEnd: '2024-03-11T02:00:00Z',
      }),
    ]);
    const call = cloudtrail.commandCalls(ListPublicKeysCommand)[0]!;
    expect(call.args[0].input.StartTime!.getTime()).toBeLessThanOrEqual(Date.parse('2024-03-10T00:00:00Z'));
  });

  it('reports a modified log file (same name, other content) and exits non-zero', async () => {
    const t = trailObjects(spec('ct-modified'), key);
    await server.bucket('ct-modified', t.objects);
    const victim = t.logKeys[3]!;
    const records = JSON.parse(gunzipSync(t.objects.find((o) => o.key === victim)!.body as Buffer).toString()) as { Records: unknown[] };
    records.Records.pop();
    await server.put('ct-modified', { key: victim, body: gzipSync(JSON.stringify(records)) });
    const { code, report } = await validate('s3://ct-modified');
    expect(code).toBe(1);
    expect(statusOf(report, victim)).toBe('modified');
    expect(report.logs).toMatchObject({ total: 12, valid: 11, byStatus: { modified: 1 } });
    expect(report.digests.problems).toBe(0);
  });

  it('reports a deleted log file as missing', async () => {
    const t = trailObjects(spec('ct-deleted-log'), key);
    await server.bucket('ct-deleted-log', t.objects);
    await server.delete('ct-deleted-log', t.logKeys[7]!);
    const { code, report } = await validate('s3://ct-deleted-log');
    expect(code).toBe(1);
    expect(statusOf(report, t.logKeys[7]!)).toBe('missing');
    expect(report.logs.byStatus).toEqual({ valid: 11, missing: 1 });
  });

  it('reports a deleted digest as missing and the chain broken after it; its log files are not covered', async () => {
    const t = trailObjects(spec('ct-gap'), key);
    await server.bucket('ct-gap', t.objects);
    await server.delete('ct-gap', t.digestKeys[2]!);
    const { code, report } = await validate('s3://ct-gap');
    expect(code).toBe(1);
    expect(statusOf(report, t.digestKeys[2]!)).toBe('missing');
    expect(statusOf(report, t.digestKeys[3]!)).toBe('chain-broken');
    expect(report.results.find((r) => r.key === t.digestKeys[3]!)!.detail).toContain('missing');
    expect(statusOf(report, t.logKeys[4]!)).toBe('not-covered');
    expect(statusOf(report, t.logKeys[5]!)).toBe('not-covered');
    expect(report.digests.byStatus).toEqual({ valid: 4, missing: 1, 'chain-broken': 1 });
    expect(report.logs.byStatus).toEqual({ valid: 10, 'not-covered': 2 });
  });

  it('reports a digest re-signed with another key: its signature is invalid, the next link breaks, its log files are unverified', async () => {
    const t = trailObjects(spec('ct-resigned'), key);
    await server.bucket('ct-resigned', t.objects);
    // Tamper with a log file, rewrite the digest to record the new hash, and re-sign it with a key CloudTrail never had.
    const victimDigest = t.digestKeys[1]!;
    const digest = JSON.parse(gunzipSync(t.objects.find((o) => o.key === victimDigest)!.body as Buffer).toString()) as {
      logFiles: { s3Object: string; hashValue: string }[];
    } & Parameters<typeof signDigest>[0];
    const forged = gzipSync(JSON.stringify({ Records: [] }));
    digest.logFiles[0]!.hashValue = (await import('node:crypto')).createHash('sha256').update(gunzipSync(forged)).digest('hex');
    await server.put('ct-resigned', { key: digest.logFiles[0]!.s3Object, body: forged });
    const resigned = signDigest(digest, otherKey);
    await server.put('ct-resigned', {
      key: victimDigest,
      body: resigned.body,
      metadata: { signature: resigned.signature, 'signature-algorithm': 'SHA256withRSA' },
    });
    const { code, report } = await validate('s3://ct-resigned');
    expect(code).toBe(1);
    expect(statusOf(report, victimDigest)).toBe('signature-invalid');
    expect(statusOf(report, t.digestKeys[2]!)).toBe('chain-broken');
    expect(statusOf(report, digest.logFiles[0]!.s3Object)).toBe('unverified');
    expect(statusOf(report, digest.logFiles[1]!.s3Object)).toBe('unverified');
    expect(report.logs.byStatus).toEqual({ valid: 10, unverified: 2 });
  });

  it('reports a log file that no digest lists as not covered', async () => {
    const t = trailObjects(spec('ct-extra'), key);
    await server.bucket('ct-extra', t.objects);
    const added = t.logKeys[0]!.replace(/_[A-Za-z0-9]+\.json\.gz$/, '_ADDED00000000000.json.gz');
    expect(added).not.toBe(t.logKeys[0]);
    await server.put('ct-extra', { key: added, body: t.objects.find((o) => o.key === t.logKeys[0])!.body });
    const { code, report } = await validate('s3://ct-extra');
    expect(code).toBe(1);
    expect(statusOf(report, added)).toBe('not-covered');
    expect(report.logs.byStatus).toEqual({ valid: 12, 'not-covered': 1 });
  });

  it('validates an organization trail under a Control Tower prefix with public keys from a file (offline)', async () => {
    const t = trailObjects(
      spec('ct-tower', {
        prefix: 'o-abcdef1234/',
        orgId: 'o-abcdef1234',
        account: '444455556666',
        trail: 'aws-controltower-BaselineCloudTrail',
      }),
      key,
    );
    await server.bucket('ct-tower', t.objects);
    const file = join(tmp, 'keys.json');
    writeFileSync(
      file,
      JSON.stringify({ PublicKeyList: [{ ...key.publicKey, Value: Buffer.from(key.publicKey.Value).toString('base64') }] }),
    );
    const before = cloudtrail.commandCalls(ListPublicKeysCommand).length;
    const { code, report } = await validate('s3://ct-tower', '--public-keys', file);
    expect(code).toBe(0);
    expect(report.digests.valid).toBe(6);
    expect(report.logs.valid).toBe(12);
    expect(report.chains[0]).toMatchObject({ orgId: 'o-abcdef1234', account: '444455556666' });
    expect(cloudtrail.commandCalls(ListPublicKeysCommand).length).toBe(before);
  });

  it('says so, and fails, when the window holds no digest', async () => {
    const r = await cli([
      'validate-logs',
      's3://ct-clean',
      '--since',
      '2023-01-01',
      '--until',
      '2023-01-02',
      '--endpoint-url',
      server.endpoint,
      '--region',
      'us-east-1',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT VALIDATED');
    expect(r.stderr).toContain('no digest files in the window');
  });
});
