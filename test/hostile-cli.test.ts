/**
 * Faults and hostile arguments through the CLI: what the user sees (exit code, the
 * one line on stderr) and what is left on disk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './support/cli.js';
import { tempDir } from './support/harness.js';
import { writeRecordsLake } from '../src/lake/records-lake.js';
import { parsePeriod, periodDays } from '../src/reports/period.js';
import { FIXTURE_PERIOD, fixtureCloudTrail, fixtureFlows, writeFixtureReport } from './report-fixture.js';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('unbounded durations and windows', () => {
  const now = new Date('2024-06-01T00:00:00Z');
  it.each([
    [
      ['render', 'trail-tampering', '--since', '99999999999w'],
      'casebook: trail-tampering: --since "99999999999w" reaches back more than 100 years (36525d); name a shorter duration\n',
    ],
    [
      ['render', 'trail-tampering', '--since', '1000-01-01', '--until', '9999-12-31'],
      'casebook: trail-tampering: --since/--until: 1000-01-01T00:00:00Z to 9999-12-31T00:00:00Z spans more than 100 years (36525 days); name a shorter window\n',
    ],
    [
      ['render', 'first-seen-principals', '--lookback', '100000000d'],
      'casebook: first-seen-principals: --lookback "100000000d" is longer than 100 years (36525d)\n',
    ],
    [
      ['render', 'first-seen-principals', '--lookback', '99999999999d'],
      'casebook: first-seen-principals: --lookback "99999999999d" is longer than 100 years (36525d)\n',
    ],
    [
      ['report', 'logging-integrity', '--period', '1000-01-01..9999-12-31', '--out', '/nonexistent/x'],
      'casebook: --period "1000-01-01..9999-12-31": 1000-01-01T00:00:00Z to 9999-12-31T00:00:00Z spans more than 100 years (36525 days); name a shorter window\n',
    ],
  ])('%j is a usage error (exit 2), at once', async (argv, stderr) => {
    const started = Date.now();
    const r = await cli(argv as string[], { now });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(stderr);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('years 0000-0099 keep their year in the partition predicate', async () => {
    const r = await cli(['render', 'trail-tampering', '--since', '0050-01-01', '--until', '0050-01-03'], { now });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("day BETWEEN '0050/01/01' AND '0050/01/03'");
    expect(r.stdout).not.toContain('1950');
    const p = parsePeriod('0050-Q1');
    expect([p.since.toISOString(), p.until.toISOString()]).toEqual(['0050-01-01T00:00:00.000Z', '0050-04-01T00:00:00.000Z']);
    expect(periodDays(parsePeriod('0099-12-31..0100-01-02'))).toEqual(['0099-12-31', '0100-01-01']);
  });
});

describe('report --force and sample --out never delete what casebook did not write', () => {
  const tmp = tempDir('casebook-hostile-cli-');
  const lake = join(tmp.dir, 'lake');
  let report = '';
  beforeAll(() => {
    writeRecordsLake(lake, { cloudtrail: fixtureCloudTrail(), vpc_flow_logs: fixtureFlows() });
    report = writeFixtureReport(join(tmp.dir, 'defs'));
  });
  afterAll(() => tmp.cleanup());

  it('report --force refuses a bundle holding a file the user added, and leaves it in place', async () => {
    const out = join(tmp.dir, 'bundle');
    const first = await cli(['report', report, '--period', FIXTURE_PERIOD, '--out', out, '--lake', lake, '--quiet', '--allow-partial']);
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(out, 'manifest.json.sig'), 'signature');
    mkdirSync(join(out, 'review'));
    writeFileSync(join(out, 'review', 'notes.md'), 'reviewed');
    const manifestBefore = readFileSync(join(out, 'manifest.json'), 'utf8');
    const forced = await cli([
      'report',
      report,
      '--period',
      FIXTURE_PERIOD,
      '--out',
      out,
      '--lake',
      lake,
      '--force',
      '--quiet',
      '--allow-partial',
    ]);
    expect(forced.code).toBe(2);
    expect(forced.stderr).toBe(
      `casebook: --out ${out} holds 2 files the earlier bundle did not write (manifest.json.sig, review/notes.md); --force replaces only casebook's own files: move them out first\n`,
    );
    expect(readFileSync(join(out, 'manifest.json.sig'), 'utf8')).toBe('signature');
    expect(readFileSync(join(out, 'review', 'notes.md'), 'utf8')).toBe('reviewed');
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(manifestBefore);
  });

  it('a report over hostile records writes neutralised section CSVs and an inert index.md', async () => {
    const hostileLake = join(tmp.dir, 'hostile-lake');
    const bob = fixtureCloudTrail()[0] as Record<string, unknown>;
    writeRecordsLake(hostileLake, {
      cloudtrail: [
        {
          ...bob,
          eventTime: '2024-03-02T09:00:00Z',
          eventName: 'StopLogging',
          userAgent: '=HYPERLINK("http://evil.example")',
          requestParameters: { name: '<script>alert(1)</script>\r| x |' },
          eventID: 'h1',
        },
      ],
      vpc_flow_logs: fixtureFlows(),
    });
    const out = join(tmp.dir, 'hostile-bundle');
    const r = await cli(['report', report, '--period', FIXTURE_PERIOD, '--out', out, '--lake', hostileLake, '--quiet', '--allow-partial']);
    expect(r.code, r.stderr).toBe(0);
    const csv = readFileSync(join(out, 'sections/01-trail-tampering.csv'), 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    const json = JSON.parse(readFileSync(join(out, 'sections/01-trail-tampering.json'), 'utf8')) as { useragent: string }[];
    expect(json[0]!.useragent).toBe('=HYPERLINK("http://evil.example")');
    const md = readFileSync(join(out, 'index.md'), 'utf8');
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\| x \\|');
    expect(md).not.toMatch(/\r/);
    expect(RAW_CONTROL.test(r.stdout + r.stderr)).toBe(false);
  });

  it('sample --out refuses a folder of logs holding an empty marker file, and deletes nothing', async () => {
    const out = join(tmp.dir, 'real-logs');
    writeRecordsLake(out, { cloudtrail: fixtureCloudTrail() });
    writeFileSync(join(out, 'casebook-sample.json'), '');
    const r = await cli(['sample', '--out', out, '--days', '1', '--scale', '0.01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `casebook: sample lake: ${out} holds a casebook-sample.json that casebook did not write; refusing to replace the folder. Delete it yourself or choose another directory.\n`,
    );
    expect(existsSync(join(out, 'AWSLogs', '111122223333', 'CloudTrail'))).toBe(true);
  });

  it('sample --out refuses a sample lake where log files were added', async () => {
    const out = join(tmp.dir, 'mixed');
    writeRecordsLake(out, { cloudtrail: fixtureCloudTrail() });
    writeFileSync(
      join(out, 'casebook-sample.json'),
      JSON.stringify({ format: 'casebook-sample-lake/1', status: 'complete', summary: { cloudtrailFiles: 1, flowFiles: 0 } }),
    );
    const r = await cli(['sample', '--out', out, '--days', '1', '--scale', '0.01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^casebook: sample lake: .*mixed\/AWSLogs holds \d+ files where the sample generator wrote 1; refusing to delete files it did not write\. Move them out or choose another directory\.\n$/,
    );
    expect(existsSync(join(out, 'AWSLogs', '111122223333', 'CloudTrail'))).toBe(true);
  });
});
