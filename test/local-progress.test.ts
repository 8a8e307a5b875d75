import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { exec } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';
import { watchProgress } from '../src/engines/duckdb/progress.js';
import { cli } from './support/cli.js';
import { tempDir } from './support/harness.js';
import { writeFixtureLake } from './report-fixture.js';

describe('progress of the local engine', () => {
  const tmp = tempDir('casebook-progress-');
  afterAll(() => tmp.cleanup());

  it('says the phase and the files read of the total', async () => {
    const settings: string[] = [];
    let pct = 40;
    const fake = {
      run: async (sql: string) => {
        settings.push(sql);
      },
      get progress() {
        return { percentage: pct };
      },
    } as unknown as DuckDBConnection;
    const lines: string[] = [];
    const stop = await watchProgress(fake, 'reading log files', 1200, (m) => lines.push(m), 5);
    pct = 75;
    await new Promise((r) => setTimeout(r, 30));
    stop();
    expect(settings).toContain('SET enable_progress_bar_print = false');
    expect(lines[0]).toMatch(/^duckdb: reading log files, 480 of 1,200 files \(40 %\), 0\.0 s$/);
    expect(lines.at(-1)).toMatch(/^duckdb: reading log files, 900 of 1,200 files \(75 %\), /);
    const n = lines.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.length).toBe(n);
    // Without a listener nothing is set or polled.
    settings.length = 0;
    (await watchProgress(fake, 'x', 1, undefined))();
    expect(settings).toEqual([]);
  });

  it('shows a live line on a terminal only', async () => {
    const lake = join(tmp.dir, 'lake');
    writeFixtureLake(lake);
    const argv = ['run', 'trail-tampering', '--lake', lake, '--since', '2024-03-01', '--until', '2024-03-04'];
    let stderr = '';
    const io: CliIO = {
      stdout: () => undefined,
      stderr: (t) => {
        stderr += t;
      },
      stderrIsTTY: true,
      env: {},
      cwd: process.cwd(),
    };
    expect(await exec(argv, io)).toBe(0);
    expect(stderr).toContain('\r\x1b[2Kduckdb: finding the log files of the window');
    expect(stderr).toMatch(/\r\x1b\[2Kduckdb: reading log files, (\d+ of )?\d+ files/);
    const piped = await cli(argv);
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toContain('duckdb:');
  });
});
