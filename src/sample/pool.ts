/**
 * Runs chunks on worker threads (or in-process for one worker). Results are
 * only counts; the files themselves are written by whoever runs the chunk.
 */
import type { Worker } from 'node:worker_threads';
import { workerStarter } from '../worker-thread.js';
import { runChunk, type ChunkResult, type ChunkTask } from './chunk.js';
import type { WorkerReply } from './worker.js';

export interface PoolOptions {
  workers: number;
  onResult: (result: ChunkResult) => void;
  onNote?: (message: string) => void;
}

export async function runChunks(tasks: ChunkTask[], opts: PoolOptions): Promise<void> {
  const count = Math.min(opts.workers, tasks.length);
  const factory = count > 1 ? workerStarter(new URL('./worker.js', import.meta.url)) : undefined;
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
