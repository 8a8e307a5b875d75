import { exec } from '../../src/cli/exec.js';
import type { CliIO } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process through exec(argv), capturing its output. */
export async function cli(argv: string[], opts: { env?: Record<string, string>; now?: Date; signal?: AbortSignal } = {}): Promise<CliRun> {
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
    env: opts.env ?? {},
    cwd: process.cwd(),
    signal: opts.signal,
    now: opts.now ? () => opts.now! : undefined,
  };
  const code = await exec(argv, io);
  return { code, stdout, stderr };
}
