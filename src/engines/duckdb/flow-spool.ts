import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CasebookError } from '../../errors.js';
import { noteFileSize, type LakeFile } from './lake.js';
import { guardLimits, tooLarge, type BadFile, type GuardLimits } from './guard.js';
import { runThreads, workerStarter } from '../../worker-thread.js';
import type { SpoolTask, SpoolWorkerData, SpoolWorkerResult } from './flow-spool-worker.js';

/**
 * Flow-log text files read as a few large files instead of many small ones.
 *
 * AWS delivers a flow-log file per ENI group every 5-10 minutes, so a lake holds tens of
 * thousands of files of a few hundred records, and DuckDB's CSV reader sets up a scanner
 * per file (about a quarter of a millisecond each: most of a scan's time). The input
 * pre-check (guard.ts) inflates every file anyway; the spool does that pass instead, in
 * worker threads on every core, and writes each file's records (its header line dropped)
 * to one uncompressed file per header line and partition (account, region, day) in a
 * private temporary folder. DuckDB then reads those few large files, in parallel.
 *
 * Kept from the per-file path: the pre-check's limit (a file inflating beyond
 * CASEBOOK_MAX_FILE_BYTES is refused by name, or skipped with --skip-bad-files), an
 * error naming any file that is not valid gzip, each file's own header line (custom
 * formats), cancellation. A file the spool is unsure of (larger than the one-call
 * inflate takes, a header it cannot read, carriage returns) is left to the per-file
 * path, which reads it as before; a failed read of the spool makes the engine read the
 * files one by one again, so errors name the file and line at fault.
 */

/** A spooled file: the records of some lake files of one partition that share a header line. */
export interface SpooledFlowFile extends LakeFile {
  /** The header line the files share. */
  header: string;
  /** The first lake file spooled into it (named by errors about its header). */
  source: string;
}

export interface FlowSpool {
  /** Spooled files, to read with `header = false`. */
  spooled: SpooledFlowFile[];
  /** Lake files the spool left to the per-file reader. */
  rest: LakeFile[];
  /** Bad files left out (only when collecting, i.e. --skip-bad-files). */
  bad: BadFile[];
  /** Remove the temporary folder (also done at process exit if forgotten). */
  dispose(): void;
}

/** Compressed files up to this size are spooled (as guard.ts inflates them in one call); larger ones go the per-file way. */
const SPOOL_MAX_COMPRESSED = 4 * 1024 * 1024;
/** Most decompressed bytes of one spooled file (bounds each worker's memory); beyond it, the per-file way. */
const SPOOL_MAX_OUTPUT = 64 * 1024 * 1024;

/** Below this many files the spool's start-up (a worker thread, ~30 ms) is not worth it. */
export const SPOOL_MIN_FILES = 64;

/** Whether a lake file is a flow-log text file the spool can take (gzip text, not Parquet). */
export function spoolable(f: LakeFile): boolean {
  return f.format === 'text' && f.path.endsWith('.gz');
}

/** The spool cannot be used (its temporary folder cannot be made or filled): read the files one by one. */
export class SpoolUnavailable extends Error {}

/** Temporary folders of spools not yet disposed of, removed at exit (a second Ctrl-C exits at once). */
const live = new Set<string>();
let exitHook = false;
function removeAtExit(dir: string): void {
  live.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const d of live) rmSync(d, { recursive: true, force: true });
  });
}

/**
 * Spool the flow-log text files of a window (see above). Throws a CasebookError naming
 * the first bad file unless `collect` (then bad files are returned and left out).
 */
export async function spoolFlowLogs(
  files: LakeFile[],
  options: { signal?: AbortSignal; limits?: GuardLimits; collect?: boolean; threads?: number; tmp?: string } = {},
): Promise<FlowSpool> {
  const limits = options.limits ?? guardLimits();
  const parts: { account: string; region: string; day: string }[] = [];
  const tasks: SpoolTask[] = [];
  const byKey = new Map<string, SpoolTask>();
  const byPath = new Map<string, LakeFile>();
  const rest: LakeFile[] = [];
  for (const f of files) {
    if (!spoolable(f)) {
      rest.push(f);
      continue;
    }
    byPath.set(f.path, f);
    const key = `${f.account}\n${f.region}\n${f.day}`;
    let task = byKey.get(key);
    if (!task) {
      task = { part: parts.length, paths: [] };
      parts.push({ account: f.account, region: f.region, day: f.day });
      byKey.set(key, task);
      tasks.push(task);
    }
    task.paths.push(f.path);
  }
  // Largest partitions first, so the threads finish together.
  tasks.sort((a, b) => b.paths.length - a.paths.length);
  let dir: string;
  try {
    dir = mkdtempSync(join(options.tmp ?? tmpdir(), 'casebook-flows-'));
  } catch (err) {
    throw new SpoolUnavailable((err as Error).message, { cause: err });
  }
  removeAtExit(dir);
  const dispose = () => {
    rmSync(dir, { recursive: true, force: true });
    live.delete(dir);
  };
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), tasks.length));
  const counter = new SharedArrayBuffer(8);
  let results: SpoolWorkerResult[];
  const start = workerStarter(new URL('./flow-spool-worker.js', import.meta.url));
  try {
    if (options.signal?.aborted) throw new CasebookError('query cancelled');
    if (!start) throw new SpoolUnavailable('worker threads cannot run in this build');
    results = await runThreads<SpoolWorkerResult>(start, {
      threads,
      workerData: (id) =>
        ({
          tasks,
          dir,
          id,
          maxCompressed: SPOOL_MAX_COMPRESSED,
          maxOutput: SPOOL_MAX_OUTPUT,
          maxFileBytes: limits.maxFileBytes,
          collect: options.collect === true,
          counter,
        }) satisfies SpoolWorkerData,
      counter,
      onError: (err) => new CasebookError(`reading the flow-log files failed: ${err.message}`, { cause: err }),
      signal: options.signal,
    });
  } catch (err) {
    dispose();
    throw err;
  }
  const unavailable = results.find((r) => r.unavailable !== undefined)?.unavailable;
  if (unavailable !== undefined) {
    dispose();
    throw new SpoolUnavailable(unavailable);
  }
  for (const r of results) for (const [path, size] of r.sizes) noteFileSize(path, size);
  const bad = results.flatMap((r) => r.bad).sort((a, b) => a.path.localeCompare(b.path));
  if (bad.length && !options.collect) {
    dispose();
    const b = bad[0]!;
    throw new CasebookError(
      b.problem === 'TOO_LARGE'
        ? `log file ${b.path} cannot be read safely: ${tooLarge(limits)}; move it out of the lake to query the rest`
        : b.message,
    );
  }
  for (const r of results) for (const p of r.rest) rest.push(byPath.get(p)!);
  const spooled: SpooledFlowFile[] = results
    .flatMap((r) => r.outputs)
    .sort((a, b) => a.part - b.part || a.source.localeCompare(b.source))
    .map((o) => ({ ...parts[o.part]!, path: o.path, format: 'text', size: 0, header: o.header, source: o.source }));
  return {
    spooled,
    rest,
    bad: bad.map((b) => ({ path: b.path, problem: b.problem === 'TOO_LARGE' ? tooLarge(limits) : b.problem })),
    dispose,
  };
}
