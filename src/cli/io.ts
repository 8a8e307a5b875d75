/** Where the CLI writes and what it knows of its surroundings; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr is a terminal: progress may be a live line. */
  stderrIsTTY: boolean;
  /** Width of the terminal stdout writes to; undefined when stdout is not a terminal (tables are then not fitted). */
  stdoutColumns?: number;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal?: AbortSignal;
  now?: () => Date;
}

export function processIO(signal?: AbortSignal): CliIO {
  return {
    stdout: (t) => {
      process.stdout.write(t);
    },
    stderr: (t) => {
      process.stderr.write(t);
    },
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdoutColumns: process.stdout.isTTY ? process.stdout.columns || 80 : undefined,
    env: process.env,
    cwd: process.cwd(),
    signal,
  };
}
