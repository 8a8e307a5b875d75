import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { CasebookError } from './errors.js';

/*
 * Starting a worker thread on one of casebook's own modules, however casebook runs: from
 * the bundled CLI (dist/cli/, where each worker module is an entry of its own, see
 * scripts/build-cli.mjs), from the compiled library (dist/src/) or from the TypeScript
 * sources (tests), where the worker compiles its modules as it loads them.
 */

/**
 * Loader hooks that let a worker thread import TypeScript sources when casebook itself
 * runs from source (vitest, ts runners). Compiled builds load the .js module directly.
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

/**
 * A way to start a worker thread on the module `js` (a URL built with
 * `new URL('./name.js', import.meta.url)` beside the module that starts it), or undefined
 * when worker threads cannot run it here.
 */
export function workerStarter(js: URL): ((options?: WorkerOptions) => Worker) | undefined {
  if (existsSync(fileURLToPath(js))) return (options) => new Worker(js, options);
  const ts = new URL(js.href.replace(/\.js$/, '.ts'));
  if (!existsSync(fileURLToPath(ts))) return undefined;
  let transform: string;
  try {
    transform = pathToFileURL(createRequire(fileURLToPath(ts)).resolve('rolldown/utils')).href;
  } catch {
    return undefined;
  }
  const boot = `
import { register } from 'node:module';
register(${JSON.stringify(dataUrl(tsHooks(transform)).href)});
await import(${JSON.stringify(ts.href)});
`;
  return (options) => new Worker(dataUrl(boot), options);
}

/**
 * Run `threads` worker threads, each started with `workerData(i)` and sending one message
 * with its result, and wait for them all: the results, in the order they arrive. The
 * threads share `counter`, whose second Int32 is their stop flag: set when the run is
 * cancelled (then 'query cancelled') and when a thread fails. What a failed thread stands
 * for is `onError`'s answer: a result (the caller then does that thread's share itself),
 * or an Error, which the run rejects with.
 */
export function runThreads<R>(
  start: (options?: WorkerOptions) => Worker,
  options: {
    threads: number;
    workerData: (index: number) => unknown;
    counter: SharedArrayBuffer;
    onError: (err: Error) => R | Error;
    signal?: AbortSignal;
  },
): Promise<R[]> {
  const { signal, counter } = options;
  return new Promise<R[]>((resolve, reject) => {
    const done: R[] = [];
    const workers: Worker[] = [];
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      Atomics.store(new Int32Array(counter), 1, 1);
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(done);
    };
    const arrived = (r: R) => {
      done.push(r);
      if (done.length === options.threads) finish();
    };
    const onAbort = () => finish(new CasebookError('query cancelled'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    for (let i = 0; i < options.threads; i++) {
      const w = start({ workerData: options.workerData(i) });
      workers.push(w);
      w.once('message', (r: R) => arrived(r));
      w.once('error', (err) => {
        const stands = options.onError(err);
        if (stands instanceof Error) finish(stands);
        else arrived(stands);
      });
    }
  });
}
