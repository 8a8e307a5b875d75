/**
 * One measured casebook run, in its own process (so the parent can take its wall time,
 * CPU time and peak memory): a pack query or a SQL statement on the local engine, over
 * the raw lake or the Parquet store. Prints {rows, stats} as JSON.
 *
 *   node dist/bench/child.js --lake DIR (--store DIR | --no-store) --since ISO --until ISO
 *     (--query ID --params JSON | --sql SQL --table T)
 */
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { loadPack } from '../src/pack/load.js';
import { findQuery, prepareQuery } from '../src/pack/prepare.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const lake = arg('lake')!;
const store = process.argv.includes('--no-store') ? false : arg('store');
const engine = new DuckdbEngine({ lake, store });
const since = arg('since')!;
const until = arg('until')!;
let sql: string;
let tables: string[];
let window = { since: new Date(since), until: new Date(until) };
const id = arg('query');
if (id) {
  const query = findQuery(loadPack(), id);
  const prepared = prepareQuery(query, { ...JSON.parse(arg('params') ?? '{}'), since, until });
  sql = prepared.sql;
  tables = query.tables;
  window = prepared.window;
} else {
  sql = arg('sql')!;
  tables = [arg('table')!];
}
const result = await engine.run(sql, { window, tables });
await engine.close();
process.stdout.write(JSON.stringify({ rows: result.rows, stats: result.stats }));
