import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createGunzip, gunzipSync } from 'node:zlib';
import { CasebookError } from '../../errors.js';
import { noteFileSize } from './lake.js';
import { CheckedFiles, type FileIdentity } from './checked-files.js';
import { availableParallelism } from 'node:os';
import { runThreads, workerStarter } from '../../worker-thread.js';
import type { GuardWorkerData, GuardWorkerResult } from './guard-worker.js';

/**
 * What a log file may hold before the embedded engine reads it. DuckDB's JSON reader
 * recurses once per nesting level and crashes the whole process (no error, signal 11)
 * on a record nested tens of thousands deep; a gzip bomb or one huge record exhausts
 * memory with an error that names no file. Every file is therefore scanned first, in
 * one streaming pass over its decompressed bytes, and refused with a message naming it.
 */
export interface GuardLimits {
  /** Deepest JSON nesting accepted (real CloudTrail records stay under 20 levels). */
  maxDepth: number;
  /** Most decompressed bytes in one file. */
  maxFileBytes: number;
  /** Most bytes in one CloudTrail record (one element of its Records array). */
  maxRecordBytes: number;
}

export const DEFAULT_LIMITS: GuardLimits = {
  maxDepth: 1000,
  // The largest JSON document the engine's reader accepts (views.ts MAX_JSON_OBJECT).
  maxFileBytes: 1024 * 1024 * 1024,
  maxRecordBytes: 64 * 1024 * 1024,
};

/**
 * The limits in force: the defaults, lowered or raised by CASEBOOK_MAX_FILE_BYTES,
 * CASEBOOK_MAX_RECORD_BYTES and CASEBOOK_MAX_JSON_DEPTH.
 */
export function guardLimits(env: Record<string, string | undefined> = process.env): GuardLimits {
  const read = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1) throw new CasebookError(`${name}=${text} is not a whole number of at least 1`, { exitCode: 2 });
    return n;
  };
  return {
    maxDepth: read('CASEBOOK_MAX_JSON_DEPTH', DEFAULT_LIMITS.maxDepth),
    maxFileBytes: read('CASEBOOK_MAX_FILE_BYTES', DEFAULT_LIMITS.maxFileBytes),
    maxRecordBytes: read('CASEBOOK_MAX_RECORD_BYTES', DEFAULT_LIMITS.maxRecordBytes),
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Streaming JSON structure scan: nesting depth and the size of each record (depth-3 value), with string state carried across chunks. */
class JsonScan {
  depth = 0;
  private inString = false;
  private escaped = false;
  private offset = 0;
  private recordStart = -1;
  maxDepthSeen = 0;

  constructor(private readonly limits: GuardLimits) {}

  /** A problem found in this chunk, or undefined. */
  feed(buf: Buffer): string | undefined {
    const { maxDepth, maxRecordBytes } = this.limits;
    const n = buf.length;
    let i = 0;
    // Position of the next backslash at or after i (n: none left), found once per backslash, not once per string.
    let nextBackslash = -1;
    while (i < n) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        // Jump to the next quote or backslash: most bytes of a log file are inside strings.
        const q = buf.indexOf(QUOTE, i);
        if (nextBackslash < i) {
          nextBackslash = buf.indexOf(BACKSLASH, i);
          if (nextBackslash < 0) nextBackslash = n;
        }
        const b = nextBackslash < n ? nextBackslash : -1;
        if (q < 0 && b < 0) {
          i = n;
          break;
        }
        if (b >= 0 && (q < 0 || b < q)) {
          this.escaped = true;
          i = b + 1;
        } else {
          this.inString = false;
          i = q + 1;
        }
        continue;
      }
      const c = buf[i]!;
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++;
        if (this.depth > maxDepth) return `JSON nested more than ${maxDepth} levels deep (limit: CASEBOOK_MAX_JSON_DEPTH)`;
        if (this.depth === 3) this.recordStart = this.offset + i;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.depth === 3 && this.recordStart >= 0) {
          if (this.offset + i + 1 - this.recordStart > maxRecordBytes) return this.recordTooLarge();
          this.recordStart = -1;
        }
        this.depth--;
      }
      i++;
    }
    this.offset += n;
    if (this.recordStart >= 0 && this.depth >= 3 && this.offset - this.recordStart > maxRecordBytes) return this.recordTooLarge();
    return undefined;
  }

  private recordTooLarge(): string {
    return `a record larger than ${bytesText(this.limits.maxRecordBytes)} (limit: CASEBOOK_MAX_RECORD_BYTES)`;
  }
}

/** Why a file beyond the decompressed-size limit is refused. */
export function tooLarge(limits: GuardLimits): string {
  return `it holds more than ${bytesText(limits.maxFileBytes)} uncompressed (limit: CASEBOOK_MAX_FILE_BYTES)`;
}

function bytesText(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  return `${n} bytes`;
}

