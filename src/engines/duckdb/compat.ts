import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdb } from './api.js';
import { lexSql, type Token } from '../../sql/lexer.js';
import { canonicalIp } from '../../params/ip.js';

const { DuckDBScalarFunction, VARCHAR } = duckdb;

/** A dotted IPv4 address as Trino reads it (no leading zeros): already in Trino's form. */
const IPV4 = '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';

/** Trino's integer types, their DuckDB names and ranges (for CAST and TRY_CAST from text). */
const INTEGER_TYPES: Record<string, { duck: string; trino: string }> = {
  tinyint: { duck: 'TINYINT', trino: 'TINYINT' },
  smallint: { duck: 'SMALLINT', trino: 'SMALLINT' },
  integer: { duck: 'INTEGER', trino: 'INT' },
  int: { duck: 'INTEGER', trino: 'INT' },
  bigint: { duck: 'BIGINT', trino: 'BIGINT' },
};

/**
 * CAST and TRY_CAST to an integer type. From text, Trino takes an optional sign and
 * digits only (Java's parseInt: '1.5', ' 7' and '1e2' are not integers); DuckDB would
 * round '1.5' to 2 and trim ' 7'. Other types cast as DuckDB does.
 */
function integerCasts(): { name: string; sql: string; note: string }[] {
  const out: { name: string; sql: string; note: string }[] = [];
  for (const [name, { duck, trino }] of Object.entries(INTEGER_TYPES)) {
    if (name === 'int') continue;
    const text = "typeof(x) = 'VARCHAR'";
    const digits = "regexp_full_match(CAST(x AS VARCHAR), '[+-]?[0-9]+')";
    out.push({
      name: `casebook_try_cast_${name}`,
      sql: `casebook_try_cast_${name}(x) AS CASE WHEN ${text} AND NOT ${digits} THEN NULL ELSE TRY_CAST(x AS ${duck}) END`,
      note: `TRY_CAST(x AS ${trino})`,
    });
    out.push({
      name: `casebook_cast_${name}`,
      sql:
        `casebook_cast_${name}(x) AS CASE WHEN x IS NULL THEN NULL WHEN ${text} AND NOT (${digits} AND TRY_CAST(x AS ${duck}) IS NOT NULL) ` +
        `THEN error('Cannot cast ''' || CAST(x AS VARCHAR) || ''' to ${trino}') ELSE CAST(x AS ${duck}) END`,
      note: `CAST(x AS ${trino})`,
    });
  }
  return out;
}

/**
 * The Trino-compatibility layer of the embedded engine. Templates are written in
 * Athena (Trino) SQL; DuckDB runs them after these macros are defined (they shadow
 * or add the Trino spellings), and after `transpile` rewrites the few constructs a
 * macro cannot express. Every entry is exercised by test/duckdb-compat.test.ts.
 */
