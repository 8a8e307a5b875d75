/**
 * The flow-log spool's worker thread (flow-spool.ts starts one per core): takes
 * partitions from a shared counter, inflates each of their files once, and writes each
 * file's records (its header line dropped) to one uncompressed file per header line in
 * the spool's folder. A file it is unsure of is left to the per-file reader (`rest`); a
 * bad file is reported (`bad`), and unless the run collects bad files, the other threads
 * stop at their next file. Writes are synchronous: this is a thread of its own.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import * as zlib from 'node:zlib';

export interface SpoolTask {
  /** Index of the partition. */
  part: number;
  paths: string[];
}

export interface SpoolWorkerData {
  tasks: SpoolTask[];
  dir: string;
  id: number;
  maxCompressed: number;
  maxOutput: number;
  maxFileBytes: number;
  collect: boolean;
  /** Int32 [next task, stop flag], shared by the threads. */
  counter: SharedArrayBuffer;
}

/** A bad file: `problem` for the run's notes, `message` for the error line; problem TOO_LARGE: over the limit. */
export interface SpoolBadFile {
  path: string;
  problem: string;
  message: string;
}

export interface SpoolWorkerResult {
  outputs: { part: number; header: string; path: string; source: string }[];
  rest: string[];
  bad: SpoolBadFile[];
  sizes: [string, number][];
  /** Why the temporary folder could not take the files, if it could not. */
  unavailable?: string;
}

/** zlib.crc32 (node 20.15 and later): without it, every file is inflated by gunzipSync. */
const crc32 = (zlib as { crc32?: (data: Buffer) => number }).crc32;

interface Output {
  path: string;
  fd?: number;
  chunks: Buffer[];
  size: number;
}

const NEWLINE = Buffer.from('\n');

function firstLine(err: unknown): string {
  return String((err as Error).message).split('\n')[0]!;
}

export function spool(data: SpoolWorkerData): SpoolWorkerResult {
  const { tasks, dir, id, maxCompressed, maxOutput, maxFileBytes, collect } = data;
  const next = new Int32Array(data.counter);
  const out: SpoolWorkerResult = { outputs: [], rest: [], bad: [], sizes: [] };
  const cap = Math.min(maxFileBytes, maxOutput);
  let buf = Buffer.alloc(256 * 1024);
  let n = 0;
  let open = new Map<string, Output>();

  const fail = (path: string, problem: string, message: string) => {
    out.bad.push({ path, problem, message });
    if (!collect) Atomics.store(next, 1, 1);
  };
  const flush = (o: Output) => {
    if (o.size === 0) return;
    const bytes = o.chunks.length === 1 ? o.chunks[0]! : Buffer.concat(o.chunks, o.size);
    let off = 0;
    while (off < bytes.length) off += writeSync(o.fd!, bytes, off, bytes.length - off);
    o.chunks = [];
    o.size = 0;
  };
  /**
   * The common gzip file (one member, no optional header fields) inflated as raw deflate,
   * checked against the trailer's CRC-32 and length: a third cheaper than gunzipSync. Any
   * other file, or any doubt, gives undefined (gunzipSync then inflates or names the fault).
   */
  const inflateSimple = (b: Buffer, len: number): Buffer | undefined => {
    if (!crc32 || len < 18 || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8 || b[3] !== 0) return undefined;
    const crc = b.readUInt32LE(len - 8);
    const isize = b.readUInt32LE(len - 4);
    if (isize > cap) return undefined;
    let o: Buffer;
    try {
      o = zlib.inflateRawSync(b.subarray(10, len - 8), { maxOutputLength: cap + 1 });
    } catch {
      return undefined;
    }
    return o.length === isize && crc32(o) === crc ? o : undefined;
  };
  /** The whole file into `buf` (no stat: the bytes read are the size), at most maxCompressed + 1 bytes; its size. */
  const readWhole = (path: string): { len: number; size: number } => {
    const fd = openSync(path, 'r');
    try {
      let len = 0;
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
      return { len, size: len > maxCompressed ? fstatSync(fd).size : len };
    } finally {
      closeSync(fd);
    }
  };

  const run = () => {
    for (;;) {
      if (Atomics.load(next, 1) !== 0) break;
      const t = Atomics.add(next, 0, 1);
      if (t >= tasks.length) break;
      const task = tasks[t]!;
      open = new Map();
      for (const path of task.paths) {
        if (Atomics.load(next, 1) !== 0) break;
        let read: { len: number; size: number };
        try {
          read = readWhole(path);
        } catch (err) {
          fail(path, `cannot be read (${firstLine(err)})`, `log file ${path} cannot be read: ${firstLine(err)}`);
          continue;
        }
        const { len, size } = read;
        out.sizes.push([path, size]);
        if (size > maxCompressed) {
          out.rest.push(path);
          continue;
        }
        if (len === 0) {
          fail(path, 'not a valid gzip file (unexpected end of file)', `log file ${path} is empty`);
          continue;
        }
        let text = inflateSimple(buf, len);
        if (text === undefined) {
          try {
            text = zlib.gunzipSync(buf.subarray(0, len), { maxOutputLength: cap + 1 });
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
              if (cap === maxFileBytes) fail(path, 'TOO_LARGE', '');
              else out.rest.push(path);
              continue;
            }
            fail(path, `not a valid gzip file (${firstLine(err)})`, `log file ${path} is corrupt or truncated: ${firstLine(err)}`);
            continue;
          }
        }
        if (text.length > maxFileBytes) {
          fail(path, 'TOO_LARGE', '');
          continue;
        }
        let nl = text.indexOf(10);
        if (nl < 0) nl = text.length;
        const header = text.subarray(0, nl).toString('utf8').trim();
        // Carriage returns, or no header line: the per-file reader decides.
        if (header === '' || text.indexOf(13) >= 0) {
          out.rest.push(path);
          continue;
        }
        let o = open.get(header);
        if (!o) {
          o = { path: `${dir}/${id}-${n++}.log`, chunks: [], size: 0 };
          o.fd = openSync(o.path, 'wx', 0o600);
          open.set(header, o);
          out.outputs.push({ part: task.part, header, path: o.path, source: path });
        }
        const body = text.subarray(Math.min(nl + 1, text.length));
        if (body.length) {
          o.chunks.push(body);
          o.size += body.length;
          if (body[body.length - 1] !== 10) {
            o.chunks.push(NEWLINE);
            o.size++;
          }
          if (o.size >= 1 << 20) flush(o);
        }
      }
      for (const o of open.values()) {
        flush(o);
        closeSync(o.fd!);
        o.fd = undefined;
      }
      open = new Map();
    }
  };

  try {
    run();
  } catch (err) {
    // The temporary folder cannot take the files (full, removed, read-only): the engine reads them one by one.
    out.unavailable = firstLine(err);
    Atomics.store(next, 1, 1);
    for (const o of open.values())
      if (o.fd !== undefined)
        try {
          closeSync(o.fd);
        } catch {
          // Closing what could not be written: nothing more to do.
        }
  }
  return out;
}

if (parentPort && (workerData as SpoolWorkerData | undefined)?.counter) parentPort.postMessage(spool(workerData as SpoolWorkerData));
