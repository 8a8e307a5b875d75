import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './support/cli.js';
import { tempDir } from './support/harness.js';
import { FIXTURE_PERIOD, writeFixtureLake, writeFixtureReport } from './report-fixture.js';

describe('casebook verify', () => {
  const tmp = tempDir('casebook-verify-');
  const original = join(tmp.dir, 'bundle');
  let n = 0;
  /** A fresh copy of the bundle to tamper with. */
  const copy = () => {
    const dir = join(tmp.dir, `copy-${++n}`);
    cpSync(original, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    const lake = join(tmp.dir, 'lake');
    writeFixtureLake(lake);
    const report = writeFixtureReport(join(tmp.dir, 'defs'));
    const r = await cli(['report', report, '--period', FIXTURE_PERIOD, '--allow-partial', '--out', original, '--lake', lake, '--quiet']);
    if (r.code !== 0) throw new Error(r.stderr);
  });
  afterAll(() => tmp.cleanup());

  it('passes an untouched bundle, file by file, and prints the manifest hash', async () => {
    const r = await cli(['verify', original]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ok       sections/01-trail-tampering.csv');
    expect(r.stdout).toContain('ok       SHA256SUMS');
    expect(r.stdout).toMatch(/manifest\.json SHA-256 [0-9a-f]{64}/);
    expect(r.stdout).toMatch(/is intact: 16 files match the manifest \(report fixture-report, period 2024-03-01\.\.2024-03-04, generated /);
    const quiet = await cli(['verify', original, '--quiet']);
    expect(quiet.stdout).not.toContain('ok ');
  });

  it('finds one changed byte', async () => {
    const dir = copy();
    const f = join(dir, 'sections/03-top-talkers.csv');
    const bytes = readFileSync(f);
    bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x01;
    writeFileSync(f, bytes);
    const r = await cli(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('CHANGED  sections/03-top-talkers.csv');
    expect(r.stdout).toContain('ok       sections/03-top-talkers.json');
    expect(r.stderr).toMatch(/casebook: bundle .* does NOT match its manifest: 1 changed \(report fixture-report/);
  });

  it('finds a removed file', async () => {
    const dir = copy();
    unlinkSync(join(dir, 'sections/02-access-denied.json'));
    const r = await cli(['verify', dir, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('MISSING  sections/02-access-denied.json');
    expect(r.stderr).toContain('1 missing');
  });

  it('finds an added file, in any folder', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'sections/04-extra.csv'), 'a,b\n');
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes/x.txt'), 'x');
    const r = await cli(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ADDED    sections/04-extra.csv');
    expect(r.stdout).toContain('ADDED    notes/x.txt');
    expect(r.stderr).toContain('2 added');
  });

  it('finds a file swapped for a symbolic link to the same content', async () => {
    const dir = copy();
    const f = join(dir, 'index.md');
    cpSync(f, join(tmp.dir, `elsewhere-${n}.md`));
    unlinkSync(f);
    symlinkSync(join(tmp.dir, `elsewhere-${n}.md`), f);
    const r = await cli(['verify', dir, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('CHANGED  index.md  (no longer a regular file)');
  });

  it('finds a manifest edited to match a changed file: SHA256SUMS disagrees', async () => {
    const dir = copy();
    const csv = join(dir, 'sections/03-top-talkers.csv');
    writeFileSync(csv, 'srcaddr,dstaddr,bytes,packets,flows\n');
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string; bytes: number }> };
    const { createHash } = await import('node:crypto');
    m.files['sections/03-top-talkers.csv'] = { sha256: createHash('sha256').update(readFileSync(csv)).digest('hex'), bytes: 36 };
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
    const r = await cli(['verify', dir, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('CHANGED  SHA256SUMS  (disagrees with manifest.json: one of them was edited)');
  });

  it('reports every kind of difference at once', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'index.html'), 'replaced');
    rmSync(join(dir, 'charts'), { recursive: true });
    writeFileSync(join(dir, 'extra.bin'), Buffer.from([0]));
    const r = await cli(['verify', dir, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 changed, 3 missing, 1 added');
  });

  it('says so in one line when the directory holds no manifest, or is not there', async () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    const r = await cli(['verify', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `casebook: ${empty} has no manifest.json: it is not a casebook evidence bundle, so there is nothing to verify it against\n`,
    );
    const none = await cli(['verify', join(tmp.dir, 'nowhere')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('is not a directory');
    const broken = copy();
    writeFileSync(join(broken, 'manifest.json'), '{"format": ');
    const b = await cli(['verify', broken]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('manifest.json is not valid JSON');
  });

  it('does not follow a manifest that names files outside the bundle', async () => {
    const dir = copy();
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
    m.files['../outside.txt'] = { sha256: '0'.repeat(64), bytes: 1 };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    const r = await cli(['verify', dir, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('CHANGED  ../outside.txt  (the manifest names a path outside the bundle)');
  });

  it.skipIf(!existsSync('/usr/bin/sha256sum'))('checks out with sha256sum -c SHA256SUMS, no casebook needed', () => {
    const out = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: original, encoding: 'utf8' });
    expect(out).toContain('manifest.json: OK');
    expect(out).toContain('sections/01-trail-tampering.csv: OK');
  });
});
