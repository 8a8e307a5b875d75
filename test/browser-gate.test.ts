/**
 * The browser test's gate: skipped with one visible line on a machine without Chromium,
 * required (a failure) when CASEBOOK_REQUIRE_BROWSER=1, as .ci/run sets it.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { browserGate } from './support/browser.js';
import { tempDir } from './support/harness.js';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');

describe('browserGate', () => {
  const tmp = tempDir('casebook-gate-');
  const bin = join(tmp.dir, 'bin');
  mkdirSync(bin);
  const fake = join(bin, 'chromium-browser');
  writeFileSync(fake, '#!/bin/sh\n');
  chmodSync(fake, 0o755);
  const empty = join(tmp.dir, 'empty');
  mkdirSync(empty);

  it('finds a Chromium on PATH and runs the test', () => {
    expect(browserGate({ PATH: `${empty}:${bin}` })).toEqual({ path: fake, run: true, required: false });
  });

  it('skips, saying why in one line, when there is none', () => {
    const g = browserGate({ PATH: empty });
    expect(g.run).toBe(false);
    expect(g.reason).toMatch(/^no chromium, chromium-browser or google-chrome on PATH: the report page's browser test is skipped/);
    expect(g.reason).not.toContain('\n');
  });

  it('requires it under CASEBOOK_REQUIRE_BROWSER=1', () => {
    const g = browserGate({ PATH: empty, CASEBOOK_REQUIRE_BROWSER: '1' });
    expect(g).toMatchObject({ run: true, required: true });
    expect(g.path).toBeUndefined();
    expect(g.reason).toContain('CASEBOOK_REQUIRE_BROWSER=1 requires it');
  });

  it('takes $CHROMIUM when it is an executable, and says so when it is not', () => {
    expect(browserGate({ CHROMIUM: fake, PATH: empty }).path).toBe(fake);
    const g = browserGate({ CHROMIUM: join(empty, 'nothing'), PATH: bin });
    expect(g.run).toBe(false);
    expect(g.reason).toContain(`CHROMIUM=${join(empty, 'nothing')} is not an executable`);
  });

  it('.ci/run installs Chromium and requires the browser test', () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/apt-get install -y[^\n]* chromium/);
    expect(ci).toMatch(/CASEBOOK_REQUIRE_BROWSER=1/);
  });
});

describe('test/report-html.test.ts without a browser', () => {
  const vitest = (env: Record<string, string>) =>
    run(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/report-html.test.ts'], {
      cwd: ROOT,
      env: { ...process.env, CHROMIUM: '/nonexistent/chromium', CASEBOOK_REQUIRE_BROWSER: '', CI: '1', NO_COLOR: '1', ...env },
      timeout: 120_000,
    });

  it('is skipped, with one line naming why', async () => {
    const { stdout, stderr } = await vitest({});
    const out = stdout + stderr;
    expect(out).toContain("CHROMIUM=/nonexistent/chromium is not an executable: the report page's browser test is skipped");
    expect(out).toMatch(/2 skipped/);
  });

  it('fails under CASEBOOK_REQUIRE_BROWSER=1', async () => {
    const err = await vitest({ CASEBOOK_REQUIRE_BROWSER: '1' }).then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(err, 'vitest should exit non-zero').toBeDefined();
    expect(err!.code).not.toBe(0);
    expect(err!.stdout + err!.stderr).toContain('CASEBOOK_REQUIRE_BROWSER=1 requires it');
  });
});