export const COMPAT_MACROS: { name: string; sql: string; note: string }[] = [
  {
    name: 'from_iso8601_timestamp',
    sql: 'from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)',
    note: 'ISO-8601 text to timestamp with zone',
  },
  { name: 'from_iso8601_date', sql: 'from_iso8601_date(s) AS CAST(s AS DATE)', note: '' },
  {
    name: 'json_extract_scalar',
    sql: "json_extract_scalar(j, p) AS CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END",
    note: 'Trino returns NULL for objects and arrays',
  },
  { name: 'json_parse', sql: 'json_parse(s) AS CAST(s AS JSON)', note: '' },
  { name: 'json_format', sql: 'json_format(j) AS CAST(json(j) AS VARCHAR)', note: 'compact JSON text, as Trino prints it' },
  {
    name: 'json_size',
    sql:
      "json_size(j, p) AS CASE WHEN json_type(j, p) IS NULL THEN NULL WHEN json_type(j, p) = 'ARRAY' THEN json_array_length(j, p) " +
      "WHEN json_type(j, p) = 'OBJECT' THEN len(json_keys(j, p)) ELSE 0 END",
    note: 'a path that is not there is NULL, a scalar 0',
  },
  { name: 'regexp_like', sql: 'regexp_like(s, p) AS regexp_matches(s, p)', note: '' },
  { name: 'to_unixtime', sql: 'to_unixtime(t) AS epoch(t)', note: 'seconds as double' },
  { name: 'from_unixtime', sql: 'from_unixtime(n) AS to_timestamp(n)', note: '' },
  { name: 'approx_distinct', sql: 'approx_distinct(x) AS approx_count_distinct(x)', note: '' },
  { name: 'approx_percentile', sql: 'approx_percentile(x, p) AS approx_quantile(x, p)', note: '' },
  { name: 'cardinality', sql: 'cardinality(x) AS len(x)', note: 'arrays only' },
  {
    name: 'element_at',
    sql: "element_at(c, k) AS CASE WHEN typeof(c) LIKE '%[]' AND CAST(k AS VARCHAR) = '0' THEN error('SQL array indices start at 1') ELSE c[k] END",
    note: 'arrays (1-based, negative from the end) and maps; NULL when absent; index 0 is an error',
  },
  {
    name: 'casebook_subscript',
    sql:
      "casebook_subscript(a, i) AS CASE WHEN a IS NULL OR i IS NULL THEN NULL WHEN i = 0 THEN error('SQL array indices start at 1') " +
      "WHEN i < 0 THEN error('Array subscript is negative: ' || i) " +
      "WHEN i > len(a) THEN error('Array subscript must be less than or equal to array length: ' || i || ' > ' || len(a)) ELSE a[i] END",
    note: "Trino's array[i]: out of range is an error (transpile rewrites subscripts to it)",
  },
  {
    name: 'regexp_extract',
    sql:
      'regexp_extract(s, p) AS CASE WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p) END, ' +
      '(s, p, g) AS CASE WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p, g) END',
    note: 'no match is NULL',
  },
  {
    name: 'casebook_java_replacement',
    // A Java replacement string ($n a group, \x the character x) as RE2 writes it (\n, \\).
    sql:
      "casebook_java_replacement(r) AS array_to_string(list_transform(regexp_extract_all(r, '\\\\.|\\$[0-9]|[^\\\\$]+|\\$|\\\\'), " +
      "t -> CASE WHEN t = '$' THEN error('Illegal group reference in replacement ' || r) " +
      "WHEN t = '\\' THEN error('character to be escaped is missing in replacement ' || r) " +
      "WHEN t[1] = '\\' THEN (CASE WHEN t[2] = '\\' THEN '\\\\' ELSE t[2] END) " +
      "WHEN t[1] = '$' THEN '\\' || t[2] ELSE t END), '')",
    note: 'helper for regexp_replace',
  },
  {
    name: 'regexp_replace',
    sql:
      "regexp_replace(s, p) AS system.main.regexp_replace(s, p, '', 'g'), " +
      "(s, p, r) AS system.main.regexp_replace(s, p, casebook_java_replacement(r), 'g')",
    note: 'every match is replaced; $1 names a group',
  },
  {
    name: 'split_part',
    sql:
      "split_part(s, d, n) AS CASE WHEN n < 1 THEN error('Index must be greater than zero') " +
      'WHEN n > len(string_split(s, d)) THEN NULL ELSE system.main.split_part(s, d, n) END',
    note: 'past the last field is NULL',
  },
  {
    name: 'array_distinct',
    sql: 'array_distinct(a) AS list_filter(a, (x, i) -> list_position(a, x) = i)',
    note: 'keeps the first of each value, in order, and one NULL',
  },
  {
    name: 'date_diff',
    sql: 'date_diff(u, a, b) AS date_sub(u, a, b)',
    note: 'whole units only, as Trino counts them',
  },
  {
    name: 'date_add',
    sql:
      "date_add(u, n, t) AS CASE lower(u) WHEN 'millisecond' THEN t + to_milliseconds(n) WHEN 'second' THEN t + to_seconds(n) " +
      "WHEN 'minute' THEN t + to_minutes(n) WHEN 'hour' THEN t + to_hours(n) WHEN 'day' THEN t + to_days(n) WHEN 'week' THEN t + to_weeks(n) " +
      "WHEN 'month' THEN t + to_months(n) WHEN 'quarter' THEN t + to_months(3 * n) WHEN 'year' THEN t + to_years(n) " +
      "ELSE error('unit ' || u || ' is not a date_add unit') END",
    note: "Trino's date_add(unit, value, timestamp)",
  },
  ...integerCasts(),
  {
    name: 'casebook_ip_cast',
    sql:
      `casebook_ip_cast(s) AS CASE WHEN s IS NULL THEN NULL WHEN regexp_full_match(s, '${IPV4}') THEN s ` +
      "ELSE COALESCE(casebook_ip_text(s), error('Cannot cast value to IPADDRESS: ' || s)) END",
    note: 'CAST(x AS IPADDRESS): the address as Trino prints it, an error if it is none',
  },
  {
    name: 'casebook_ip_try_cast',
    sql: `casebook_ip_try_cast(s) AS CASE WHEN regexp_full_match(s, '${IPV4}') THEN s ELSE casebook_ip_text(s) END`,
    note: 'TRY_CAST(x AS IPADDRESS)',
  },
  { name: 'slice', sql: 'slice(a, s, n) AS list_slice(a, s, s + n - 1)', note: 'Trino takes start and length' },
  { name: 'array_join', sql: 'array_join(a, sep) AS array_to_string(a, sep)', note: '' },
  {
    name: 'array_max',
    sql: 'array_max(a) AS CASE WHEN list_bool_or(list_transform(a, x -> x IS NULL)) THEN NULL ELSE list_max(a) END',
    note: 'NULL when any element is NULL',
  },
  {
    name: 'array_min',
    sql: 'array_min(a) AS CASE WHEN list_bool_or(list_transform(a, x -> x IS NULL)) THEN NULL ELSE list_min(a) END',
    note: 'NULL when any element is NULL',
  },
  { name: 'day_of_week', sql: 'day_of_week(t) AS isodow(t)', note: '' },
  { name: 'bitwise_and', sql: 'bitwise_and(a, b) AS (a & b)', note: '' },
  { name: 'bitwise_or', sql: 'bitwise_or(a, b) AS (a | b)', note: '' },
  { name: 'date_format', sql: "date_format(t, f) AS strftime(t, replace(f, '%i', '%M'))", note: 'MySQL-style format' },
  {
    name: 'casebook_ipv4_int',
    sql:
      "casebook_ipv4_int(s) AS CASE WHEN regexp_matches(s, '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$') THEN " +
      "CAST(split_part(s, '.', 1) AS BIGINT) * 16777216 + CAST(split_part(s, '.', 2) AS BIGINT) * 65536 " +
      "+ CAST(split_part(s, '.', 3) AS BIGINT) * 256 + CAST(split_part(s, '.', 4) AS BIGINT) END",
    note: 'helper for CIDR matching',
  },
  {
    name: 'casebook_cidr_contains',
    sql:
      "casebook_cidr_contains(c, ip) AS CASE WHEN ip IS NULL THEN NULL WHEN (strpos(c, ':') > 0) <> (strpos(ip, ':') > 0) THEN false WHEN strpos(c, ':') > 0 THEN " +
      "casebook_ipv6_prefix(split_part(c, '/', 1), CAST(split_part(c, '/', 2) AS INTEGER)) = casebook_ipv6_prefix(ip, CAST(split_part(c, '/', 2) AS INTEGER)) " +
      "ELSE casebook_ipv4_int(split_part(c, '/', 1)) // CAST(pow(2, 32 - CAST(split_part(c, '/', 2) AS INTEGER)) AS BIGINT) " +
      "= casebook_ipv4_int(ip) // CAST(pow(2, 32 - CAST(split_part(c, '/', 2) AS INTEGER)) AS BIGINT) END",
    note: "Trino's contains(cidr, CAST(ip AS IPADDRESS))",
  },
  {
    name: 'casebook_ipv6_bits',
    // Expand an IPv6 address (with at most one ::) to 128 bits as a '0'/'1' string; NULL if not IPv6.
    sql:
      "casebook_ipv6_bits(s) AS CASE WHEN strpos(s, ':') = 0 THEN NULL ELSE " +
      'list_aggregate(list_transform(string_split(' +
      "CASE WHEN strpos(s, '::') > 0 THEN replace(s, '::', ':' || repeat('0:', 8 - len(string_split(replace(s, '::', ':'), ':')) + " +
      "(CASE WHEN starts_with(s, '::') THEN 1 ELSE 0 END) + (CASE WHEN ends_with(s, '::') THEN 1 ELSE 0 END)) ) ELSE s END, ':'), " +
      "h -> CASE WHEN h = '' THEN '' ELSE lpad(bin(CAST(('0x' || h) AS INTEGER)), 16, '0') END), 'string_agg', '') END",
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

/** Statements that set up a DuckDB connection for Athena SQL; run them through setupCompat, which defines the function they call. */
export function compatSetupSql(): string[] {
  return ["SET TimeZone = 'UTC'", ...COMPAT_TYPES, ...COMPAT_MACROS.map((m) => `CREATE OR REPLACE TEMP MACRO ${m.sql}`)];
}

/**
 * Set up a connection for Athena SQL: `casebook_ip_text(text)`, a function written in
 * TypeScript (canonicalIp: what SQL cannot say well), then the statements of
 * compatSetupSql (the macros that call it must find it defined).
 */
export async function setupCompat(c: DuckDBConnection): Promise<void> {
  // Logs repeat their addresses: remember the answers (up to a bound).
  const known = new Map<string, string | null>();
  const canonical = (text: string): string | null => {
    let v = known.get(text);
    if (v === undefined) {
      v = canonicalIp(text);
      if (known.size >= 100_000) known.clear();
      known.set(text, v);
    }
    return v;
  };
  c.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: 'casebook_ip_text',
      returnType: VARCHAR,
      parameterTypes: [VARCHAR],
      mainFunction: (_info, input, output) => {
        const v = input.getColumnVector(0);
        for (let row = 0; row < input.rowCount; row++) {
          const text = v.getItem(row);
          output.setItem(row, typeof text === 'string' ? canonical(text) : null);
        }
        output.flush();
      },
    }),
  );
  for (const stmt of compatSetupSql()) await c.run(stmt);
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
  const prefixes = new Map<Token, string>();
  code.forEach((t, i) => {
    if (t.kind !== 'word' || code[i + 1]?.text !== '(') return;
    const name = t.text.toLowerCase();
    if (name === 'transform') renames.set(t, 'list_transform');
    else if (name === 'contains' && isCidrCall(code, i + 2)) renames.set(t, 'casebook_cidr_contains');
    else if (name === 'cast' || name === 'try_cast') rewriteCast(code, i, renames);
  });
  rewriteSubscripts(code, renames, prefixes);
  if (renames.size === 0 && prefixes.size === 0) return sql;
  // A dropped token takes the space before it along (`CAST(x AS T)` becomes `f(x)`).
  return tokens
    .map((t, i) => {
      if (t.kind === 'space' && renames.get(tokens[i + 1]!) === '') return '';
      return (prefixes.get(t) ?? '') + (renames.get(t) ?? t.text);
    })
    .join('');
}