/**
 * Why the engine must not read this gzip log file, or undefined if it is safe: more
 * decompressed bytes than the cap (checked as it inflates, so a bomb costs no more than
 * the cap), JSON deeper than the limit, or a record larger than the limit. A file that
 * is not valid gzip is left to the engine, which reports it by name.
 */
export function scanGzipFile(path: string, json: boolean, limits: GuardLimits, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const scan = json ? new JsonScan(limits) : undefined;
    let total = 0;
    let settled = false;
    const input = createReadStream(path);
    const gunzip = createGunzip();
    const finish = (problem: string | undefined) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      input.destroy();
      gunzip.destroy();
      resolve(problem);
    };
    const onAbort = () => {
      if (settled) return;
      settled = true;
      input.destroy();
      gunzip.destroy();
      reject(new CasebookError('query cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    gunzip.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limits.maxFileBytes) return finish(tooLarge(limits));
      const problem = scan?.feed(chunk);
      if (problem) finish(problem);
    });
    gunzip.on('end', () => finish(undefined));
    gunzip.on('error', () => finish(undefined));
    input.on('error', () => finish(undefined));
    input.pipe(gunzip);
  });
}

/** Compressed files up to this size are inflated in one call (fast for the many small files of a lake); larger ones are streamed. */
const SYNC_MAX_COMPRESSED = 4 * 1024 * 1024;
/** Output bound of the one-call inflate: beyond it the file is streamed, so memory stays bounded. */
const SYNC_MAX_OUTPUT = 64 * 1024 * 1024;

/** A small gzip file's bytes inflated in one call, bounded and scanned: its bytes, its problem, the inflate error, or 'stream' when too large for one call. */
function inflateAndScan(
  input: Buffer,
  json: boolean,
  limits: GuardLimits,
): { data?: Buffer; problem?: string; invalid?: Error } | 'stream' {
  const cap = Math.min(limits.maxFileBytes, SYNC_MAX_OUTPUT);
  let data: Buffer;
  try {
    data = gunzipSync(input, { maxOutputLength: cap + 1 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      return cap === limits.maxFileBytes ? { problem: tooLarge(limits) } : 'stream';
    return { invalid: err as Error };
  }
  if (data.length > limits.maxFileBytes) return { problem: tooLarge(limits) };
  const problem = json ? new JsonScan(limits).feed(data) : undefined;
  return problem ? { problem } : { data };
}

/** scanGzipFile for a small file, in one call; undefined result 'stream' when it must be streamed. */
export function scanSmallGzipFile(path: string, json: boolean, limits: GuardLimits, strict = false): string | undefined | 'stream' {
  let r: ReturnType<typeof inflateAndScan>;
  try {
    r = inflateAndScan(readFileSync(path), json, limits);
  } catch (err) {
    r = { invalid: err as Error };
  }
  if (r === 'stream') return r;
  // Not valid gzip: left to the engine, which names the file, unless asked to find every bad file here.
  if (r.invalid) return strict ? `not a valid gzip file (${r.invalid.message.split('\n')[0]})` : undefined;
  if (r.problem || !strict || !json) return r.problem;
  return cloudTrailFileProblem(r.data!);
}

/**
 * A small gzip log file inflated and scanned in one call, for a caller that needs its
 * bytes as well (the store's import merges them): the decompressed bytes if the file is
 * safe, the problem if it is not, nothing if it is not valid gzip (left to the engine,
 * which names the file), or 'stream' when it is too large for one call (scanGzipFile).
 */
export function inflateSmallGzipFile(path: string, json: boolean, limits: GuardLimits): { data?: Buffer; problem?: string } | 'stream' {
  const input = readFileSync(path);
  if (input.length > SYNC_MAX_COMPRESSED) return 'stream';
  const r = inflateAndScan(input, json, limits);
  return r === 'stream' ? r : r.invalid ? {} : r;
}

/** The error for an unsafe log file, the same for every command that reads the lake. */
export function unsafeFileError(path: string, problem: string): CasebookError {
  return new CasebookError(`log file ${path} cannot be read safely: ${problem}; move it out of the lake to query the rest`);
}

/** Why a decompressed CloudTrail file is not one the engine can read: not JSON, or no Records list. */
function cloudTrailFileProblem(data: Buffer): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(data.toString('utf8'));
  } catch {
    return 'not valid JSON';
  }
  return Array.isArray((doc as { Records?: unknown })?.Records) ? undefined : 'no Records list (not a CloudTrail log file)';
}

/** Files already scanned in this process (a report reads the same files for many sections), by path. */
const checked = new Map<string, string>();
const idText = (f: FileIdentity) => `${f.size}:${f.mtimeMs}:${f.ctimeMs}:${f.ino}`;

