import { DuckDBInstance } from '@duckdb/node-api';
const i = await DuckDBInstance.create(':memory:'); const c = await i.connect();
const q = async (s) => { try { const r = await c.runAndReadAll(s); console.log(s.slice(0,110), '=>', JSON.stringify(r.getRowsJS(), (k,v)=>typeof v==='bigint'?Number(v):v)); } catch (e) { console.log(s.slice(0,110), 'ERR', e.message.split('\n')[0]); } };
for (const s of [
 "SELECT regexp_extract('abc', 'x', 0)", "SELECT regexp_extract('abc', '(x)?b', 1)",
 "SELECT regexp_replace('aaa', 'a', 'b')", "SELECT regexp_replace('abc', '(b)', '[\\1]', 'g')", "SELECT regexp_replace('abc', '(b)', '[$1]', 'g')",
 "SELECT split_part('a.b', '.', 5)", "SELECT split_part('a.b', '.', 0)",
 "SELECT [1,2,3][5]", "SELECT [1,2,3][-1]", "SELECT [1,2,3][0]", "SELECT element_at([1,2,3], 5)",
 "SELECT TRY_CAST('1.5' AS INTEGER)", "SELECT TRY_CAST(' 7' AS INTEGER)", "SELECT TRY_CAST('7 ' AS INTEGER)","SELECT TRY_CAST('+7' AS INTEGER)","SELECT TRY_CAST('1e2' AS INTEGER)","SELECT TRY_CAST('0x10' AS INTEGER)","SELECT TRY_CAST('1_000' AS INTEGER)","SELECT TRY_CAST(' 1.5 ' AS DOUBLE)","SELECT TRY_CAST('1.5' AS BIGINT)",
 "SELECT array_distinct([3,1,3,2,1])", "SELECT list_distinct(['b','a','b'])",
 "SELECT date_diff('day', TIMESTAMP '2024-01-01 23:00', TIMESTAMP '2024-01-02 01:00')", "SELECT date_sub('day', TIMESTAMP '2024-01-01 23:00', TIMESTAMP '2024-01-02 01:00')",
 "SELECT date_add('day', 1, TIMESTAMP '2024-01-01')",
 "CREATE TEMP MACRO split_part(s, d, n) AS 'shadow'", "SELECT split_part('a.b','.',1)",
 "CREATE TEMP MACRO date_add(u, n, t) AS 'x3'", "SELECT date_add('day', 1, TIMESTAMP '2024-01-01')", "SELECT date_add(DATE '2024-01-01', INTERVAL 1 DAY)",
 "SELECT regexp_matches('ab', 'a(?=b)')", "SELECT regexp_matches('aa', '(a)\\1')",
 "SELECT version()",
]) await q(s);
