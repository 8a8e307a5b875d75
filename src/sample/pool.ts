/**
 * Runs chunks on worker threads (or in-process for one worker). Results are
 * only counts; the files themselves are written by whoever runs the chunk.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runChunk, type ChunkResult, type ChunkTask } from './chunk.js';
import type { WorkerReply } from './worker.js';

/**
 * Loader hooks that let a worker thread import this folder's TypeScript sources
 * when the generator itself runs from source (vitest, ts runners). Compiled
 * builds load worker.js directly and never use this.
 */
function tsHooks(transformUrl: string): string {
  return `
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from ${JSON.stringify(transformUrl)};
export async function resolve(specifier, context, next) {
  if (context.parentURL && context.parentURL.endsWith('.ts') && /^\\.\\.?\\//.test(specifier) && specifier.endsWith('.js')) {
    const url = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.ts')) {
    const path = fileURLToPath(url);
    const out = transformSync(path, readFileSync(path, 'utf8'), { lang: 'ts' });
    if (out.errors && out.errors.length) throw new Error('cannot compile ' + path + ': ' + out.errors.map((e) => e.message).join('; '));
    return { format: 'module', source: out.code, shortCircuit: true };
  }
  return next(url, context);
}`;
}

function dataUrl(js: string): URL {
  return new URL(`data:text/javascript,${encodeURIComponent(js)}`);
}

/** A way to start a worker, or undefined when worker threads cannot run this code. */
function workerFactory(): (() => Worker) | undefined {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    const url = new URL('./worker.js', here);
    return existsSync(fileURLToPath(url)) ? () => new Worker(url) : undefined;
  }
  let transform: string;
  try {
    transform = pathToFileURL(createRequire(fileURLToPath(here)).resolve('rolldown/utils')).href;
  } catch {
    return undefined;
  }
  const entry = new URL('./worker.ts', here).href;
  const boot = `
import { register } from 'node:module';
register(${JSON.stringify(dataUrl(tsHooks(transform)).href)});
await import(${JSON.stringify(entry)});
`;
  return () => new Worker(dataUrl(boot));
}

export interface PoolOptions {
  workers: number;
  onResult: (result: ChunkResult) => void;
  onNote?: (message: string) => void;
}

export async function runChunks(tasks: ChunkTask[], opts: PoolOptions): Promise<void> {
  const count = Math.min(opts.workers, tasks.length);
  const factory = count > 1 ? workerFactory() : undefined;
  if (count > 1 && !factory) opts.onNote?.('worker threads are not available for this build; generating in the main thread');
  if (!factory || count <= 1) {
    for (const task of tasks) {
      opts.onResult(runChunk(task));
      // Let progress output and signals through between chunks.
      await new Promise((r) => setImmediate(r));
    }
    return;
  }

  await new Promise<void>((resolve, reject) => {
    const workers: Worker[] = [];
    const retired = new Set<Worker>();
    let next = 0;
    let done = 0;
    let failed = false;
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      for (const w of workers) retire(w);
      reject(err);
    };
    const retire = (w: Worker): void => {
      if (retired.has(w)) return;
      retired.add(w);
      void w.terminate();
    };
    const feed = (w: Worker): void => {
      if (next < tasks.length) w.postMessage(tasks[next++]);
      else retire(w);
    };
    for (let i = 0; i < count; i++) {
      const w = factory();
      workers.push(w);
      w.on('message', (reply: WorkerReply) => {
        if (failed) return;
        if (!reply.ok) {
          fail(new Error(`sample generator failed on chunk ${reply.index}: ${reply.error}`));
          return;
        }
        try {
          opts.onResult(reply.result);
        } catch (err) {
          fail(err as Error);
          return;
        }
        done++;
        if (done === tasks.length) {
          for (const x of workers) retire(x);
          resolve();
        } else feed(w);
      });
      w.on('error', (err) => fail(err));
      w.on('exit', (code) => {
        if (!failed && !retired.has(w)) fail(new Error(`sample worker exited with code ${code}`));
      });
      feed(w);
    }
  });
}
