import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadPack } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { writeRecordsLake } from '../src/lake/records-lake.js';
import { importLake } from '../src/store/import.js';
import { storeCoverage } from '../src/store/coverage.js';
import { REAL_LAKE, tempDir } from './support/harness.js';
import { caseFlowFormat, casesOf } from './support/test-cases.js';

const pack = loadPack();
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

function temp(): string {
  const { dir, cleanup } = tempDir('casebook-store-');
  cleanups.push(cleanup);
  return dir;
}

/**
 * Each records case is compared on the raw lake and on its Parquet store in
 * test/layouts.test.ts (one import per case, beside its layout variants); here, the
 * real public samples.
 */
describe("the Parquet store gives the raw lake's answers", () => {
  it('on the real public samples, every real case', async () => {
    const lake = join(temp(), 'real');
    cpSync(REAL_LAKE, lake, { recursive: true });
    const store = `${lake}.store`;
    await importLake({ lake, store, threads: 2 });
    // One engine on each side for every case: an engine runs many queries (as a report does).
    const raw = new DuckdbEngine({ lake, store: false, threads: 1 });
    const parquet = new DuckdbEngine({ lake, store, threads: 1 });
    let compared = 0;
    try {
      for (const q of pack.queries) {
        for (const tc of casesOf(q).filter((t) => t.lake === 'real')) {
          const p = prepareQuery(q, tc.params as Record<string, unknown>, { flowFormat: caseFlowFormat(tc) });
          const opts = { window: p.window, tables: q.tables };
          const fromLake = await raw.run(p.sql, opts);
          const fromStore = await parquet.run(p.sql, opts);
          expect(fromStore.stats.notes?.[0], `${q.id} / ${tc.name}`).toMatch(/read the Parquet store/);
          expect(fromStore.columns, `${q.id} / ${tc.name}`).toEqual(fromLake.columns);
          expect(fromStore.rows, `${q.id} / ${tc.name}`).toEqual(fromLake.rows);
          compared++;
        }
      }
    } finally {
      await raw.close();
      await parquet.close();
    }
    expect(compared).toBeGreaterThan(10);
  }, 300_000);
});

const ev = (time: string, id: string, name = 'DeleteBucket') => ({
  eventVersion: '1.09',
  eventTime: time,
  eventSource: 's3.amazonaws.com',
  eventName: name,
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.9',
  eventID: id,
  eventType: 'AwsApiCall',
  recipientAccountId: '111122223333',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', userName: 'alice', accountId: '111122223333' },
});

