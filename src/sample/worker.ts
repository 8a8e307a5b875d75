/** Worker-thread entry: runs chunks sent by generateSampleLake and reports their counts. */
import { parentPort } from 'node:worker_threads';
import { runChunk, type ChunkTask } from './chunk.js';

export type WorkerReply = { ok: true; result: ReturnType<typeof runChunk> } | { ok: false; index: number; error: string };

const port = parentPort;
if (port) {
  port.on('message', (task: ChunkTask) => {
    let reply: WorkerReply;
    try {
      reply = { ok: true, result: runChunk(task) };
    } catch (err) {
      reply = { ok: false, index: task.index, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    port.postMessage(reply);
  });
}
