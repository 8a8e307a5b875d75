import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CasebookError } from '../../errors.js';
import { noteFileSize, type LakeFile } from './lake.js';
import { guardLimits, tooLarge, type BadFile, type GuardLimits } from './guard.js';

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

interface Task {
  /** Index of the partition. */
  part: number;
  paths: string[];
}

/** What a worker reports. */
interface WorkerResult {
  outputs: { part: number; header: string; path: string; source: string }[];
  rest: string[];
  bad: { path: string; problem: string; message: string }[];
  sizes: [string, number][];
  /** Why the temporary folder could not take the files, if it could not. */
  unavailable?: string;
}

/** The spool cannot be used (its temporary folder cannot be made or filled): read the files one by one. */
export class SpoolUnavailable extends Error {}

/**
 * The worker thread's code, run with `eval` so the bundled CLI needs no extra entry file.
 * Plain JavaScript: it takes its tasks from a shared counter and writes with sync calls
 * (it is a thread of its own).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, fstatSync, readSync, writeSync, closeSync } = require('node:fs');
const { gunzipSync, inflateRawSync, crc32 } = require('node:zlib');
const { tasks, dir, id, maxCompressed, maxOutput, maxFileBytes, collect, counter } = workerData;
const next = new Int32Array(counter);
const out = { outputs: [], rest: [], bad: [], sizes: [] };
const cap = Math.min(maxFileBytes, maxOutput);
let buf = Buffer.alloc(256 * 1024);
let n = 0;
let open = new Map();
try {
  spool();
} catch (err) {
  // The temporary folder cannot take the files (full, removed, read-only): the engine reads them one by one.
  out.unavailable = String(err.message).split('\\n')[0];
  Atomics.store(next, 1, 1);
  for (const o of open.values()) if (o.fd !== undefined) try { closeSync(o.fd); } catch {}
}
parentPort.postMessage(out);
function spool() {
for (;;) {
  if (Atomics.load(next, 1) !== 0) break;
  const t = Atomics.add(next, 0, 1);
  if (t >= tasks.length) break;
  const task = tasks[t];
  open = new Map();
  for (const path of task.paths) {
    if (Atomics.load(next, 1) !== 0) break;
    let size, len, fd;
    try { fd = openSync(path, 'r'); } catch (err) {
      const m = String(err.message).split('\\n')[0];
      fail(path, 'cannot be read (' + m + ')', 'log file ' + path + ' cannot be read: ' + m);
      continue;
    }
    try {
      // Read to the end (no stat: the bytes read are the size), at most maxCompressed + 1.
      len = 0;
      for (;;) {
        if (len === buf.length) {
          if (len > maxCompressed) break;
          const grown = Buffer.alloc(Math.min(buf.length * 2, maxCompressed + 1));
          buf.copy(grown, 0, 0, len);
          buf = grown;
        }
        const r = readSync(fd, buf, len, buf.length - len, len);
        if (r === 0) break;
        len += r;
      }
      size = len;
      if (len > maxCompressed) size = fstatSync(fd).size;
    } finally { closeSync(fd); }
    out.sizes.push([path, size]);
    if (size > maxCompressed) { out.rest.push(path); continue; }
    if (len === 0) { fail(path, 'not a valid gzip file (unexpected end of file)', 'log file ' + path + ' is empty'); continue; }
    let text = inflateSimple(buf, len);
    if (text === undefined) try {
      text = gunzipSync(buf.subarray(0, len), { maxOutputLength: cap + 1 });
    } catch (err) {
      if (err.code === 'ERR_BUFFER_TOO_LARGE') {
        if (cap === maxFileBytes) fail(path, 'TOO_LARGE', '');
        else out.rest.push(path);
        continue;
      }
      const m = String(err.message).split('\\n')[0];
      fail(path, 'not a valid gzip file (' + m + ')', 'log file ' + path + ' is corrupt or truncated: ' + m);
      continue;
    }
    if (text.length > maxFileBytes) { fail(path, 'TOO_LARGE', ''); continue; }
    let nl = text.indexOf(10);
    if (nl < 0) nl = text.length;
    const header = text.subarray(0, nl).toString('utf8').trim();
    // Carriage returns, or no header line: the per-file reader decides.
    if (header === '' || text.indexOf(13) >= 0) { out.rest.push(path); continue; }
    let o = open.get(header);
    if (!o) {
      o = { path: dir + '/' + id + '-' + (n++) + '.log', chunks: [], size: 0 };
      o.fd = openSync(o.path, 'wx', 0o600);
      open.set(header, o);
      out.outputs.push({ part: task.part, header, path: o.path, source: path });
    }
    const body = text.subarray(Math.min(nl + 1, text.length));
    if (body.length) {
      o.chunks.push(body);
      o.size += body.length;
      if (body[body.length - 1] !== 10) { o.chunks.push(NEWLINE); o.size++; }
      if (o.size >= 1 << 20) flush(o);
    }
  }
  for (const o of open.values()) { flush(o); closeSync(o.fd); o.fd = undefined; }
  open = new Map();
}
}
/**
 * The common gzip file (one member, no optional header fields) inflated as raw deflate,
 * checked against the trailer's CRC-32 and length: a third cheaper than gunzipSync. Any
 * other file, or any doubt, gives undefined (gunzipSync then inflates or names the fault).
 */
