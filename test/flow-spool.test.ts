/**
 * The flow-log spool (src/engines/duckdb/flow-spool.ts): many small flow-log files read
 * as a few large ones. Every answer equals the per-file reader's; every bad file is
 * named; nothing is left in the temporary folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateSampleLake } from '../src/sample/generate.js';
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { discoverFiles } from '../src/engines/duckdb/lake.js';
import { SPOOL_MIN_FILES, spoolFlowLogs } from '../src/engines/duckdb/flow-spool.js';
import { DEFAULT_LIMITS } from '../src/engines/duckdb/guard.js';
import { rejectionOf, tempDir } from './support/harness.js';
import { cli } from './support/cli.js';

const WINDOW = { since: new Date('2024-03-30T00:00:00Z'), until: new Date('2024-04-01T00:00:00Z') };
const ALL_ROWS = 'SELECT * FROM vpc_flow_logs ORDER BY ALL';

function flowFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? flowFiles(join(dir, e.name)) : e.name.endsWith('.log.gz') ? [join(dir, e.name)] : []))
    .sort();
}

/** Rows of a query on the lake, through the spool or file by file. */
async function rows(lake: string, spool: boolean, sql = ALL_ROWS, extra: { skipBadFiles?: boolean } = {}) {
  const engine = new DuckdbEngine({ lake, store: false, spoolFlowLogs: spool, ...extra });
  try {
    return await engine.run(sql, { window: WINDOW, tables: ['vpc_flow_logs'] });
  } finally {
    await engine.close();
  }
}

/** casebook-flows-* folders left in the temporary folder. */
function leftovers(tmp: string): string[] {
  return readdirSync(tmp).filter((n) => n.startsWith('casebook-flows-'));
}

