import { lexSql, type Token } from '../../sql/lexer.js';

/**
 * The Trino-compatibility layer of the embedded engine. Templates are written in
 * Athena (Trino) SQL; DuckDB runs them after these macros are defined (they shadow
 * or add the Trino spellings), and after `transpile` rewrites the few constructs a
 * macro cannot express. Every entry is exercised by test/duckdb-compat.test.ts.
 */
export const COMPAT_MACROS: { name: string; sql: string; note: string }[] = [
  { name: 'from_iso8601_timestamp', sql: 'from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)', note: 'ISO-8601 text to timestamp with zone' },
  { name: 'from_iso8601_date', sql: 'from_iso8601_date(s) AS CAST(s AS DATE)', note: '' },
  {
    name: 'json_extract_scalar',
    sql: "json_extract_scalar(j, p) AS CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END",
    note: 'Trino returns NULL for objects and arrays',
  },
  { name: 'json_parse', sql: 'json_parse(s) AS CAST(s AS JSON)', note: '' },
  { name: 'json_format', sql: 'json_format(j) AS CAST(j AS VARCHAR)', note: '' },
  { name: 'json_size', sql: 'json_size(j, p) AS CASE json_type(j, p) WHEN \'ARRAY\' THEN json_array_length(j, p) WHEN \'OBJECT\' THEN len(json_keys(j, p)) ELSE 0 END', note: '' },
  { name: 'regexp_like', sql: 'regexp_like(s, p) AS regexp_matches(s, p)', note: '' },
  { name: 'to_unixtime', sql: 'to_unixtime(t) AS epoch(t)', note: 'seconds as double' },
  { name: 'from_unixtime', sql: 'from_unixtime(n) AS to_timestamp(n)', note: '' },
  { name: 'approx_distinct', sql: 'approx_distinct(x) AS approx_count_distinct(x)', note: '' },
  { name: 'approx_percentile', sql: 'approx_percentile(x, p) AS approx_quantile(x, p)', note: '' },
  { name: 'cardinality', sql: 'cardinality(x) AS len(x)', note: 'arrays only' },
  { name: 'element_at', sql: 'element_at(c, k) AS c[k]', note: 'arrays (1-based) and maps; NULL when absent' },
  { name: 'slice', sql: 'slice(a, s, n) AS list_slice(a, s, s + n - 1)', note: 'Trino takes start and length' },
  { name: 'array_join', sql: 'array_join(a, sep) AS array_to_string(a, sep)', note: '' },
  { name: 'array_max', sql: 'array_max(a) AS list_max(a)', note: '' },
  { name: 'array_min', sql: 'array_min(a) AS list_min(a)', note: '' },
  { name: 'day_of_week', sql: 'day_of_week(t) AS isodow(t)', note: '' },
  { name: 'bitwise_and', sql: 'bitwise_and(a, b) AS (a & b)', note: '' },
  { name: 'bitwise_or', sql: 'bitwise_or(a, b) AS (a | b)', note: '' },
  { name: 'date_format', sql: "date_format(t, f) AS strftime(t, replace(f, '%i', '%M'))", note: 'MySQL-style format' },
  {
    name: 'casebook_ipv4_int',
    sql: "casebook_ipv4_int(s) AS CASE WHEN regexp_matches(s, '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$') THEN "
      + "CAST(split_part(s, '.', 1) AS BIGINT) * 16777216 + CAST(split_part(s, '.', 2) AS BIGINT) * 65536 "
      + "+ CAST(split_part(s, '.', 3) AS BIGINT) * 256 + CAST(split_part(s, '.', 4) AS BIGINT) END",
    note: 'helper for CIDR matching',
  },
  {
    name: 'casebook_cidr_contains',
    sql: "casebook_cidr_contains(c, ip) AS CASE WHEN ip IS NULL THEN NULL WHEN strpos(c, ':') > 0 OR strpos(ip, ':') > 0 THEN "
      + "casebook_ipv6_prefix(split_part(c, '/', 1), CAST(split_part(c, '/', 2) AS INTEGER)) = casebook_ipv6_prefix(ip, CAST(split_part(c, '/', 2) AS INTEGER)) "
      + "ELSE casebook_ipv4_int(split_part(c, '/', 1)) // CAST(pow(2, 32 - CAST(split_part(c, '/', 2) AS INTEGER)) AS BIGINT) "
      + "= casebook_ipv4_int(ip) // CAST(pow(2, 32 - CAST(split_part(c, '/', 2) AS INTEGER)) AS BIGINT) END",
    note: "Trino's contains(cidr, CAST(ip AS IPADDRESS))",
  },
  {
    name: 'casebook_ipv6_bits',
    // Expand an IPv6 address (with at most one ::) to 128 bits as a '0'/'1' string; NULL if not IPv6.
    sql: "casebook_ipv6_bits(s) AS CASE WHEN strpos(s, ':') = 0 THEN NULL ELSE "
      + "list_aggregate(list_transform(string_split("
      + "CASE WHEN strpos(s, '::') > 0 THEN replace(s, '::', ':' || repeat('0:', 8 - len(string_split(replace(s, '::', ':'), ':')) + "
      + "(CASE WHEN starts_with(s, '::') THEN 1 ELSE 0 END) + (CASE WHEN ends_with(s, '::') THEN 1 ELSE 0 END)) ) ELSE s END, ':'), "
      + "h -> CASE WHEN h = '' THEN '' ELSE lpad(bin(CAST(('0x' || h) AS INTEGER)), 16, '0') END), 'string_agg', '') END",
    note: 'helper for IPv6 CIDR matching',
  },
  {
    name: 'casebook_ipv6_prefix',
    sql: 'casebook_ipv6_prefix(s, n) AS left(casebook_ipv6_bits(lower(s)), n)',
    note: 'helper for IPv6 CIDR matching',
  },
];

