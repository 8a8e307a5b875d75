import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CheckedFiles } from '../src/engines/duckdb/checked-files.js';
import { DEFAULT_LIMITS, guardLakeFiles, type GuardCounts } from '../src/engines/duckdb/guard.js';
import { rejectionOf, tempDir } from './support/harness.js';

/** The input pre-check remembers safe files across runs (src/engines/duckdb/checked-files.ts). */

const tmp = tempDir('casebook-checked-');
afterAll(() => tmp.cleanup());

const LIMITS = { ...DEFAULT_LIMITS, maxDepth: 10 };

/** A CloudTrail-shaped file in a lake folder; stored (level 0) gzip, so equal text lengths give equal file sizes. */
function logFile(lake: string, name: string, text: string): string {
  const dir = join(lake, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2024', '03', '01');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, gzipSync(text, { level: 0 }));
  return path;
}

const id = (path: string) => {
  const st = statSync(path);
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
};

const SAFE = '{"Records":[{"eventName":"DeleteBucket"}]}';
/** The same length, nested deeper than LIMITS allows. */
const DEEP = `${'['.repeat(20)}${']'.repeat(20)}`.padEnd(SAFE.length, ' ');

describe('files the pre-check found safe', () => {
  it('are known to the next run while unchanged, under the same limits only', () => {
    const cache = join(tmp.dir, 'cache-1');
    const file = logFile(join(tmp.dir, 'lake-1'), 'a.json.gz', SAFE);
    const first = new CheckedFiles(LIMITS, cache);
    expect(first.has(file, id(file))).toBe(false);
    first.add(file, id(file));
    first.save();
    expect(new CheckedFiles(LIMITS, cache).has(file, id(file))).toBe(true);
    expect(new CheckedFiles({ ...LIMITS, maxDepth: 11 }, cache).has(file, id(file))).toBe(false);
    expect(new CheckedFiles(LIMITS, cache).has(file, { ...id(file), ctimeMs: id(file).ctimeMs + 1 })).toBe(false);
    expect(new CheckedFiles(LIMITS, cache).has(file, { ...id(file), ino: id(file).ino + 1 })).toBe(false);
  });

  it('a cache folder that cannot be written is no error; the files are checked again', () => {
    const blocker = join(tmp.dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const file = logFile(join(tmp.dir, 'lake-2'), 'a.json.gz', SAFE);
    const c = new CheckedFiles(LIMITS, join(blocker, 'cache'));
    c.add(file, id(file));
    expect(() => c.save()).not.toThrow();
    expect(new CheckedFiles(LIMITS, join(blocker, 'cache')).has(file, id(file))).toBe(false);
  });

  it('a later run skips what an earlier one found safe', async () => {
    const cache = join(tmp.dir, 'cache-3');
    const lake = join(tmp.dir, 'lake-3');
    const known = logFile(lake, 'a.json.gz', SAFE);
    const fresh = logFile(lake, 'b.json.gz', SAFE);
    // An earlier run (another process) found `known` safe.
    const earlier = new CheckedFiles(LIMITS, cache);
    earlier.add(known, id(known));
    earlier.save();
    const counts: GuardCounts = { scanned: 0, remembered: 0 };
    await guardLakeFiles([{ path: known }, { path: fresh }], { limits: LIMITS, remember: new CheckedFiles(LIMITS, cache), counts });
    expect(counts).toEqual({ scanned: 1, remembered: 1 });
    expect(new CheckedFiles(LIMITS, cache).has(fresh, id(fresh))).toBe(true);
  });

  it('a file rewritten in place with its old size and modification time is checked again, and refused', async () => {
    const cache = join(tmp.dir, 'cache-4');
    const file = logFile(join(tmp.dir, 'lake-4'), 'a.json.gz', SAFE);
    const delivered = new Date('2024-03-01T00:05:00Z');
    utimesSync(file, delivered, delivered);
    await guardLakeFiles([{ path: file }], { limits: LIMITS, remember: new CheckedFiles(LIMITS, cache) });
    const before = statSync(file);
    logFile(join(tmp.dir, 'lake-4'), 'a.json.gz', DEEP);
    utimesSync(file, delivered, delivered);
    expect(statSync(file).size).toBe(before.size);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    const err = await rejectionOf(guardLakeFiles([{ path: file }], { limits: LIMITS, remember: new CheckedFiles(LIMITS, cache) }));
    expect(err.message).toBe(
      `log file ${file} cannot be read safely: JSON nested more than 10 levels deep (limit: CASEBOOK_MAX_JSON_DEPTH); move it out of the lake to query the rest`,
    );
  });

  it('--skip-bad-files looks for more than the default check: what the default found is not reused by it', async () => {
    const saved = process.env.CASEBOOK_CACHE_DIR;
    process.env.CASEBOOK_CACHE_DIR = join(tmp.dir, 'cache-5');
    try {
      const notJson = logFile(join(tmp.dir, 'lake-5'), 'c.json.gz', 'this is not JSON at all');
      // The default check leaves a file the engine names itself (not JSON) to the engine.
      expect(await guardLakeFiles([{ path: notJson }], { limits: LIMITS })).toEqual([]);
      const bad = await guardLakeFiles([{ path: notJson }], { limits: LIMITS, collect: true });
      expect(bad).toEqual([{ path: notJson, problem: 'not valid JSON' }]);
    } finally {
      if (saved === undefined) delete process.env.CASEBOOK_CACHE_DIR;
      else process.env.CASEBOOK_CACHE_DIR = saved;
    }
  });
});

describe('many files to check', () => {
  const many = (lake: string, n: number) =>
    Array.from({ length: n }, (_, i) => logFile(lake, `f${String(i).padStart(4, '0')}.json.gz`, SAFE));

  it('are scanned on worker threads, with the same verdicts: every safe file found safe, the unsafe one refused by name', async () => {
    const lake = join(tmp.dir, 'lake-many');
    const files = many(lake, 300);
    const counts: GuardCounts = { scanned: 0, remembered: 0 };
    expect(
      await guardLakeFiles(
        files.map((path) => ({ path })),
        { limits: LIMITS, remember: false, counts },
      ),
    ).toEqual([]);
    expect(counts.scanned).toBe(300);
    expect(counts.threaded, 'scanned on threads').toBe(300);

    const deep = logFile(lake, 'f0150.json.gz', DEEP);
    const err = await rejectionOf(
      guardLakeFiles(
        files.map((path) => ({ path })),
        { limits: LIMITS, remember: false },
      ),
    );
    expect(err.message).toBe(
      `log file ${deep} cannot be read safely: JSON nested more than 10 levels deep (limit: CASEBOOK_MAX_JSON_DEPTH); move it out of the lake to query the rest`,
    );
    const collected = await guardLakeFiles(
      files.map((path) => ({ path })),
      { limits: LIMITS, remember: false, collect: true },
    );
    expect(collected).toEqual([{ path: deep, problem: 'JSON nested more than 10 levels deep (limit: CASEBOOK_MAX_JSON_DEPTH)' }]);
  });
});
