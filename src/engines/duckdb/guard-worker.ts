/**
 * The input pre-check's worker thread (guard.ts starts one per core when a run has many
 * files to check): takes file indexes from a shared counter and scans each small gzip
 * file as the main thread would (scanSmallGzipFile). Unless the run collects bad files,
 * every thread stops at its next file once one thread has found a bad one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanSmallGzipFile, type GuardLimits } from './guard.js';

export interface GuardWorkerData {
  files: { path: string; json: boolean }[];
  limits: GuardLimits;
  /** --skip-bad-files: find every problem, and do not stop at the first. */
  collect: boolean;
  /** Int32 [next file, stop flag], shared by the threads. */
  counter: SharedArrayBuffer;
}

/** Per file scanned: its index and its problem (null: safe; 'stream': too large for one call, left to the main thread). */
export type GuardWorkerResult = [number, string | null][];

export function scanFiles(data: GuardWorkerData): GuardWorkerResult {
  const next = new Int32Array(data.counter);
  const out: GuardWorkerResult = [];
  for (;;) {
    if (Atomics.load(next, 1) !== 0) break;
    const i = Atomics.add(next, 0, 1);
    if (i >= data.files.length) break;
    const f = data.files[i]!;
    const problem = scanSmallGzipFile(f.path, f.json, data.limits, data.collect) ?? null;
    out.push([i, problem]);
    if (problem !== null && problem !== 'stream' && !data.collect) Atomics.store(next, 1, 1);
  }
  return out;
}

if (parentPort && (workerData as GuardWorkerData | undefined)?.counter) parentPort.postMessage(scanFiles(workerData as GuardWorkerData));
