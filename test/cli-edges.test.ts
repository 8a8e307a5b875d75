/** Small edges of the command line: one line, the right exit status, no third-party wording. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cli } from './support/cli.js';
import { tempDir } from './support/harness.js';
import { statsLine } from '../src/cli/commands/run.js';

describe('usage mistakes exit 2 with one line', () => {
  it.each([
    [['run'], 'casebook: run: name the query (casebook run who-deleted ...; `casebook list` shows them all)\n'],
    [['show'], 'casebook: show: name the query (casebook show who-deleted ...; `casebook list` shows them all)\n'],
    [['verify'], 'casebook: verify: name the bundle directory\n'],
    [
      ['run', 'who-deleted', '--resource', 'x', '--format', 'xml'],
      'casebook: --format xml is not one of: table, csv, json, ndjson, markdown\n',
    ],
    [['run', 'who-deleted', '--resource', 'x', '--engine', 'duckdbx'], 'casebook: unknown engine "duckdbx" (choose duckdb or athena)\n'],
    [
      ['run', 'who-deleted', '--resource', 'x', '--lake', '/nonexistent/lake'],
      'casebook: lake directory /nonexistent/lake does not exist (make one with `casebook sample --out /nonexistent/lake`)\n',
    ],
  ])('%j', async (argv, stderr) => {
    const r = await cli(argv);
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('refusing to overwrite', () => {
  it('is a clear one-line refusal with exit 1, not an internal error', async () => {
    const tmp = tempDir('casebook-edges-');
    try {
      mkdirSync(join(tmp.dir, 'mine'));
      writeFileSync(join(tmp.dir, 'mine', 'notes.txt'), 'keep me');
      const r = await cli(['sample', '--out', join(tmp.dir, 'mine'), '--days', '1']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^casebook: sample lake: .*mine is not empty and does not look like a casebook sample lake .*refusing to write into it/,
      );
      expect(r.stderr).not.toContain('internal error');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('wording', () => {
  it('one file, two files', () => {
    expect(statsLine('q', { engine: 'duckdb', elapsedMs: 1000, rows: 1, filesRead: 1, bytesRead: 2000 })).toBe(
      'q: 1 row, 1.00 s, duckdb, 1 file (2.0 KB) read\n',
    );
    expect(statsLine('q', { engine: 'duckdb', elapsedMs: 1000, rows: 2, filesRead: 2, bytesRead: 2000 })).toBe(
      'q: 2 rows, 1.00 s, duckdb, 2 files (2.0 KB) read\n',
    );
  });

  it('query help shows each type once', async () => {
    const r = await cli(['run', 'who-deleted', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--resource');
    expect(r.stdout).not.toMatch(/\[string\]\s+\[string\]/);
    expect(r.stdout).toMatch(/\[timestamp; default 7d\]/);
  });
});

describe('casebook completion', () => {
  it('prints a shell completion script, and completes command names', async () => {
    const r = await cli(['completion']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('###-begin-casebook-completions-###');
    expect(r.stdout).toContain('casebook --get-yargs-completions');
    const c = await cli(['--get-yargs-completions', 'casebook', '']);
    expect(c.stdout.split('\n')).toEqual(expect.arrayContaining(['list', 'run', 'report', 'verify']));
  });
});
