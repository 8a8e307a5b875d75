import { describe, expect, it } from 'vitest';
import {
  canEstimate,
  canStream,
  resultStream,
  type Engine,
  type QueryResult,
  type Row,
  type RowStream,
  type RunOptions,
  type ScanEstimate,
  type ScanRequest,
} from '../src/engines/engine.js';
import { estimatePrepared, prepare, runPrepared, streamPrepared } from '../src/pipeline.js';
import { runQuery, streamQuery } from '../src/index.js';
import { loadPack } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { UsageError } from '../src/errors.js';

const NOW = new Date('2024-03-10T00:00:00Z');
const PARAMS = { resource: 'my-bucket', since: '2024-03-01', until: '2024-03-02' };

function rows(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({ n: i }));
}

function result(n: number): QueryResult {
  return { columns: [{ name: 'n', type: 'integer' }], rows: rows(n), stats: { engine: 'fake', elapsedMs: 1, rows: n } };
}

/** An engine with run only, recording what it was asked. */
class RunOnly implements Engine {
  readonly name = 'fake';
  calls: { sql: string; options?: RunOptions }[] = [];
  constructor(private readonly n = 3) {}
  async run(sql: string, options?: RunOptions): Promise<QueryResult> {
    this.calls.push({ sql, options });
    return result(this.n);
  }
  async close(): Promise<void> {}
}

async function drain(stream: RowStream): Promise<Row[][]> {
  const pages: Row[][] = [];
  for await (const page of stream.pages()) pages.push(page);
  return pages;
}

describe('pipeline: prepare, then run, stream or estimate on an engine', () => {
  it('prepares a query given by id or as itself: the same SQL, window and tables as the pack', () => {
    const query = loadPack().byId.get('who-deleted')!;
    const byId = prepare('who-deleted', PARAMS, { now: NOW });
    const direct = prepareQuery(query, PARAMS, { now: NOW });
    expect(byId.sql).toBe(direct.sql);
    expect(byId.window).toEqual(direct.window);
    expect(byId.tables).toEqual(query.tables);
    expect(byId.tables).toEqual(['cloudtrail']);
    expect(() => prepare('who-deleted-typo', PARAMS)).toThrow(UsageError);
  });

  it('hands the engine the SQL, window, tables, signal and progress', async () => {
    const engine = new RunOnly();
    const prepared = prepare('who-deleted', PARAMS, { now: NOW });
    const signal = new AbortController().signal;
    const onProgress = () => undefined;
    const r = await runPrepared(engine, prepared, { signal, onProgress });
    expect(r.rows).toEqual(rows(3));
    expect(engine.calls).toEqual([{ sql: prepared.sql, options: { window: prepared.window, tables: ['cloudtrail'], signal, onProgress } }]);
  });

  it('streams from an engine without stream by handing back its result in batches', async () => {
    const engine = new RunOnly(2500);
    expect(canStream(engine)).toBe(false);
    const stream = await streamPrepared(engine, prepare('who-deleted', PARAMS, { now: NOW }));
    const pages = await drain(stream);
    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 500]);
    expect(pages.flat()).toEqual(rows(2500));
    expect(stream.columns).toEqual([{ name: 'n', type: 'integer' }]);
    expect(stream.stats()).toEqual({ engine: 'fake', elapsedMs: 1, rows: 2500 });
    expect(await drain(resultStream(result(0)))).toEqual([]);
  });

  it("uses the engine's own stream when it has one", async () => {
    const engine = new RunOnly() as RunOnly & { stream: (sql: string, o?: RunOptions) => Promise<RowStream> };
    const streamed: string[] = [];
    engine.stream = async (sql) => {
      streamed.push(sql);
      return resultStream(result(1));
    };
    expect(canStream(engine)).toBe(true);
    const prepared = prepare('who-deleted', PARAMS, { now: NOW });
    expect((await drain(await streamPrepared(engine, prepared))).flat()).toEqual(rows(1));
    expect(streamed).toEqual([prepared.sql]);
    expect(engine.calls).toEqual([]);
  });

  it('estimates only on an engine that can, with the prepared tables and window', async () => {
    const prepared = prepare('who-deleted', PARAMS, { now: NOW });
    const plain = new RunOnly();
    expect(canEstimate(plain)).toBe(false);
    await expect(estimatePrepared(plain, prepared)).rejects.toThrow('the fake engine cannot estimate what a query would scan');
    const asked: ScanRequest[] = [];
    const estimating = Object.assign(new RunOnly(), {
      estimate: async (request: ScanRequest) => {
        asked.push(request);
        return { bytes: 42 } as ScanEstimate;
      },
    });
    expect(canEstimate(estimating)).toBe(true);
    expect((await estimatePrepared(estimating, prepared)).bytes).toBe(42);
    expect(asked).toEqual([{ tables: ['cloudtrail'], window: prepared.window }]);
    expect(estimating.calls).toEqual([]);
  });

  it('the library entry runs and streams through the same path', async () => {
    const engine = new RunOnly(2);
    const run = await runQuery('who-deleted', PARAMS, { engine, now: NOW });
    expect(run.prepared.sql).toBe(prepare('who-deleted', PARAMS, { now: NOW }).sql);
    expect(run.result.rows).toEqual(rows(2));
    const streamed = await streamQuery('who-deleted', PARAMS, { engine, now: NOW });
    expect((await drain(streamed.stream)).flat()).toEqual(rows(2));
    expect(engine.calls.map((c) => c.options?.tables)).toEqual([['cloudtrail'], ['cloudtrail']]);
  });
});