describe('flow-log spool', () => {
  const tmp = tempDir('casebook-flow-spool-');
  const spoolTmp = join(tmp.dir, 'tmp');
  const savedTmp = process.env.TMPDIR;
  let lake: string;
  let files: string[];

  beforeAll(async () => {
    lake = join(tmp.dir, 'lake');
    await generateSampleLake({ out: lake, days: 2, scale: 0.2, seed: 3, endDate: '2024-03-31', workers: 1 });
    files = flowFiles(lake);
    mkdirSync(spoolTmp);
    process.env.TMPDIR = spoolTmp;
  }, 120_000);

  afterAll(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    tmp.cleanup();
  });

  it('reads the same rows as the per-file reader, custom formats included, and leaves nothing behind', async () => {
    const headers = new Set(files.map((f) => gunzipSync(readFileSync(f)).toString('utf8').split('\n')[0]));
    expect(headers.size, 'the sample lake holds several flow-log formats').toBeGreaterThan(1);
    const a = await rows(lake, true);
    const b = await rows(lake, false);
    expect(a.rows.length).toBeGreaterThan(100);
    expect(a.stats.notes, 'the spool was read, not the files one by one').toBeUndefined();
    expect(a.rows).toEqual(b.rows);
    expect(a.stats.filesRead).toBe(b.stats.filesRead);
    expect(a.stats.bytesRead).toBe(b.stats.bytesRead);
    expect(leftovers(spoolTmp)).toEqual([]);
  });

  it('--spool-flow-logs and --no-spool-flow-logs reach the engine from the command line', async () => {
    // A temporary "folder" that is a file: a spool that is tried says so in the run's notes.
    const blocked = join(tmp.dir, 'tmp-is-a-file');
    writeFileSync(blocked, 'x');
    process.env.TMPDIR = blocked;
    try {
      // More than the automatic threshold: without --no-spool-flow-logs the spool would be tried.
      expect(files.length).toBeGreaterThanOrEqual(SPOOL_MIN_FILES);
      const line = [
        'run',
        'top-talkers',
        '--lake',
        lake,
        '--no-store',
        '--since',
        '2024-03-30',
        '--until',
        '2024-04-01',
        '--format',
        'csv',
      ];
      const on = await cli([...line, '--spool-flow-logs']);
      const off = await cli([...line, '--no-spool-flow-logs']);
      expect(on.code).toBe(0);
      expect(off.code).toBe(0);
      expect(on.stderr).toMatch(/flow-log files read one by one \(the temporary folder could not take them/);
      expect(off.stderr).not.toMatch(/temporary folder/);
      expect(on.stdout).toBe(off.stdout);
    } finally {
      process.env.TMPDIR = spoolTmp;
    }
  });

  it("one engine spools a window's files once for all its runs (a report's sections), again when a file changes, and close removes it", async () => {
    const engine = new DuckdbEngine({ lake, store: false, spoolFlowLogs: true });
    const run = (sql: string) => engine.run(sql, { window: WINDOW, tables: ['vpc_flow_logs'] });
    try {
      const a = await run(ALL_ROWS);
      const first = leftovers(spoolTmp);
      expect(first).toHaveLength(1);
      const b = await run('SELECT count(*) AS n FROM vpc_flow_logs');
      expect(leftovers(spoolTmp), 'the same spool').toEqual(first);
      expect(b.rows[0]!.n).toBe(a.rows.length);
      const later = new Date(Date.now() + 60_000);
      utimesSync(files[0]!, later, later);
      const c = await run(ALL_ROWS);
      expect(leftovers(spoolTmp)).toHaveLength(1);
      expect(leftovers(spoolTmp), 'spooled again').not.toEqual(first);
      expect(c.rows).toEqual(a.rows);
    } finally {
      await engine.close();
    }
    expect(leftovers(spoolTmp)).toEqual([]);
  });

  it('groups files by their own header line and keeps each partition', async () => {
    const window = discoverFiles(lake, 'vpc_flow_logs', WINDOW);
    const spool = await spoolFlowLogs(window, { threads: 2 });
    try {
      expect(spool.rest).toEqual([]);
      expect(spool.bad).toEqual([]);
      const partitions = new Set(window.map((f) => `${f.account}/${f.region}/${f.day}`));
      expect(new Set(spool.spooled.map((f) => `${f.account}/${f.region}/${f.day}`))).toEqual(partitions);
      // Every record line of the window, and no header line, is in the spool.
      const records = window.reduce((n, f) => n + gunzipSync(readFileSync(f.path)).toString('utf8').trim().split('\n').length - 1, 0);
      const spooled = spool.spooled.map((f) => readFileSync(f.path, 'utf8'));
      expect(spooled.reduce((n, t) => n + t.split('\n').length - 1, 0)).toBe(records);
      for (const f of spool.spooled) expect(readFileSync(f.path, 'utf8')).not.toContain(f.header);
    } finally {
      spool.dispose();
    }
    expect(leftovers(spoolTmp)).toEqual([]);
  });

  it('files without a last newline, header-only files and carriage returns read as the per-file reader reads them', async () => {
    const [a, b, c] = files;
    const text = (f: string) => gunzipSync(readFileSync(f)).toString('utf8');
    const saved = [a, b, c].map((f) => readFileSync(f!));
    try {
      writeFileSync(a!, gzipSync(text(a!).replace(/\n+$/, '')));
      writeFileSync(b!, gzipSync(text(b!).split('\n')[0]! + '\n'));
      writeFileSync(c!, gzipSync(text(c!).replace(/\n/g, '\r\n')));
      const spooled = await rows(lake, true);
      expect(spooled.stats.notes).toBeUndefined();
      expect(spooled.rows).toEqual((await rows(lake, false)).rows);
    } finally {
      for (const [i, f] of [a, b, c].entries()) writeFileSync(f!, saved[i]!);
    }
  });

  it('a corrupt gzip file is named; with --skip-bad-files it is left out and named in the notes', async () => {
    const bad = files[5]!;
    const saved = readFileSync(bad);
    try {
      writeFileSync(bad, saved.subarray(0, saved.length >> 1));
      const err = await rejectionOf(rows(lake, true));
      expect(err.message).toBe(`log file ${bad} is corrupt or truncated: unexpected end of file`);
      const skipped = await rows(lake, true, ALL_ROWS, { skipBadFiles: true });
      expect(skipped.stats.notes).toContain(`skipped bad log file ${bad}: not a valid gzip file (unexpected end of file)`);
      expect(skipped.rows).toEqual((await rows(lake, false, ALL_ROWS, { skipBadFiles: true })).rows);
    } finally {
      writeFileSync(bad, saved);
    }
    expect(leftovers(spoolTmp)).toEqual([]);
  });

  it('an empty file is named', async () => {
    const bad = files[7]!;
    const saved = readFileSync(bad);
    try {
      writeFileSync(bad, '');
      expect((await rejectionOf(rows(lake, true))).message).toBe(`log file ${bad} is empty`);
    } finally {
      writeFileSync(bad, saved);
    }
  });

  it('a line with too few fields is named with its file and line (the per-file reader names it)', async () => {
    const lineCount = (f: string) => gunzipSync(readFileSync(f)).toString('utf8').split('\n').length;
    const bad = files.reduce((a, b) => (lineCount(b) > lineCount(a) ? b : a));
    const saved = readFileSync(bad);
    try {
      const lines = gunzipSync(saved).toString('utf8').split('\n');
      expect(lines.length, 'a file of at least 2 records').toBeGreaterThan(3);
      lines[2] = lines[2]!.split(' ').slice(0, 3).join(' ');
      writeFileSync(bad, gzipSync(lines.join('\n')));
      const err = await rejectionOf(rows(lake, true));
      expect(err.message).toMatch(new RegExp(`^flow-log file ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 3 has 3 fields`));
    } finally {
      writeFileSync(bad, saved);
    }
    expect(leftovers(spoolTmp)).toEqual([]);
  });

  it('a file inflating beyond the limit is refused by name, as the input pre-check refuses it', async () => {
    const window = discoverFiles(lake, 'vpc_flow_logs', WINDOW);
    const largest = Math.max(...window.map((f) => gunzipSync(readFileSync(f.path)).length));
    const limits = { ...DEFAULT_LIMITS, maxFileBytes: largest - 1 };
    const err = await rejectionOf(spoolFlowLogs(window, { limits }));
    expect(err.message).toMatch(
      /^log file .*\.log\.gz cannot be read safely: it holds more than \d+ bytes uncompressed \(limit: CASEBOOK_MAX_FILE_BYTES\); move it out of the lake to query the rest$/,
    );
    const collected = await spoolFlowLogs(window, { limits, collect: true });
    collected.dispose();
    expect(collected.bad.length).toBeGreaterThan(0);
    expect(collected.bad[0]!.problem).toMatch(/^it holds more than/);
    expect(leftovers(spoolTmp)).toEqual([]);
  });

  it('without a usable temporary folder the files are read one by one, with a note', async () => {
    process.env.TMPDIR = join(tmp.dir, 'no-such-folder');
    try {
      const r = await rows(lake, true);
      expect(r.stats.notes?.some((n) => n.startsWith('flow-log files read one by one (the temporary folder could not take them: '))).toBe(
        true,
      );
      expect(r.rows).toEqual((await rows(lake, false)).rows);
    } finally {
      process.env.TMPDIR = spoolTmp;
    }
  });

  it('a cancelled spool stops, throws "query cancelled" and removes its folder', async () => {
    const window = discoverFiles(lake, 'vpc_flow_logs', WINDOW);
    const controller = new AbortController();
    const pending = spoolFlowLogs(window, { signal: controller.signal });
    controller.abort();
    expect((await rejectionOf(pending)).message).toBe('query cancelled');
    expect(leftovers(spoolTmp)).toEqual([]);
    expect(existsSync(spoolTmp)).toBe(true);
  });
});
