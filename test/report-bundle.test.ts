import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cli } from './support/cli.js';
import { tempDir } from './support/harness.js';
import { FIXTURE_PERIOD, writeFixtureLake, writeFixtureReport } from './report-fixture.js';
import { VERSION } from '../src/version.js';
import type { Manifest } from '../src/reports/bundle.js';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

function files(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...files(join(dir, e.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

function manifestOf(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

describe('casebook report: the bundle', () => {
  const tmp = tempDir('casebook-report-');
  const lake = join(tmp.dir, 'lake');
  let reportFile: string;
  const out1 = join(tmp.dir, 'run1');
  const out2 = join(tmp.dir, 'run2');
  let first: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    writeFixtureLake(lake);
    reportFile = writeFixtureReport(join(tmp.dir, 'defs'));
    first = await cli(['report', reportFile, '--period', FIXTURE_PERIOD, '--allow-partial', '--out', out1, '--lake', lake]);
  });
  afterAll(() => tmp.cleanup());

  it('writes every file and exits 0 when all sections run', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(files(out1)).toEqual([
      'SHA256SUMS',
      'charts/01-trail-tampering.svg',
      'charts/02-access-denied.svg',
      'charts/03-top-talkers.svg',
      'index.html',
      'index.md',
      'manifest.json',
      'report.yaml',
      'sections/01-trail-tampering.csv',
      'sections/01-trail-tampering.json',
      'sections/01-trail-tampering.sql',
      'sections/02-access-denied.csv',
      'sections/02-access-denied.json',
      'sections/02-access-denied.sql',
      'sections/03-top-talkers.csv',
      'sections/03-top-talkers.json',
      'sections/03-top-talkers.sql',
    ]);
    expect(first.stdout).toMatch(/ 1\. trail-tampering +151 rows/);
    expect(first.stdout).toMatch(/manifest\.json SHA-256 [0-9a-f]{64}/);
    expect(first.stderr).toContain('[3/3] top-talkers: 10 rows');
    // Nothing left beside the bundle: the temporary directory was renamed into place.
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('records what ran, where and when in manifest.json, with the SHA-256 of every other file', () => {
    const m = manifestOf(out1);
    expect(m.format).toBe('casebook-evidence-bundle/1');
    expect(m.tool).toEqual({ name: 'casebook', version: VERSION });
    expect(m.status).toBe('ok');
    expect(m.report.name).toBe('fixture-report');
    expect(m.report.controls).toEqual(['CIS AWS Foundations 4.5', 'SOC 2 CC7.2']);
    expect(m.report.sha256).toBe(sha(reportFile));
    expect(m.report.definition).toBe(readFileSync(reportFile, 'utf8'));
    expect(m.period).toEqual({
      spec: FIXTURE_PERIOD,
      since: '2024-03-01T00:00:00Z',
      until: '2024-03-04T00:00:00Z',
      timezone: 'UTC',
      end: 'exclusive',
    });
    expect(m.engine).toEqual({ name: 'duckdb', lake });
    expect(Date.parse(m.generatedAt)).not.toBeNaN();
    expect(m.sections.map((s) => [s.key, s.status, s.rowCount])).toEqual([
      ['01-trail-tampering', 'ok', 151],
      ['02-access-denied', 'ok', 2],
      ['03-top-talkers', 'ok', 10],
    ]);
    const s1 = m.sections[0]!;
    expect(s1.sql).toContain("eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-04T00:00:00Z'");
    expect(s1.params).toMatchObject({ include_failed: true, limit: 1000, since: '2024-03-01T00:00:00Z', until: '2024-03-04T00:00:00Z' });
    expect(s1.filesRead).toBeGreaterThan(0);
    expect(s1.bytesRead).toBeGreaterThan(0);
    expect(s1.queryExecutionId).toBeNull();
    expect(Date.parse(s1.finishedAt)).toBeGreaterThanOrEqual(Date.parse(s1.startedAt));
    expect(m.sections[2]!.limitReached).toBe(10);
    expect(s1.columns.map((c) => c.name)).toEqual([
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
      'target',
      'eventid',
    ]);
    // Every file but manifest.json and SHA256SUMS is listed, with its true hash and size.
    const listed = Object.keys(m.files).sort();
    expect(listed).toEqual(files(out1).filter((f) => f !== 'manifest.json' && f !== 'SHA256SUMS'));
    for (const f of listed) {
      expect(m.files[f]!.sha256, f).toBe(sha(join(out1, f)));
      expect(m.files[f]!.bytes, f).toBe(readFileSync(join(out1, f)).length);
    }
    // SHA256SUMS covers the manifest too, in sha256sum's format.
    const sums = readFileSync(join(out1, 'SHA256SUMS'), 'utf8');
    expect(sums).toContain(`${sha(join(out1, 'manifest.json'))}  manifest.json\n`);
    expect(sums.trim().split('\n')).toHaveLength(listed.length + 1);
  });

  it('writes section files as CSV and JSON in column order, with the exact SQL', () => {
    const csv = readFileSync(join(out1, 'sections/03-top-talkers.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('srcaddr,dstaddr,bytes,packets,flows');
    expect(csv[1]).toBe('10.0.2.15,203.0.113.200,5000000000,3500000,1');
    expect(csv).toHaveLength(11);
    const json = JSON.parse(readFileSync(join(out1, 'sections/02-access-denied.json'), 'utf8')) as Record<string, unknown>[];
    expect(Object.keys(json[0]!)).toEqual(manifestOf(out1).sections[1]!.columns.map((c) => c.name));
    expect(json[0]).toMatchObject({ principal: 'arn:aws:iam::111122223333:user/mallory', denied_calls: 5 });
    const sql = readFileSync(join(out1, 'sections/01-trail-tampering.sql'), 'utf8');
    expect(sql).toContain(manifestOf(out1).sections[0]!.sql.trim());
    expect(sql).toMatch(/^-- casebook report fixture-report, section 1: trail-tampering/);
  });

  it('gives identical section files over the same data: two runs compare by hash', async () => {
    const second = await cli(
      ['report', reportFile, '--period', FIXTURE_PERIOD, '--allow-partial', '--out', out2, '--lake', lake, '--quiet'],
      { now: new Date('2030-01-01T00:00:00Z') },
    );
    expect(second.code, second.stderr).toBe(0);
    const a = manifestOf(out1).files;
    const b = manifestOf(out2).files;
    const data = Object.keys(a).filter((f) => f.startsWith('sections/') || f.startsWith('charts/') || f === 'report.yaml');
    expect(data.length).toBe(13);
    for (const f of data) expect(b[f]?.sha256, f).toBe(a[f]!.sha256);
    // Time stamps live only in the manifest and the page header.
    for (const f of data) expect(readFileSync(join(out2, f), 'utf8'), f).not.toContain('2030-01-01');
    expect(readFileSync(join(out2, 'index.html'), 'utf8')).toContain('2030-01-01T00:00:00Z');
  });

  it('puts header, guidance, tables, charts and truncation notes in index.html, self-contained', () => {
    const html = readFileSync(join(out1, 'index.html'), 'utf8');
    expect(html).toContain('<h1>Fixture evidence report</h1>');
    expect(html).toContain('<li>CIS AWS Foundations 4.5</li><li>SOC 2 CC7.2</li>');
    expect(html).toContain('2024-03-01..2024-03-04: 2024-03-01T00:00:00Z to 2024-03-04T00:00:00Z (end excluded), UTC');
    expect(html).toContain(`over the local copy of the log bucket at ${lake}`);
    expect(html).toContain(`casebook ${VERSION}`);
    expect(html).toContain('What to look for:</strong> Every row is a change to audit logging');
    expect(html).toContain('<h2>2. Denied calls</h2>');
    expect(html).toContain('Showing the first 100 of 151 rows; all rows are in sections/01-trail-tampering.csv');
    expect(html).toContain('The query stopped at its limit of 10 rows');
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    expect((html.match(/<tr>/g) ?? []).length).toBeGreaterThan(100);
    // Nothing to fetch: no scripts, no external stylesheets, fonts or images.
    expect(html).not.toMatch(/<script|<link|@import|url\(|(src|href)="(https?:)?\/\//i);
    const md = readFileSync(join(out1, 'index.md'), 'utf8');
    expect(md).toContain('# Fixture evidence report');
    expect(md).toContain('![Trail changes per day](charts/01-trail-tampering.svg)');
    expect(md).toContain('> **What to look for:** The largest pair to an internet address is the one to explain.');
    expect(md).toContain('| 10.0.2.15 | 203.0.113.200 | 5000000000 | 3500000 | 1 |');
  });

  it('refuses a non-empty --out, replaces an earlier bundle with --force, never a directory of something else', async () => {
    const again = await cli(['report', reportFile, '--period', FIXTURE_PERIOD, '--allow-partial', '--out', out1, '--lake', lake]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--out .*run1 is not empty; choose a new directory, or add --force/);
    const before = manifestOf(out1).generatedAt;
    const forced = await cli(
      ['report', reportFile, '--period', FIXTURE_PERIOD, '--allow-partial', '--out', out1, '--lake', lake, '--force', '--quiet'],
      { now: new Date('2031-05-05T00:00:00Z') },
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(manifestOf(out1).generatedAt).not.toBe(before);
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('.'))).toEqual([]);
    const other = join(tmp.dir, 'not-a-bundle');
    mkdirSync(other);
    writeFileSync(join(other, 'precious.txt'), 'keep me');
    const refused = await cli(['report', reportFile, '--period', FIXTURE_PERIOD, '--out', other, '--lake', lake, '--force']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not a casebook bundle');
    expect(readFileSync(join(other, 'precious.txt'), 'utf8')).toBe('keep me');
  });

  it('names the mistake in one line: unknown report, bad period, missing options', async () => {
    const unknown = await cli(['report', 'logging-integrty', '--period', '2024-01', '--out', join(tmp.dir, 'x')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown report "logging-integrty" \(did you mean logging-integrity\?\)/);
    const period = await cli(['report', reportFile, '--period', '2024-13', '--out', join(tmp.dir, 'x'), '--lake', lake]);
    expect(period.code).toBe(2);
    expect(period.stderr).toContain('month 13 does not exist');
    const noOut = await cli(['report', reportFile, '--period', '2024-01', '--lake', lake]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out');
    expect(existsSync(join(tmp.dir, 'x'))).toBe(false);
  });

  it('lists the reports when no name is given', async () => {
    const r = await cli(['report']);
    expect(r.code).toBe(0);
    for (const name of ['privileged-iam-changes', 'root-console-access', 'logging-integrity', 'network-exposure', 'data-transfer-cost'])
      expect(r.stdout).toContain(name);
  });
});

describe('casebook report: a section that fails', () => {
  const tmp = tempDir('casebook-report-fail-');
  afterAll(() => tmp.cleanup());

  it('is recorded in the manifest and the page, the rest is written, and the command exits non-zero', async () => {
    const lake = join(tmp.dir, 'lake');
    writeFixtureLake(lake);
    // A truncated flow-log file in the period: the flow-log section cannot run, the CloudTrail ones can.
    const dir = join(lake, 'AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/02');
    mkdirSync(dir, { recursive: true });
    const bad = join(dir, '111122223333_vpcflowlogs_us-east-1_fl-0bad_20240302T1300Z_deadbeef.log.gz');
    writeFileSync(
      bad,
      gzipSync(
        'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 111122223333 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1709380800 1709380860 ACCEPT OK\n',
      ).subarray(0, 40),
    );
    const report = writeFixtureReport(join(tmp.dir, 'defs'));
    const out = join(tmp.dir, 'bundle');
    const r = await cli(['report', report, '--period', FIXTURE_PERIOD, '--out', out, '--lake', lake]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /casebook: report fixture-report: 1 of 3 sections failed \(top-talkers\); the bundle at .* records the failure and is incomplete/,
    );
    const m = manifestOf(out);
    expect(m.status).toBe('failed');
    const failed = m.sections[2]!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(bad);
    expect(failed.rowCount).toBeNull();
    expect(failed.files).toEqual(['sections/03-top-talkers.sql']);
    expect(m.sections.slice(0, 2).map((s) => s.status)).toEqual(['ok', 'ok']);
    expect(existsSync(join(out, 'sections/01-trail-tampering.csv'))).toBe(true);
    expect(existsSync(join(out, 'sections/03-top-talkers.csv'))).toBe(false);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('1 of 3 sections FAILED: top-talkers. This report is incomplete.');
    expect(html).toContain('<section class="report-section" id="03-top-talkers" data-status="failed">');
    expect(html).toContain('This section failed; its result is missing from this report.');
    expect(readFileSync(join(out, 'index.md'), 'utf8')).toContain('| 3 | Top talkers by bytes | `top-talkers` | – | **FAILED** |');
    // Still a sound bundle: verify passes, and says the report records a failure.
    const v = await cli(['verify', out]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('note: the report itself records 1 failed section(s): top-talkers');
  });
});

describe('casebook report: a period the data covers only in part', () => {
  const tmp = tempDir('casebook-report-partial-');
  afterAll(() => tmp.cleanup());

  it("states each section's days, warns on the page, in index.md and the manifest, and exits 1 unless --allow-partial", async () => {
    const lake = join(tmp.dir, 'lake');
    writeFixtureLake(lake);
    const report = writeFixtureReport(join(tmp.dir, 'defs'));
    // CloudTrail has files for all three days; the flow logs only for 2024-03-02.
    const out = join(tmp.dir, 'partial');
    const r = await cli(['report', report, '--period', FIXTURE_PERIOD, '--out', out, '--lake', lake]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('WARNING: the data does not cover the whole period');
    expect(r.stderr).toMatch(/the data covers only part of the period 2024-03-01\.\.2024-03-04; .* pass --allow-partial to accept it/);
    expect(r.stdout).toMatch(/top-talkers +10 rows \(PARTIAL: data for 1 of 3 days\)$/m);
    expect(r.stderr).toMatch(/top-talkers: 10 rows, [\d.]+ s; PARTIAL: data for 1 of 3 days$/m);
    const m = manifestOf(out);
    expect(m.status).toBe('ok');
    expect(m.coverage).toBe('partial');
    expect(m.coverageWarning).toMatch(/^WARNING: the data does not cover the whole period: 1 of 3 sections/);
    expect(m.sections[0]!.coverage).toMatchObject({
      checked: true,
      days: 3,
      covered: ['2024-03-01', '2024-03-02', '2024-03-03'],
      missing: [],
    });
    expect(m.sections[2]!.coverage).toMatchObject({
      checked: true,
      days: 3,
      covered: ['2024-03-02'],
      missing: ['2024-03-01', '2024-03-03'],
    });
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).not.toContain('All 3 sections ran.');
    expect(html).toContain('All 3 sections ran, but 1 has no data for part of the period: top-talkers. This report is incomplete.');
    expect(html).toContain('<div class="failed partial" role="alert"><strong>WARNING: the data does not cover the whole period');
    expect(html).toContain('Data: data for all 3 days of the period (days with log files in the lake)');
    const md = readFileSync(join(out, 'index.md'), 'utf8');
    expect(md).toContain('> **WARNING: the data does not cover the whole period');
    expect(md).toContain('| 3 | Top talkers by bytes | `top-talkers` | 10 | **PARTIAL** |');
    expect((await cli(['verify', out, '--quiet'])).code).toBe(0);

    const allowed = await cli([
      'report',
      report,
      '--period',
      FIXTURE_PERIOD,
      '--out',
      join(tmp.dir, 'allowed'),
      '--lake',
      lake,
      '--allow-partial',
      '--quiet',
    ]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toContain('WARNING: the data does not cover the whole period');
  });

  it('fails a section whose tables have no file on any day of the period, naming the days the lake holds', async () => {
    const lake = join(tmp.dir, 'lake2');
    writeFixtureLake(lake);
    const report = writeFixtureReport(join(tmp.dir, 'defs2'));
    const r = await cli(['report', report, '--period', '2024-Q1', '--out', join(tmp.dir, 'q1'), '--lake', lake, '--quiet']);
    expect(r.code).toBe(1);
    const r2 = await cli(['report', report, '--period', '2023-05', '--out', join(tmp.dir, 'may'), '--lake', lake, '--quiet']);
    expect(r2.code).toBe(1);
    const m = manifestOf(join(tmp.dir, 'may'));
    expect(m.sections[0]!.error).toBe(
      'the lake holds no cloudtrail log files for any day of the period 2023-05; the data holds 2024-03-01..2024-03-03: choose a --period within it (a month such as 2024-05, FROM..TO, or last-7d)',
    );
    expect(m.sections[0]!.error).not.toContain('--since');
  });

  it('takes last-Nd: the N whole UTC days before today, named as the absolute period', async () => {
    const { parsePeriod } = await import('../src/reports/period.js');
    const p = parsePeriod('last-7d', new Date('2024-03-10T15:30:00Z'));
    expect(p).toMatchObject({ spec: '2024-03-03..2024-03-10', asGiven: 'last-7d' });
    expect(p.since.toISOString()).toBe('2024-03-03T00:00:00.000Z');
    expect(p.until.toISOString()).toBe('2024-03-10T00:00:00.000Z');
    expect(() => parsePeriod('last-0d')).toThrow(/at least one day/);
    expect(() => parsePeriod('7d')).toThrow(/not a period/);
  });
});