/** Types Trino has that DuckDB reads as text. */
export const COMPAT_TYPES = ['CREATE TYPE ipaddress AS VARCHAR'];

/** Statements that set up a DuckDB connection for Athena SQL. */
export function compatSetupSql(): string[] {
  return [
    "SET TimeZone = 'UTC'",
    ...COMPAT_TYPES,
    ...COMPAT_MACROS.map((m) => `CREATE OR REPLACE TEMP MACRO ${m.sql}`),
  ];
}

/**
 * Rewrites for what macros cannot do. They read the SQL as tokens (sql/lexer.ts), so
 * string literals, comments and quoted identifiers are never touched, and they rename
 * a function and nothing else: the rest of the text is kept byte for byte.
 *
 * - Trino's `contains(cidr, CAST(x AS IPADDRESS))` is CIDR membership; DuckDB's
 *   `contains` on two strings is substring search, so a call whose first argument is a
 *   string literal and whose second is a CAST or TRY_CAST is renamed
 *   `casebook_cidr_contains` rather than shadowed (array `contains` stays as it is).
 * - A macro cannot take a lambda argument: Trino's `transform(array, x -> ...)` is
 *   DuckDB's `list_transform`.
 */
export function transpile(sql: string): string {
  const tokens = lexSql(sql);
  const code = tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const renames = new Map<Token, string>();
  code.forEach((t, i) => {
    if (t.kind !== 'word' || code[i + 1]?.text !== '(') return;
    const name = t.text.toLowerCase();
    if (name === 'transform') renames.set(t, 'list_transform');
    else if (name === 'contains' && isCidrCall(code, i + 2)) renames.set(t, 'casebook_cidr_contains');
  });
  if (renames.size === 0) return sql;
  return tokens.map((t) => renames.get(t) ?? t.text).join('');
}

/** Whether the arguments starting at `code[i]` read `'literal', CAST(` or `'literal', TRY_CAST(`. */
function isCidrCall(code: Token[], i: number): boolean {
  const cast = code[i + 2];
  return code[i]?.kind === 'string'
    && code[i + 1]?.text === ','
    && cast?.kind === 'word' && /^(try_)?cast$/i.test(cast.text)
    && code[i + 3]?.text === '(';
}
