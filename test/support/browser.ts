/**
 * Whether the browser test runs. Headless Chromium is not something a fresh machine with
 * only Node has: without one the test is skipped with one visible line, unless
 * CASEBOOK_REQUIRE_BROWSER=1 (set by .ci/run, which installs Chromium) makes it required.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface BrowserGate {
  /** The Chromium executable, when one was found. */
  path?: string;
  /** Run the browser test: a browser was found, or one is required (and its absence fails). */
  run: boolean;
  /** CASEBOOK_REQUIRE_BROWSER=1: a missing browser is a failure, not a skip. */
  required: boolean;
  /** Why the test does not run, or why it will fail: one line. */
  reason?: string;
}

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** $CHROMIUM if set, else the first of the usual names on $PATH. */
export function findChromium(env: Record<string, string | undefined>): string | undefined {
  if (env.CHROMIUM) return executable(env.CHROMIUM) ? env.CHROMIUM : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const p = join(dir, name);
      if (executable(p)) return p;
    }
  }
  return undefined;
}

export function browserGate(env: Record<string, string | undefined> = process.env): BrowserGate {
  const required = env.CASEBOOK_REQUIRE_BROWSER === '1';
  const path = findChromium(env);
  if (path) return { path, run: true, required };
  const where = env.CHROMIUM ? `CHROMIUM=${env.CHROMIUM} is not an executable` : `no chromium, chromium-browser or google-chrome on PATH`;
  if (required)
    return {
      run: true,
      required,
      reason: `${where}, and CASEBOOK_REQUIRE_BROWSER=1 requires it: install Chromium (apt-get install chromium) or set CHROMIUM`,
    };
  return {
    run: false,
    required,
    reason: `${where}: the report page's browser test is skipped (install Chromium, or set CHROMIUM, to run it)`,
  };
}