describe('casebook import is incremental', () => {
  const window = { since: new Date('2024-03-01T00:00:00Z'), until: new Date('2024-03-03T00:00:00Z') };
  const sql = "SELECT count(*) AS n FROM cloudtrail WHERE day BETWEEN '2024/03/01' AND '2024/03/03'";

  it('converts only new or changed partitions, and the engine uses the store only while it is current', async () => {
    const lake = join(temp(), 'lake');
    writeRecordsLake(lake, { cloudtrail: [ev('2024-03-01T10:00:00Z', 'a1'), ev('2024-03-02T10:00:00Z', 'a2')] });
    const store = `${lake}.store`;
    const first = await importLake({ lake, store, tables: ['cloudtrail'], threads: 1 });
    expect(first).toMatchObject({ partitions: 2, converted: 2, unchanged: 0, rows: 2 });
    expect(storeCoverage(store, lake, ['cloudtrail'], window).covered).toBe(true);

    const again = await importLake({ lake, store, tables: ['cloudtrail'], threads: 1 });
    expect(again).toMatchObject({ converted: 0, unchanged: 2 });

    // A new day: only it is converted; until then the engine reads the raw lake and says why.
    writeRecordsLake(lake, { cloudtrail: [ev('2024-03-03T10:00:00Z', 'a3')] });
    const engine = new DuckdbEngine({ lake, threads: 1 });
    try {
      const stale = await engine.run(sql, {
        window: { since: window.since, until: new Date('2024-03-04T00:00:00Z') },
        tables: ['cloudtrail'],
      });
      expect(stale.stats.notes?.[0]).toMatch(/Parquet store not used: cloudtrail 111122223333 us-east-1 2024\/03\/03 is not in the store/);
      const daily = await importLake({ lake, store, tables: ['cloudtrail'], threads: 1 });
      expect(daily).toMatchObject({ partitions: 3, converted: 1, unchanged: 2, rows: 3 });
      const fresh = await engine.run(sql, {
        window: { since: window.since, until: new Date('2024-03-04T00:00:00Z') },
        tables: ['cloudtrail'],
      });
      expect(fresh.stats.notes?.[0]).toMatch(/read the Parquet store/);
      expect(fresh.rows).toEqual([{ n: 3 }]);

      // A changed source file re-converts its partition (and only it).
      const dayDir = join(lake, 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01');
      const name = readdirSync(dayDir)[0]!;
      writeFileSync(
        join(dayDir, name),
        gzipSync(JSON.stringify({ Records: [ev('2024-03-01T10:00:00Z', 'a1'), ev('2024-03-01T10:01:00Z', 'a4')] })),
      );
      utimesSync(join(dayDir, name), new Date(), new Date(Date.now() + 5000));
      const changed = await importLake({ lake, store, tables: ['cloudtrail'], threads: 1 });
      expect(changed).toMatchObject({ converted: 1, unchanged: 2, rows: 4 });
      const after = await engine.run(sql, {
        window: { since: window.since, until: new Date('2024-03-04T00:00:00Z') },
        tables: ['cloudtrail'],
      });
      expect(after.rows).toEqual([{ n: 4 }]);
    } finally {
      await engine.close();
    }
  });

  it('a file added to an imported day makes the store stale for windows over that day only', async () => {
    const lake = join(temp(), 'lake');
    writeRecordsLake(lake, { cloudtrail: [ev('2024-03-01T10:00:00Z', 'b1'), ev('2024-03-05T10:00:00Z', 'b2')] });
    const store = `${lake}.store`;
    await importLake({ lake, store, tables: ['cloudtrail'], threads: 1 });
    writeRecordsLake(lake, { cloudtrail: [ev('2024-03-05T11:00:00Z', 'b3')] });
    expect(storeCoverage(store, lake, ['cloudtrail'], window).covered).toBe(true);
    const late = storeCoverage(store, lake, ['cloudtrail'], {
      since: new Date('2024-03-05T00:00:00Z'),
      until: new Date('2024-03-06T00:00:00Z'),
    });
    expect(late).toMatchObject({ covered: false });
    expect((late as { reason: string }).reason).toMatch(/2024\/03\/05 changed since it was imported/);
  });
});

describe("the raw-lake reader's fast paths fall back without changing answers", () => {
  it('a CloudTrail file spread over several lines is read with the general JSON reader', async () => {
    const lake = join(temp(), 'lake');
    const dir = join(lake, 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, '111122223333_CloudTrail_us-east-1_20240301T1010Z_aaaaaaaaaaaaaaaa.json.gz'),
      gzipSync(JSON.stringify({ Records: [ev('2024-03-01T10:00:00Z', 'c1')] }, null, 2)),
    );
    writeFileSync(
      join(dir, '111122223333_CloudTrail_us-east-1_20240301T1015Z_bbbbbbbbbbbbbbbb.json.gz'),
      gzipSync(JSON.stringify({ Records: [ev('2024-03-01T10:05:00Z', 'c2')] })),
    );
    const engine = new DuckdbEngine({ lake, threads: 1 });
    try {
      const r = await engine.run("SELECT eventid FROM cloudtrail WHERE day >= '2024/03/01' ORDER BY eventid", {
        window: { since: new Date('2024-03-01'), until: new Date('2024-03-02') },
        tables: ['cloudtrail'],
      });
      expect(r.rows).toEqual([{ eventid: 'c1' }, { eventid: 'c2' }]);
      expect(r.stats.notes?.join(' ')).toMatch(/general JSON reader/);
    } finally {
      await engine.close();
    }
  });

  it('reads only the columns a query names, and every column for SELECT *', async () => {
    const lake = join(temp(), 'lake');
    writeRecordsLake(lake, { cloudtrail: [ev('2024-03-01T10:00:00Z', 'd1')] });
    const engine = new DuckdbEngine({ lake, threads: 1 });
    const opts = { window: { since: new Date('2024-03-01'), until: new Date('2024-03-02') }, tables: ['cloudtrail'] };
    try {
      const some = await engine.run('SELECT useridentity.username AS u, eventname FROM cloudtrail', opts);
      expect(some.rows).toEqual([{ u: 'alice', eventname: 'DeleteBucket' }]);
      expect(some.stats.notes).toBeUndefined();
      const all = await engine.run('SELECT * FROM cloudtrail', opts);
      expect(all.columns.length).toBeGreaterThan(30);
      expect(all.rows[0]).toMatchObject({ eventid: 'd1', account: '111122223333', region: 'us-east-1', day: '2024/03/01' });
    } finally {
      await engine.close();
    }
  });
});
