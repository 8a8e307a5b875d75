import { loadPack } from './src/pack/load.js';
import { prepareQuery } from './src/pack/prepare.js';
import { DuckdbEngine } from './src/engines/duckdb/engine.js';
import { writeRecordsLakeAsync } from './src/lake/records-lake.js';
import { importLake } from './src/store/import.js';
import { mkdtempSync } from 'node:fs';
const pack = loadPack();
const q = pack.byId.get(process.argv[2]!)!;
const tc = q.tests.find((t) => t.lake !== 'real')!;
console.log(q.id, tc.name, JSON.stringify(tc.records).length);
for (const layout of [{}, { flowLogs: { format: 'parquet' as const, hourly: true } }]) {
  let t = performance.now();
  const lap = (w: string) => { const n = performance.now(); console.log(w, Math.round(n - t)); t = n; };
  const dir = mkdtempSync('/tmp/tl/lk-');
  await writeRecordsLakeAsync(dir, tc.records ?? {}, { layout }); lap('write');
  const p = prepareQuery(q, tc.params as Record<string, unknown>); lap('prepare');
  const e = new DuckdbEngine({ lake: dir, threads: 1, store: `${dir}.store` });
  const r = await e.run(p.sql, { window: p.window, tables: q.tables }); lap(`run1 ${r.rows.length} ${r.stats.notes} files=${r.stats.filesRead}`);
  const r2 = await e.run(p.sql, { window: p.window, tables: q.tables }); lap(`run2`);
  await importLake({ lake: dir, store: `${dir}.store`, threads: 1 }); lap('import');
  const r3 = await e.run(p.sql, { window: p.window, tables: q.tables }); lap(`store ${r3.stats.notes}`);
  await e.close();
}
