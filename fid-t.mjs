import { DuckDBInstance } from '@duckdb/node-api';
const i = await DuckDBInstance.create(':memory:'); const c = await i.connect();
await c.run("SET TimeZone='UTC'");
const q = async (s) => { try { const r = await c.runAndReadAll(s); console.log(s.slice(0,140), '=>', JSON.stringify(r.getRowsJS(), (k,v)=>typeof v==='bigint'?Number(v):v)); } catch (e) { console.log(s.slice(0,140), 'ERR', e.message.split('\n')[0]); } };
for (const s of [
 "CREATE TEMP MACRO regexp_extract(s, p) AS CASE WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p) END, (s, p, g) AS CASE WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p, g) END",
 "SELECT regexp_extract('abc', 'x')", "SELECT regexp_extract('abc', 'b')", "SELECT regexp_extract('abc', '(b)(c)', 2)",
 "CREATE TEMP MACRO split_part(s, d, n) AS CASE WHEN n < 1 THEN error('Index must be greater than zero') WHEN n > len(string_split(s, d)) THEN NULL ELSE system.main.split_part(s, d, n) END",
 "SELECT split_part('a.b', '.', 3)", "SELECT split_part('a.b', '.', 2)", "SELECT split_part('a.b', '.', 0)", "SELECT split_part(NULL, '.', 1)",
 "SELECT list_position([1,NULL,2], NULL)",
 "CREATE TEMP MACRO array_distinct(a) AS CASE WHEN a IS NULL THEN NULL ELSE list_filter(a, (x, i) -> list_position(a, x) = i) END",
 "SELECT array_distinct([3,1,3,NULL,2,1,NULL])", "SELECT array_distinct(['b','a','b'])", "SELECT array_distinct(CAST([] AS INT[]))",
 "SELECT count(*), max(len(array_distinct(l))) FROM (SELECT list(CAST(i % 5000 AS VARCHAR)) AS l FROM range(20000) t(i))",
 "CREATE TEMP MACRO date_diff(u, a, b) AS date_sub(u, a, b)",
 "SELECT date_diff('day', TIMESTAMP '2024-01-01 23:00', TIMESTAMP '2024-01-02 01:00')", "SELECT date_diff('month', DATE '2024-01-31', DATE '2024-02-29')", "SELECT date_diff('day', DATE '2024-01-05', DATE '2024-01-01')","SELECT date_diff('hour', TIMESTAMPTZ '2024-01-01 00:30:00+00', TIMESTAMPTZ '2024-01-01 02:10:00+00')",
 "SELECT CASE WHEN false THEN error('boom') ELSE 1 END",
 "SELECT typeof([1,2]), typeof(MAP {'a': 1})",
 "SELECT regexp_extract_all('a1b22', '[0-9]+')", "SELECT regexp_extract_all('abc', 'x')",
 "SELECT regexp_extract_all('a1 b2', '([a-z])([0-9])', 2)",
]) await q(s);