/** Index of the token that closes the bracket opened at code[i] (or -1). */
function closing(code: Token[], i: number): number {
  const open = code[i]!.text;
  const close = open === '(' ? ')' : ']';
  let depth = 0;
  for (let j = i; j < code.length; j++) {
    if (code[j]!.text === open) depth++;
    else if (code[j]!.text === close && --depth === 0) return j;
  }
  return -1;
}

/**
 * `CAST(x AS IPADDRESS)` and `CAST(x AS <integer type>)`, and their TRY_CAST, become
 * calls of the macros that behave as Trino's casts: the function is renamed and
 * `AS <type>` dropped.
 */
function rewriteCast(code: Token[], i: number, renames: Map<Token, string>): void {
  const end = closing(code, i + 1);
  if (end < 0) return;
  const type = code[end - 1];
  const as = code[end - 2];
  if (type?.kind !== 'word' || !as || as.text.toLowerCase() !== 'as' || end - 2 <= i + 1) return;
  const t = type.text.toLowerCase();
  const tryCast = code[i]!.text.toLowerCase() === 'try_cast';
  let target: string | undefined;
  if (t === 'ipaddress') target = tryCast ? 'casebook_ip_try_cast' : 'casebook_ip_cast';
  else if (t in INTEGER_TYPES) target = `casebook_${tryCast ? 'try_cast' : 'cast'}_${t === 'int' ? 'integer' : t}`;
  if (!target) return;
  renames.set(code[i]!, target);
  renames.set(as, '');
  renames.set(type, '');
}

