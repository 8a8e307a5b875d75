import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { importLake } from '../src/store/import.js';
import { checkOrder, storedGzipMember } from '../src/store/batch.js';
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { STORE_MANIFEST, type StoreManifest } from '../src/store/manifest.js';
import { tempDir } from './support/harness.js';

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

function temp(): string {
  const { dir, cleanup } = tempDir('casebook-import-batch-');
  cleanups.push(cleanup);
  return dir;
}

const ACCOUNT = '111122223333';

function event(time: string, id: string, arn: string | null): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: arn === null ? { type: 'AWSService' } : { type: 'IAMUser', arn, accountId: ACCOUNT },
    eventTime: time,
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.1',
    eventID: id,
    recipientAccountId: ACCOUNT,
  };
}

/** Write one CloudTrail file of a day folder; its path. */
function ctFile(lake: string, region: string, day: string, n: number, body: Buffer | string): string {
  const [y, m, d] = day.split('-');
  const dir = join(lake, 'AWSLogs', ACCOUNT, 'CloudTrail', region, y!, m!, d!);
  mkdirSync(dir, { recursive: true });
  const path = join(
    dir,
    `${ACCOUNT}_CloudTrail_${region}_${y}${m}${d}T${String(n % 24).padStart(2, '0')}${String(n % 60).padStart(2, '0')}Z_f${n}.json.gz`,
  );
  writeFileSync(path, typeof body === 'string' ? gzipSync(body) : body);
  return path;
}

function manifestOf(store: string): StoreManifest {
  return JSON.parse(readFileSync(join(store, STORE_MANIFEST), 'utf8')) as StoreManifest;
}

/** Rows of every Parquet file of the store's table, in file order, with whether each file is sorted as import sorts. */
async function storeFiles(store: string, table: string): Promise<{ file: string; rows: number; ids: string[]; sorted: boolean }[]> {
  const m = manifestOf(store);
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  const out = [];
  try {
    for (const p of Object.values(m.tables[table]!.partitions)) {
      const file = join(store, p.output);
      const inFile = (await c.runAndReadAll(`SELECT eventid FROM read_parquet('${file}') ORDER BY file_row_number`)).getRowsJS();
      const sorted = (
        await c.runAndReadAll(`SELECT eventid FROM read_parquet('${file}') ORDER BY eventtime, useridentity.arn, eventid`)
      ).getRowsJS();
      out.push({ file, rows: p.rows, ids: inFile.map((r) => String(r[0])), sorted: JSON.stringify(inFile) === JSON.stringify(sorted) });
    }
  } finally {
    c.closeSync();
    instance.closeSync();
  }
  return out;
}

describe('stored gzip members', () => {
  it('inflate to the bytes given, alone and concatenated, at every block boundary', () => {
    const sizes = [0, 1, 65_534, 65_535, 65_536, 200_001];
    const all: Buffer[] = [];
    const members: Buffer[] = [];
    for (const n of sizes) {
      const data = Buffer.alloc(n, 0);
      for (let i = 0; i < n; i++) data[i] = (i * 31 + n) & 0xff;
      for (const suffix of [undefined, Buffer.from('\n')]) {
        const member = Buffer.concat(storedGzipMember(data, suffix));
        const expected = suffix ? Buffer.concat([data, suffix]) : data;
        expect(gunzipSync(member).equals(expected), `${n} bytes${suffix ? ' and a newline' : ''}`).toBe(true);
        members.push(member);
        all.push(expected);
      }
    }
    expect(gunzipSync(Buffer.concat(members)).equals(Buffer.concat(all))).toBe(true);
  });
});

