/**
 * Hostile log files: nothing in a lake may crash casebook or exhaust memory, and the
 * Parquet store refuses what it cannot do in one line. Each case asserts the exit code
 * and the bytes on stderr.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { cli } from './support/cli.js';
import { tempDir } from './support/harness.js';
import { writeRecordsLake } from '../src/lake/records-lake.js';
import { scanGzipFile, scanSmallGzipFile, DEFAULT_LIMITS } from '../src/engines/duckdb/guard.js';
import { fileSystemError, LOCK_FILE } from '../src/store/lock.js';

const record = (i: number, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.09',
  eventTime: `2024-03-02T10:${String(i).padStart(2, '0')}:00Z`,
  eventSource: 'cloudtrail.amazonaws.com',
  eventName: 'StopLogging',
  awsRegion: 'us-east-1',
  recipientAccountId: '111122223333',
  userIdentity: { type: 'IAMUser', userName: 'u' },
  eventID: `id-${i}`,
  ...extra,
});

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsonFiles(join(dir, e.name)) : e.name.endsWith('.json.gz') ? [join(dir, e.name)] : [],
  );
}

/** A lake of one CloudTrail file whose text `edit` rewrites; returns the file's path. */
function lakeWith(dir: string, edit: (text: string) => string | Buffer): string {
  writeRecordsLake(dir, { cloudtrail: [record(0)] });
  const [file] = jsonFiles(dir);
  const text = gunzipSync(readFileSync(file!)).toString('utf8');
  const edited = edit(text);
  writeFileSync(file!, gzipSync(edited));
  return file!;
}

const runArgs = (lake: string) => [
  'run',
  'trail-tampering',
  '--lake',
  lake,
  '--since',
  '2024-03-01',
  '--until',
  '2024-03-04',
  '--format',
  'json',
  '--quiet',
];

