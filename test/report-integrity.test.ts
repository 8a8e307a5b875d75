import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { S3RVER_CREDENTIALS, TestS3Server } from './support/s3-server.js';
import { signingKey, trailObjects, type SigningKey } from './support/trail-bucket.js';
import { writeFixtureLake, writeFixtureReport, FIXTURE_PERIOD } from './report-fixture.js';
import { S3Source } from '../src/bucket/source.js';
import { pullLake } from '../src/pull/pull.js';
import { openEngine, runReport } from '../src/index.js';
import type { Manifest } from '../src/reports/bundle.js';

const server = new TestS3Server();
const START = new Date('2024-03-10T20:00:00Z');
const PERIOD = '2024-03-10..2024-03-11';
const REPORT = `title: Trail evidence
description: Changes to audit logging over a pulled lake.
controls: ["CIS AWS Foundations 4.5"]
sections:
  - query: trail-tampering
    review: Every row is a change to audit logging.
`;
let key: SigningKey;
let tmp: string;
let lake: string;
let reportFile: string;
let keysFile: string;
let logKeys: string[];

function manifestOf(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  });
  key = signingKey();
  tmp = mkdtempSync(join(tmpdir(), 'casebook-report-integrity-'));
  await server.start();
  const trail = trailObjects({ bucket: 'logs', account: '111122223333', region: 'us-east-1', trail: 'main', start: START, hours: 4 }, key);
  logKeys = trail.logKeys;
  await server.bucket('logs', trail.objects);
  lake = join(tmp, 'lake');
  await pullLake({
    source: new S3Source(server.client, 'logs'),
    prefix: '',
    lake,
    tables: ['cloudtrail'],
    window: { since: new Date('2024-03-10T00:00:00Z'), until: new Date('2024-03-11T00:00:00Z') },
  });
  reportFile = writeFixtureReport(join(tmp, 'defs'), REPORT, 'trail-evidence');
  // What `aws cloudtrail list-public-keys` prints: the key's DER in base64.
  keysFile = join(tmp, 'public-keys.json');
  writeFileSync(
    keysFile,
    JSON.stringify({ PublicKeyList: [{ ...key.publicKey, Value: Buffer.from(key.publicKey.Value).toString('base64') }] }),
  );
}, 60_000);

afterAll(async () => {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a report carries the log file integrity validation of its period', () => {
  it('over a pulled lake with public keys: the result is in manifest.json, index.md and index.html', async () => {
    const out = join(tmp, 'valid');
    const r = await cli(['report', reportFile, '--period', PERIOD, '--lake', lake, '--public-keys', keysFile, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('log file integrity: VALID: digest files 4/4 valid; log files 8/8 valid');
    const m = manifestOf(out);
    expect(m.logIntegrity).toMatchObject({
      status: 'valid',
      publicKeys: keysFile,
      window: { since: '2024-03-10T00:00:00.000Z', until: '2024-03-11T00:00:00.000Z' },
      digests: { total: 4, valid: 4 },
      logs: { total: 8, valid: 8 },
      problems: [],
    });
    expect(m.logIntegrity!.chains).toEqual([expect.objectContaining({ trail: 'main', account: '111122223333', digests: 4 })]);
    // The coverage line per section is still there.
    expect(m.sections[0]!.coverage).toMatchObject({ checked: true, covered: ['2024-03-10'] });
    const md = read(out, 'index.md');
    expect(md).toContain(
      `Log file integrity: VALID: digest files 4/4 valid; log files 8/8 valid (trail main; public keys from ${keysFile})`,
    );
    expect(md).toContain('*Data: ');
    expect(read(out, 'index.html')).toContain(
      '<p class="muted integrity">Log file integrity: VALID: digest files 4/4 valid; log files 8/8 valid',
    );
    const v = await cli(['verify', out]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });

  it('over a pulled lake without public keys: says the signatures could not be checked', async () => {
    const out = join(tmp, 'no-keys');
    const r = await cli(['report', reportFile, '--period', PERIOD, '--lake', lake, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const m = manifestOf(out);
    expect(m.logIntegrity).toMatchObject({ status: 'not-validated' });
    expect(m.logIntegrity!.reason).toContain('--public-keys FILE');
    expect(read(out, 'index.md')).toContain(
      'Log file integrity: NOT VALIDATED: the digest signatures could not be checked without CloudTrail',
    );
  });

  it('a modified log file shows as a problem on the page', async () => {
    const file = join(lake, logKeys[0]!);
    const original = readFileSync(file);
    try {
      writeFileSync(file, gzipSync(Buffer.from(JSON.stringify({ Records: [] }))));
      const out = join(tmp, 'modified');
      const r = await cli(['report', reportFile, '--period', PERIOD, '--lake', lake, '--public-keys', keysFile, '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const m = manifestOf(out);
      expect(m.logIntegrity).toMatchObject({ status: 'problems', logs: { total: 8, valid: 7, byStatus: { modified: 1 } } });
      expect(m.logIntegrity!.problems).toEqual([expect.objectContaining({ key: logKeys[0], status: 'modified' })]);
      const md = read(out, 'index.md');
      expect(md).toContain('> **Log file integrity: PROBLEMS FOUND: digest files 4/4 valid; log files 7/8 valid (1 modified)');
      expect(read(out, 'index.html')).toContain('<p class="failed integrity" role="alert">Log file integrity: PROBLEMS FOUND');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('through the library, with public keys', async () => {
    const engine = await openEngine({ engine: 'duckdb', lake });
    try {
      const o = await runReport(reportFile, { engine, period: PERIOD, publicKeys: keysFile });
      expect(o.manifest.logIntegrity).toMatchObject({ status: 'valid', logs: { total: 8, valid: 8 } });
      expect(o.files.get('index.md')).toContain('Log file integrity: VALID');
    } finally {
      await engine.close();
    }
  });

  it('over a plain copy of a bucket: records why no validation could be made', async () => {
    const plain = join(tmp, 'plain-lake');
    writeFixtureLake(plain);
    const out = join(tmp, 'plain');
    const r = await cli([
      'report',
      writeFixtureReport(join(tmp, 'defs')),
      '--period',
      FIXTURE_PERIOD,
      '--allow-partial',
      '--lake',
      plain,
      '--public-keys',
      keysFile,
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const m = manifestOf(out);
    expect(m.logIntegrity).toMatchObject({
      status: 'not-validated',
      window: { since: '2024-03-01T00:00:00.000Z', until: '2024-03-04T00:00:00.000Z' },
    });
    expect(m.logIntegrity!.reason).toContain('loses the digest signatures');
    const md = read(out, 'index.md');
    expect(md).toContain(
      'Log file integrity: NOT VALIDATED: the lake is not a copy made by casebook pull, so it keeps no digest signatures; a plain copy of a bucket loses the digest signatures',
    );
    expect(read(out, 'index.html')).toContain(
      '<p class="failed integrity">Log file integrity: NOT VALIDATED: the lake is not a copy made by casebook pull',
    );
  });

  it('refuses --public-keys that cannot be read before running any query', async () => {
    const r = await cli([
      'report',
      reportFile,
      '--period',
      PERIOD,
      '--lake',
      lake,
      '--public-keys',
      join(tmp, 'absent.json'),
      '--out',
      join(tmp, 'never'),
      '--quiet',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--public-keys');
  });
});