/** How much work a pre-check did. */
export interface GuardCounts {
  /** Files inflated and scanned. */
  scanned: number;
  /** Files found safe before, in this process or an earlier run, and unchanged since. */
  remembered: number;
  /** Of the scanned files, those scanned on worker threads. */
  threaded?: number;
}

/**
 * Scan the gzip log files the engine is about to read (a few at a time, decompression
 * runs off the main thread) and throw one error naming the first unsafe file. Files
 * found safe before under the same limits, in this process or an earlier run
 * (checked-files.ts), and unchanged since, are skipped.
 */
export async function guardLakeFiles(
  files: { path: string; format?: string }[],
  options: {
    signal?: AbortSignal;
    limits?: GuardLimits;
    concurrency?: number;
    collect?: boolean;
    /** Where earlier runs' results are kept (default: the user's cache folder); false: not kept. */
    remember?: CheckedFiles | false;
    counts?: GuardCounts;
  } = {},
): Promise<BadFile[]> {
  const limits = options.limits ?? guardLimits();
  // Collecting (--skip-bad-files) checks more than the default does: its findings are kept apart.
  const mode = options.collect ? 'every-problem' : 'unsafe-only';
  const remembered = options.remember === false ? undefined : (options.remember ?? new CheckedFiles({ ...limits, mode }));
  const gz = files.filter((f) => f.path.endsWith('.gz'));
  const todo = gz
    .map((f) => {
      const st = statSync(f.path);
      noteFileSize(f.path, st.size);
      const id: FileIdentity = { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
      return { path: f.path, json: f.path.endsWith('.json.gz'), size: st.size, id };
    })
    .filter((f) => checked.get(`${mode} ${f.path}`) !== idText(f.id) && !remembered?.has(f.path, f.id));
  if (options.counts) {
    options.counts.scanned += todo.length;
    options.counts.remembered += gz.length - todo.length;
  }
  // Many small files: scanned on every core first (a file too large for one call is left to the loop below).
  const small = todo.filter((f) => f.size <= SYNC_MAX_COMPRESSED);
  const known =
    small.length >= THREADED_MIN_FILES ? await scanInThreads(small, limits, options.collect === true, options.signal) : undefined;
  if (options.counts && known) options.counts.threaded = (options.counts.threaded ?? 0) + known.size;
  let next = 0;
  const bad: BadFile[] = [];
  const worker = async () => {
    while ((options.collect || bad.length === 0) && next < todo.length) {
      const f = todo[next++]!;
      if (options.signal?.aborted) throw new CasebookError('query cancelled');
      // Collecting (--skip-bad-files): a file the engine would fail on is found here too, so it can be left out.
      let problem = known?.has(f.path)
        ? known.get(f.path)
        : f.size <= SYNC_MAX_COMPRESSED
          ? scanSmallGzipFile(f.path, f.json, limits, options.collect)
          : 'stream';
      if (problem === 'stream') problem = await scanGzipFile(f.path, f.json, limits, options.signal);
      if (problem) bad.push({ path: f.path, problem });
      else {
        checked.set(`${mode} ${f.path}`, idText(f.id));
        remembered?.add(f.path, f.id);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, todo.length) }, worker));
  } finally {
    // What was found safe stays found, even when the run stops at a bad file or is cancelled.
    remembered?.save();
  }
  if (bad.length && !options.collect) {
    const failure = bad[0]!;
    throw unsafeFileError(failure.path, failure.problem);
  }
  return bad.sort((a, b) => a.path.localeCompare(b.path));
}

/** Below this many files to scan, starting threads (about 30 ms each) is not worth it. */
const THREADED_MIN_FILES = 256;

/**
 * Scan small gzip files on worker threads, one per core (guard-worker.ts): each file's
 * problem (undefined: safe; 'stream': too large for one call). A file not scanned (the
 * threads stop at a bad file unless collecting, or threads cannot run in this build) is
 * absent, and the caller scans it. Cancelling stops the threads.
 */
async function scanInThreads(
  files: { path: string; json: boolean }[],
  limits: GuardLimits,
  collect: boolean,
  signal?: AbortSignal,
): Promise<Map<string, string | undefined>> {
  const known = new Map<string, string | undefined>();
  const start = workerStarter(new URL('./guard-worker.js', import.meta.url));
  if (!start) return known;
  const counter = new SharedArrayBuffer(8);
  const data: GuardWorkerData = { files: files.map((f) => ({ path: f.path, json: f.json })), limits, collect, counter };
  const results = await runThreads<GuardWorkerResult>(start, {
    threads: Math.max(1, Math.min(availableParallelism(), 4)),
    workerData: () => data,
    counter,
    // A thread that fails leaves its files to the caller, which scans them itself.
    onError: () => [],
    signal,
  });
  for (const r of results) for (const [i, problem] of r) known.set(files[i]!.path, problem ?? undefined);
  return known;
}

/** A log file left out of a run, and why. */
export interface BadFile {
  path: string;
  problem: string;
}