describe('log files the engine cannot survive', () => {
  const tmp = tempDir('casebook-hostile-files-');
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['CASEBOOK_MAX_FILE_BYTES', 'CASEBOOK_MAX_RECORD_BYTES', 'CASEBOOK_MAX_JSON_DEPTH']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  afterAll(() => tmp.cleanup());

  it('100,000 nested arrays in additionalEventData: one line naming the file, exit 1 (no segfault)', async () => {
    const lake = join(tmp.dir, 'deep');
    const file = lakeWith(lake, (t) =>
      t.replace('"eventID":"id-0"', `"eventID":"id-0","additionalEventData":${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    );
    const r = await cli(runArgs(lake));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `casebook: log file ${file} cannot be read safely: JSON nested more than 1000 levels deep (limit: CASEBOOK_MAX_JSON_DEPTH); move it out of the lake to query the rest\n`,
    );
  });

  it('brackets inside strings are not nesting: a record with 5,000 "[" in a string is read', async () => {
    const lake = join(tmp.dir, 'brackets');
    lakeWith(lake, (t) => t.replace('"eventID":"id-0"', `"eventID":"id-0","userAgent":"${'[{'.repeat(5000)}\\"${'['.repeat(10)}"`));
    const r = await cli(runArgs(lake));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
  });

  it('a gzip bomb (50 MB of zeros) is stopped at the cap and named', async () => {
    const lake = join(tmp.dir, 'bomb');
    const file = lakeWith(lake, () => Buffer.alloc(50 * 1024 * 1024));
    expect(statSync(file).size).toBeLessThan(200_000);
    process.env.CASEBOOK_MAX_FILE_BYTES = String(8 * 1024 * 1024);
    const r = await cli(runArgs(lake));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `casebook: log file ${file} cannot be read safely: it holds more than 8 MiB uncompressed (limit: CASEBOOK_MAX_FILE_BYTES); move it out of the lake to query the rest\n`,
    );
  });

  it('the streaming scan stops a bomb at the cap too (large compressed files)', async () => {
    const file = join(tmp.dir, 'bomb.json.gz');
    writeFileSync(file, gzipSync(Buffer.alloc(50 * 1024 * 1024)));
    const limits = { ...DEFAULT_LIMITS, maxFileBytes: 4 * 1024 * 1024 };
    await expect(scanGzipFile(file, true, limits)).resolves.toMatch(/more than 4 MiB uncompressed/);
    expect(scanSmallGzipFile(file, true, limits)).toMatch(/more than 4 MiB uncompressed/);
  });

  it('a single huge record is named', async () => {
    const lake = join(tmp.dir, 'huge');
    const file = lakeWith(lake, (t) =>
      t.replace('"eventID":"id-0"', `"eventID":"id-0","requestParameters":{"policy":"${'A'.repeat(3 * 1024 * 1024)}"}`),
    );
    process.env.CASEBOOK_MAX_RECORD_BYTES = String(1024 * 1024);
    const r = await cli(runArgs(lake));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `casebook: log file ${file} cannot be read safely: a record larger than 1 MiB (limit: CASEBOOK_MAX_RECORD_BYTES); move it out of the lake to query the rest\n`,
    );
  });

  it('the scan agrees with JSON on escapes and depth across chunk boundaries', async () => {
    const file = join(tmp.dir, 'chunks.json.gz');
    const deepInString = `"${'\\\\'.repeat(3)}\\"[[[["`;
    const text = `{"Records":[${Array.from({ length: 2000 }, (_, i) => `{"a":${deepInString},"n":${i},"b":[[[[1]]]]}`).join(',')}]}`;
    expect(() => JSON.parse(text)).not.toThrow();
    writeFileSync(file, gzipSync(text));
    const limits = { ...DEFAULT_LIMITS, maxDepth: 7 };
    expect(await scanGzipFile(file, true, limits)).toBeUndefined();
    expect(scanSmallGzipFile(file, true, limits)).toBeUndefined();
    expect(await scanGzipFile(file, true, { ...limits, maxDepth: 6 })).toMatch(/more than 6 levels/);
  });

  it('a symlinked log file is not read, and the run says so', async () => {
    const lake = join(tmp.dir, 'links');
    writeRecordsLake(lake, { cloudtrail: [record(0), record(30)] });
    const [real, other] = jsonFiles(lake);
    const outside = join(tmp.dir, 'outside.json.gz');
    renameSync(other!, outside);
    symlinkSync(outside, other!);
    const r = await cli(runArgs(lake).filter((a) => a !== '--quiet'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    expect(r.stderr).toContain(`skipped 1 log file that is a symbolic link (only regular files are read): ${other}`);
    expect(real).toBeDefined();
  });

  it('import refuses the same files, by name', async () => {
    const lake = join(tmp.dir, 'deep-import');
    const file = lakeWith(lake, (t) =>
      t.replace('"eventID":"id-0"', `"eventID":"id-0","additionalEventData":${'['.repeat(20_000)}${']'.repeat(20_000)}`),
    );
    const r = await cli(['import', '--lake', lake, '--store', join(tmp.dir, 'deep-store'), '--table', 'cloudtrail', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `casebook: log file ${file} cannot be read safely: JSON nested more than 1000 levels deep (limit: CASEBOOK_MAX_JSON_DEPTH); move it out of the lake to query the rest\n`,
    );
    expect(existsSync(join(tmp.dir, 'deep-store', LOCK_FILE))).toBe(false);
  });
});

describe('the Parquet store under faults', () => {
  const tmp = tempDir('casebook-hostile-store-');
  const lake = join(tmp.dir, 'lake');
  beforeAll(() => writeRecordsLake(lake, { cloudtrail: [record(0), record(1)] }));
  afterAll(() => tmp.cleanup());

  it('a second import into a store being imported is refused in one line; a stale lock is taken over', async () => {
    const store = join(tmp.dir, 'store');
    mkdirSync(store, { recursive: true });
    // A live process (the test runner's parent) holds the lock.
    writeFileSync(join(store, LOCK_FILE), `${process.ppid}\n`);
    const busy = await cli(['import', '--lake', lake, '--store', store, '--quiet']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toBe(
      `casebook: store ${store} is being imported by another casebook process (pid ${process.ppid}); wait for it to finish\n`,
    );
    // A lock left by a process that is gone.
    writeFileSync(join(store, LOCK_FILE), '2147483646\n');
    const ok = await cli(['import', '--lake', lake, '--store', store, '--quiet']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(join(store, LOCK_FILE))).toBe(false);
  });

  it('a store that cannot be written is a one-line user error, not an internal error', async () => {
    const blocker = join(tmp.dir, 'a-file');
    writeFileSync(blocker, 'x');
    const r = await cli(['import', '--lake', lake, '--store', join(blocker, 'store'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^casebook: cannot write the store .*a-file\/store \(.*\): a part of the path is not a directory\n$/);
    const eacces = Object.assign(new Error("EACCES: permission denied, mkdir '/x'"), { code: 'EACCES', path: '/x' });
    expect((fileSystemError(eacces, 'the store /x') as Error).message).toBe('cannot write the store /x (/x): permission denied');
  });

  it.skipIf(process.getuid?.() === 0)('a read-only store directory (EACCES)', async () => {
    const { chmodSync } = await import('node:fs');
    const store = join(tmp.dir, 'ro-store');
    mkdirSync(store);
    chmodSync(store, 0o555);
    const r = await cli(['import', '--lake', lake, '--store', store, '--quiet']);
    chmodSync(store, 0o755);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^casebook: cannot write the store .*: permission denied\n$/);
  });

  it('a damaged store manifest is named, its text not echoed', async () => {
    const store = join(tmp.dir, 'bad-store');
    mkdirSync(store);
    writeFileSync(join(store, 'casebook-store.json'), 'SECRET\x1b]0;x\x07{');
    const r = await cli(['import', '--lake', lake, '--store', store, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `casebook: store manifest ${join(store, 'casebook-store.json')} is not valid JSON (damaged); delete the store ${store} and run casebook import again\n`,
    );
  });
});