function inflateSimple(b, len) {
  if (len < 18 || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8 || b[3] !== 0) return undefined;
  const crc = b.readUInt32LE(len - 8);
  const isize = b.readUInt32LE(len - 4);
  if (isize > cap) return undefined;
  let o;
  try {
    o = inflateRawSync(b.subarray(10, len - 8), { maxOutputLength: cap + 1 });
  } catch {
    return undefined;
  }
  return o.length === isize && crc32(o) === crc ? o : undefined;
}
function flush(o) {
  if (o.size === 0) return;
  const data = o.chunks.length === 1 ? o.chunks[0] : Buffer.concat(o.chunks, o.size);
  let off = 0;
  while (off < data.length) off += writeSync(o.fd, data, off, data.length - off);
  o.chunks = []; o.size = 0;
}
function fail(path, problem, message) {
  out.bad.push({ path, problem, message });
  if (!collect) Atomics.store(next, 1, 1);
}
`.replace('NEWLINE', "Buffer.from('\\n')");

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
  const tasks: Task[] = [];
  const byKey = new Map<string, Task>();
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
  const workers: Worker[] = [];
  let results: WorkerResult[];
  try {
    if (options.signal?.aborted) throw new CasebookError('query cancelled');
    results = await new Promise<WorkerResult[]>((resolve, reject) => {
      const done: WorkerResult[] = [];
      let failed = false;
      const onAbort = () => {
        if (failed) return;
        failed = true;
        Atomics.store(new Int32Array(counter), 1, 1);
        for (const w of workers) void w.terminate();
        reject(new CasebookError('query cancelled'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      for (let id = 0; id < threads; id++) {
        const w = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: {
            tasks,
            dir,
            id,
            maxCompressed: SPOOL_MAX_COMPRESSED,
            maxOutput: SPOOL_MAX_OUTPUT,
            maxFileBytes: limits.maxFileBytes,
            collect: options.collect === true,
            counter,
          },
        });
        workers.push(w);
        w.once('message', (r: WorkerResult) => {
          done.push(r);
          if (done.length === threads && !failed) {
            options.signal?.removeEventListener('abort', onAbort);
            resolve(done);
          }
        });
        w.once('error', (err) => {
          if (failed) return;
          failed = true;
          options.signal?.removeEventListener('abort', onAbort);
          Atomics.store(new Int32Array(counter), 1, 1);
          for (const x of workers) void x.terminate();
          reject(new CasebookError(`reading the flow-log files failed: ${err.message}`, { cause: err }));
        });
      }
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
