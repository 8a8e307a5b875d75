import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';
import { tempDir } from './support/harness.js';
import { README, readmeCommands, shellWords } from './support/readme.js';

/**
 * Every `casebook ...` / `npx casebook ...` command line in the README's shell blocks runs
 * as written on the sample lake and exits 0. A command that needs an AWS account says so
 * with a `# needs AWS` comment on its last line; only commands that really call AWS
 * (Athena, S3 locations, setup without --dry-run) may carry it.
 */

/** Only what truly needs an account may be skipped. */
function needsAwsForReal(argv: string[]): boolean {
  const joined = argv.join(' ');
  if (/--engine athena\b/.test(joined)) return true;
  if (argv[0] === 'estimate' && /s3:\/\//.test(joined)) return true;
  if (argv[0] === 'setup' && !argv.includes('--dry-run')) return true;
  return false;
}

/** The sample lake the README's `casebook sample` line writes, at a size a test can afford (its volume is tested in sample.test.ts). */
const SMALL_SAMPLE = ['--days', '8', '--scale', '0.05'];

describe('README examples', () => {
  const commands = readmeCommands(README);
  const tmp = tempDir('casebook-readme-');
  afterAll(() => tmp.cleanup());

  it('finds the quick start, report, setup and ddl examples, and skips only what needs AWS', () => {
    const ran = commands.filter((c) => !c.needsAws).map((c) => c.argv[0]);
    expect(ran).toEqual(expect.arrayContaining(['sample', 'import', 'list', 'show', 'run', 'report', 'verify', 'setup', 'ddl']));
    expect(ran.indexOf('sample')).toBe(0);
    for (const c of commands) {
      expect(c.needsAws, `"${c.text}": marked "# needs AWS" ${c.needsAws ? 'but runs without an account' : 'missing'}`).toBe(
        needsAwsForReal(c.argv),
      );
    }
  });

  it('parses shell words as a shell does', () => {
    expect(shellWords(`casebook ddl x --format '\${version} \${vpc-id}' > out.sql  # note`)).toEqual({
      words: ['casebook', 'ddl', 'x', '--format', '${version} ${vpc-id}'],
      redirect: 'out.sql',
      comment: '# note',
    });
    expect(() => shellWords('casebook list | head')).toThrow(/shell syntax/);
  });

  it('runs every command as written on the sample lake, each exiting 0', { timeout: 900_000 }, async () => {
    const failures: string[] = [];
    for (const c of commands.filter((x) => !x.needsAws)) {
      const argv = c.argv[0] === 'sample' ? [...c.argv, ...SMALL_SAMPLE] : c.argv;
      let stdout = '';
      let stderr = '';
      const io: CliIO = {
        stdout: (t) => {
          stdout += t;
        },
        stderr: (t) => {
          stderr += t;
        },
        stderrIsTTY: false,
        // The README is run at the repository root, where the default lake is `sample-lake/`
        // (src/paths.ts); here the same folder of the working directory.
        env: { CASEBOOK_LAKE: join(tmp.dir, 'sample-lake') },
        cwd: tmp.dir,
      };
      const code = await exec(argv, io);
      if (c.redirect) writeFileSync(join(tmp.dir, c.redirect), stdout);
      if (code !== 0) failures.push(`${c.text}\n  exit ${code}: ${stderr.trim().split('\n').slice(-3).join('\n  ')}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
    expect(readFileSync(join(tmp.dir, 'talkers.csv'), 'utf8')).toMatch(/^srcaddr,/);
  });
});