/** Words after which `[` starts an index, not an array constructor: the value before `[` is not an expression. */
const NOT_A_VALUE = new Set([
  'array',
  'and',
  'or',
  'not',
  'in',
  'when',
  'then',
  'else',
  'select',
  'where',
  'on',
  'by',
  'as',
  'case',
  'return',
  'is',
  'like',
  'between',
]);

/**
 * Trino's `array[i]` fails when i is out of range, where DuckDB gives NULL (or counts
 * from the end): each subscript becomes `casebook_subscript(array, i)`.
 */
function rewriteSubscripts(code: Token[], renames: Map<Token, string>, prefixes: Map<Token, string>): void {
  const baseOf = new Map<number, number>();
  const start = (k: number): number => {
    const t = code[k];
    if (!t) return -1;
    let s: number;
    if (t.text === ')') {
      let depth = 0;
      s = -1;
      for (let j = k; j >= 0; j--) {
        if (code[j]!.text === ')') depth++;
        else if (code[j]!.text === '(' && --depth === 0) {
          s = j;
          break;
        }
      }
      if (s < 0) return -1;
      const fn = code[s - 1];
      if (fn && (fn.kind === 'word' || fn.kind === 'quoted') && !NOT_A_VALUE.has(fn.text.toLowerCase())) s -= 1;
    } else if (t.text === ']') {
      const b = baseOf.get(k);
      if (b === undefined) return -1;
      s = b;
    } else if ((t.kind === 'word' && !NOT_A_VALUE.has(t.text.toLowerCase()) && !/^[0-9]/.test(t.text)) || t.kind === 'quoted') {
      s = k;
    } else return -1;
    while (code[s - 1]?.text === '.' && s >= 2) {
      const before = start(s - 2);
      if (before < 0) break;
      s = before;
    }
    return s;
  };
  code.forEach((t, j) => {
    if (t.text !== '[') return;
    const end = closing(code, j);
    if (end < 0) return;
    const s = start(j - 1);
    if (s < 0) {
      // An array constructor (ARRAY[...]): its closing bracket may still end a base.
      if (code[j - 1]?.text.toLowerCase() === 'array') baseOf.set(end, j - 1);
      return;
    }
    baseOf.set(end, s);
    prefixes.set(code[s]!, `casebook_subscript(${prefixes.get(code[s]!) ?? ''}`);
    renames.set(t, ', ');
    renames.set(code[end]!, ')');
  });
}

/** Whether the arguments starting at `code[i]` read `'literal', CAST(` or `'literal', TRY_CAST(`. */
function isCidrCall(code: Token[], i: number): boolean {
  const cast = code[i + 2];
  return (
    code[i]?.kind === 'string' &&
    code[i + 1]?.text === ',' &&
    cast?.kind === 'word' &&
    /^(try_)?cast$/i.test(cast.text) &&
    code[i + 3]?.text === '('
  );
}