describe('the order check after a partitioned write', () => {
  it('finds a file out of order as ORDER BY sorts (ascending, NULLs last), and passes ties', async () => {
    const dir = temp();
    const cases: [string, boolean, string][] = [
      ['sorted, a NULL principal after a named one', true, "('t1', 'a', 'x'), ('t1', NULL, 'y'), ('t2', 'a', 'z')"],
      ['a NULL principal before a named one', false, "('t1', NULL, 'y'), ('t1', 'a', 'x')"],
      ['ties', true, "('t1', 'a', 'x'), ('t1', 'a', 'x')"],
      ['time going back', false, "('t2', 'a', 'x'), ('t1', 'a', 'x')"],
      ['id going back', false, "('t1', 'a', 'y'), ('t1', 'a', 'x')"],
      ['a NULL time last', true, "('t1', 'a', 'x'), (NULL, 'a', 'x')"],
      ['a NULL time first', false, "(NULL, 'a', 'x'), ('t1', 'a', 'x')"],
      ['one row', true, "('t1', NULL, NULL)"],
    ];
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const c = await instance.connect();
    try {
      const files = [];
      for (const [i, [, , rows]] of cases.entries()) {
        const file = join(dir, `f${i}.parquet`);
        await c.run(
          `COPY (SELECT t AS eventtime, {'arn': a} AS useridentity, e AS eventid FROM (VALUES ${rows}) AS v(t, a, e)) TO '${file}' (FORMAT parquet)`,
        );
        files.push(file);
      }
      const checked = await checkOrder(c, 'cloudtrail', files);
      for (const [i, [name, sorted, rows]] of cases.entries()) {
        expect(checked.get(files[i]!), name).toEqual({ rows: rows.split('), (').length, sorted });
      }
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });
});

describe('batched import', () => {
  it('writes every partition of a batch sorted by time, principal and id, with its own rows', async () => {
    const lake = join(temp(), 'lake');
    const expected = new Map<string, string[]>();
    let n = 0;
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const day of ['2024-03-01', '2024-03-02', '2024-03-03']) {
        // One large partition (more rows than a DuckDB vector, over many files, times out of order).
        const files = region === 'us-east-1' && day === '2024-03-02' ? 40 : 3;
        const ids: string[] = [];
        for (let f = 0; f < files; f++) {
          const records = [];
          for (let r = 0; r < 150; r++) {
            const id = `${region}-${day}-${f}-${r}`;
            const minute = (f * 7919 + r * 104_729) % 1440;
            const time = `${day}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00Z`;
            records.push(event(time, id, r % 5 === 0 ? null : `arn:aws:iam::${ACCOUNT}:user/u${r % 7}`));
            ids.push(id);
          }
          ctFile(lake, region, day, n++, JSON.stringify({ Records: records }));
        }
        expected.set(`${region}|${day}`, ids);
      }
    }
    const store = join(temp(), 'store');
    const summary = await importLake({ lake, store, tables: ['cloudtrail'] });
    expect(summary).toMatchObject({ partitions: 6, converted: 6, rows: 150 * (5 * 3 + 40) });
    const files = await storeFiles(store, 'cloudtrail');
    expect(files).toHaveLength(6);
    const m = manifestOf(store);
    for (const p of Object.values(m.tables.cloudtrail!.partitions)) {
      const f = files.find((x) => x.file === join(store, p.output))!;
      expect(f.sorted, p.output).toBe(true);
      expect(f.rows).toBe(f.ids.length);
      expect([...f.ids].sort()).toEqual([...expected.get(`${p.region}|${p.day.replace(/\//g, '-')}`)!].sort());
    }
    expect(existsSync(join(store, `.import-${process.pid}`))).toBe(false);
  }, 60_000);

  it('a file the engine cannot read fails the import naming it; the partitions before it are kept', async () => {
    const lake = join(temp(), 'lake');
    ctFile(lake, 'us-east-1', '2024-03-01', 1, JSON.stringify({ Records: [event('2024-03-01T10:00:00Z', 'a', null)] }));
    ctFile(lake, 'us-east-1', '2024-03-02', 2, JSON.stringify({ Records: [event('2024-03-02T10:00:00Z', 'b', null)] }));
    const bad = ctFile(lake, 'us-east-1', '2024-03-02', 3, '{"Records":[{"eventTime": "2024-03-02T11:00:00Z",');
    const store = join(temp(), 'store');
    await expect(importLake({ lake, store, tables: ['cloudtrail'] })).rejects.toThrow(bad);
    const kept = Object.values(manifestOf(store).tables.cloudtrail!.partitions);
    expect(kept.map((p) => p.day)).toEqual(['2024/03/01']);

    // Not gzip at all: named too.
    rmSync(bad);
    const notGzip = ctFile(lake, 'us-east-1', '2024-03-02', 4, Buffer.from('this is not gzip'));
    await expect(importLake({ lake, store, tables: ['cloudtrail'] })).rejects.toThrow(notGzip);

    rmSync(notGzip);
    const again = await importLake({ lake, store, tables: ['cloudtrail'] });
    expect(again).toMatchObject({ converted: 1, unchanged: 1, rows: 2 });
  }, 60_000);

  it('an unsafe file stops the import with the pre-check message, after converting the partitions merged before it', async () => {
    const lake = join(temp(), 'lake');
    ctFile(lake, 'us-east-1', '2024-03-01', 1, JSON.stringify({ Records: [event('2024-03-01T10:00:00Z', 'a', null)] }));
    const deep = ctFile(
      lake,
      'us-east-1',
      '2024-03-02',
      2,
      JSON.stringify({ Records: [event('2024-03-02T10:00:00Z', 'b', null)] }).replace(
        '"eventID"',
        `"x":${'['.repeat(2000)}${']'.repeat(2000)},"eventID"`,
      ),
    );
    const store = join(temp(), 'store');
    await expect(importLake({ lake, store, tables: ['cloudtrail'] })).rejects.toThrow(
      `log file ${deep} cannot be read safely: JSON nested more than 1000 levels deep (limit: CASEBOOK_MAX_JSON_DEPTH); move it out of the lake to query the rest`,
    );
    expect(Object.values(manifestOf(store).tables.cloudtrail!.partitions).map((p) => p.day)).toEqual(['2024/03/01']);
  }, 60_000);

  it('a file over several lines and a file without records share a batch with the others, with the raw answers', async () => {
    const lake = join(temp(), 'lake');
    ctFile(lake, 'us-east-1', '2024-03-01', 1, JSON.stringify({ Records: [event('2024-03-01T10:00:00Z', 'a', null)] }));
    ctFile(lake, 'us-east-1', '2024-03-01', 2, JSON.stringify({ Records: [event('2024-03-01T11:00:00Z', 'b', null)] }, null, 2));
    ctFile(lake, 'us-east-1', '2024-03-02', 3, JSON.stringify({ Records: [] }));
    ctFile(lake, 'us-east-1', '2024-03-03', 4, `${JSON.stringify({ Records: [event('2024-03-03T10:00:00Z', 'c', 'arn:x')] })}\n`);
    const store = join(temp(), 'store');
    const s = await importLake({ lake, store, tables: ['cloudtrail'] });
    expect(s).toMatchObject({ partitions: 3, converted: 3, rows: 3 });
    const parts = Object.values(manifestOf(store).tables.cloudtrail!.partitions);
    expect(parts.map((p) => [p.day, p.rows])).toEqual([
      ['2024/03/01', 2],
      ['2024/03/02', 0],
      ['2024/03/03', 1],
    ]);
    for (const p of parts) expect(existsSync(join(store, p.output))).toBe(true);
    const sql =
      "SELECT eventid, eventtime, useridentity.arn AS arn, day FROM cloudtrail WHERE day BETWEEN '2024/02/29' AND '2024/03/04' ORDER BY eventid";
    const window = { since: new Date('2024-03-01T00:00:00Z'), until: new Date('2024-03-04T00:00:00Z') };
    const raw = new DuckdbEngine({ lake, store: false, threads: 1 });
    const parquet = new DuckdbEngine({ lake, store, threads: 1 });
    try {
      const a = await raw.run(sql, { window, tables: ['cloudtrail'] });
      const b = await parquet.run(sql, { window, tables: ['cloudtrail'] });
      expect(b.stats.notes?.[0]).toMatch(/read the Parquet store/);
      expect(b.rows).toEqual(a.rows);
      expect(a.rows).toHaveLength(3);
    } finally {
      await raw.close();
      await parquet.close();
    }
  }, 60_000);
});
