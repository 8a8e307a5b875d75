/** Tables at fixed terminal widths (80, 100, 160) and piped: fitted, never cut, stable when piped. */
import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable, wrapText } from '../src/format/table.js';
import { formatTable } from '../src/format/format.js';
import type { QueryResult } from '../src/engines/engine.js';
import { exec } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';
import { loadPack } from '../src/pack/load.js';

const COUNT = loadPack().queries.length;

const ARN = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com';
const UA = 'aws-cli/2.15.0 Python/3.11.6 Linux/5.15.0-1051-aws exe/x86_64.ubuntu.22 prompt/off command/s3api.delete-bucket';

const wideResult: QueryResult = {
  columns: ['eventtime', 'principal', 'eventname', 'sourceipaddress', 'useragent', 'bytes'].map((name) => ({
    name,
    type: name === 'bytes' ? 'bigint' : 'varchar',
  })),
  rows: [
    {
      eventtime: '2024-03-01T10:00:00Z',
      principal: ARN,
      eventname: 'DeleteBucket',
      sourceipaddress: '203.0.113.66',
      useragent: UA,
      bytes: 48000000000,
    },
    {
      eventtime: '2024-03-01T10:05:00Z',
      principal: 'arn:aws:iam::111122223333:user/mallory',
      eventname: 'DeleteTrail',
      sourceipaddress: 'AWS Internal',
      useragent: 'console.amazonaws.com',
      bytes: 7,
    },
  ],
  stats: { engine: 'test', elapsedMs: 0, rows: 2 },
};

const narrowResult: QueryResult = {
  columns: [
    { name: 'srcaddr', type: 'varchar' },
    { name: 'dstaddr', type: 'varchar' },
    { name: 'bytes', type: 'bigint' },
  ],
  rows: [
    { srcaddr: '10.0.2.15', dstaddr: '203.0.113.200', bytes: 48000000000 },
    { srcaddr: '10.0.1.25', dstaddr: '192.0.2.45', bytes: 87 },
  ],
  stats: { engine: 'test', elapsedMs: 0, rows: 2 },
};

const maxWidth = (text: string) => Math.max(...text.split('\n').map(displayWidth));

describe('result tables', () => {
  it('piped: the whole table, every value whole, the same bytes whatever the terminal', () => {
    const piped = formatTable(wideResult);
    expect(piped).toContain(`│ ${ARN} │`);
    expect(piped).toContain(UA);
    expect(piped).not.toContain('…');
    expect(maxWidth(piped)).toBeGreaterThan(200);
    // No width given means none is used: the environment cannot change it.
    const saved = process.stdout.columns;
    try {
      (process.stdout as { columns?: number }).columns = 40;
      expect(formatTable(wideResult)).toBe(piped);
    } finally {
      (process.stdout as { columns?: number }).columns = saved;
    }
  });

  it.each([80, 100, 160])('at %i columns: a table that fits is the box table, numbers right-aligned', (width) => {
    const text = formatTable(narrowResult, { width });
    expect(text).toBe(formatTable(narrowResult));
    expect(text.split('\n')[3]).toBe('│ 10.0.2.15 │ 203.0.113.200 │ 48000000000 │');
    expect(text.split('\n')[4]).toBe('│ 10.0.1.25 │ 192.0.2.45    │          87 │');
    expect(maxWidth(text)).toBeLessThanOrEqual(width);
  });

  it.each([80, 100, 160])('at %i columns: a row that cannot fit becomes one block per record, no value cut', (width) => {
    const text = formatTable(wideResult, { width });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^─\[ 1 of 2 \]─+$/);
    expect(lines).toContain(`principal        ${ARN}`);
    expect(lines).toContain(`useragent        ${UA}`);
    expect(lines).toContain('bytes            48000000000');
    expect(lines).toContain('sourceipaddress  AWS Internal');
    expect(text).not.toContain('…');
    expect(text).not.toMatch(/[┌│└]/);
    // Only the values longer than the terminal itself pass its width (the terminal wraps them; they stay whole).
    for (const l of lines) if (displayWidth(l) > width) expect([ARN, UA].some((v) => l.endsWith(v))).toBe(true);
  });

  it('--wide keeps the table however narrow the terminal', () => {
    expect(formatTable(wideResult, { width: 80, wide: true })).toBe(formatTable(wideResult));
  });

  it('wraps prose only, and leaves out droppable columns in order before giving up the table', () => {
    const cols = ['id', 'title', 'note'];
    const rows = [['who-deleted', 'Who deleted a resource, when, and from which address and client', 'x'.repeat(30)]];
    const t = renderTable(cols, rows, { width: 60, wrap: [false, true, false], drop: [2] });
    expect(t.hidden).toEqual(['note']);
    expect(t.layout).toBe('table');
    expect(maxWidth(t.text)).toBeLessThanOrEqual(60);
    expect(t.text).toContain('│ who-deleted │');
    const fits = renderTable(cols, rows, { width: 140, wrap: [false, true, false], drop: [2] });
    expect(fits.hidden).toEqual([]);
    expect(renderTable(cols, rows, { width: 20, wrap: [false, true, false], drop: [2] }).layout).toBe('records');
  });

  it('wrapText breaks at spaces, and inside a word only when it is longer than the line', () => {
    expect(wrapText('Data transfer by pair, with category', 15)).toEqual(['Data transfer', 'by pair, with', 'category']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(displayWidth('日本')).toBe(4);
  });
});

async function cli(argv: string[], columns?: number): Promise<{ code: number; out: string; err: string }> {
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
    cwd: process.cwd(),
    stdoutColumns: columns,
  };
  const code = await exec(argv, io);
  return { code, ...o };
}

describe('casebook list', () => {
  it.each([
    [80, ['audience', 'group']],
    [100, ['audience']],
    [160, []],
  ])('at %i columns fits the terminal, saying what it left out', async (width, hidden) => {
    const r = await cli(['list'], width);
    expect(r.code).toBe(0);
    expect(maxWidth(r.out)).toBeLessThanOrEqual(width);
    expect(r.out).toContain('│ who-deleted ');
    expect(r.err).toBe(
      hidden.length
        ? `${COUNT} queries (${hidden.join(' and ')} left out to fit ${width} columns: --wide or --format json shows them)\n`
        : `${COUNT} queries\n`,
    );
  });

  it('piped: every column, independent of any width', async () => {
    const r = await cli(['list']);
    expect(r.out.split('\n')[1]).toMatch(/^│ id +│ group +│ title +│ audience +│ severity │$/);
    expect(r.err).toBe(`${COUNT} queries\n`);
    expect((await cli(['list', '--wide'], 80)).out).toBe(r.out);
  });

  it('--group and --audience that do not exist name the choices, exit 2', async () => {
    const g = await cli(['list', '--group', 'nosuch']);
    expect(g.code).toBe(2);
    expect(g.err).toBe(
      'casebook: unknown group "nosuch": the groups are cost, cross-source, data-access, errors, evasion, exposure, identity, network\n',
    );
    const a = await cli(['list', '--audience', 'auditors']);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^casebook: unknown audience "auditors": the audiences are .*security/);
  });
});
