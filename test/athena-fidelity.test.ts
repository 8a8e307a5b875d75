import { describe, expect, it } from 'vitest';
import athenaV3 from './support/athena-fidelity/athena-v3-functions.json' with { type: 'json' };
import { athenaFunctions, checkAthenaSql } from './support/athena-fidelity/fidelity.js';
import { condenseMessage } from './support/athena-fidelity/fidelity-parser.js';

/** A 41-line investigation in the shape the pack uses: CTEs, windows, JSON, IP casts. */
const IAM_DELETIONS = `WITH events AS (
  SELECT
    from_iso8601_timestamp(eventtime) AS event_time,
    useridentity.arn AS actor,
    eventsource,
    eventname AS action,
    json_extract_scalar(requestparameters, '$.userName') AS target_user,
    sourceipaddress AS source_ip,
    recipientaccountid AS account_id,
    awsregion AS region,
    errorcode
  FROM cloudtrail_logs
  WHERE "timestamp" BETWEEN '2024/01/01' AND '2024/01/08'
    AND from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp('2024-01-01T00:00:00Z')
    AND from_iso8601_timestamp(eventtime) < from_iso8601_timestamp('2024-01-08T00:00:00Z')
    AND eventsource = 'iam.amazonaws.com'
    AND regexp_like(eventname, '^(Delete|Detach|Remove)')
),
ranked AS (
  SELECT e.*,
         row_number() OVER (PARTITION BY actor ORDER BY event_time DESC) AS rn,
         count(*) OVER (PARTITION BY actor) AS actor_events,
         date_diff('minute', lag(event_time) OVER (PARTITION BY actor ORDER BY event_time), event_time) AS gap_minutes
  FROM events e
  WHERE errorcode IS NULL
)
SELECT
  event_time,
  actor,
  action,
  coalesce(target_user, '-') AS target,
  source_ip,
  account_id,
  region,
  actor_events,
  approx_percentile(gap_minutes, 0.5) OVER (PARTITION BY actor) AS median_gap,
  if(contains('10.0.0.0/8', CAST(source_ip AS IPADDRESS)), 'internal', 'external') AS network
FROM ranked
WHERE rn <= 100 AND cardinality(split(actor, '/')) > 1
ORDER BY event_time DESC
LIMIT 500`;

const VALID: Array<{ name: string; sql: string; functions: string[] }> = [
  {
    name: 'CTEs, window functions, JSON, regexp, IPADDRESS cast',
    sql: IAM_DELETIONS,
    functions: [
      'approx_percentile',
      'cardinality',
      'coalesce',
      'contains',
      'count',
      'date_diff',
      'from_iso8601_timestamp',
      'if',
      'json_extract_scalar',
      'lag',
      'regexp_like',
      'row_number',
      'split',
    ],
  },
  {
    name: 'joins, UNION ALL, count(*), count(DISTINCT), arbitrary',
    sql: `
      SELECT a.srcaddr, count(*) AS flows, count(DISTINCT a.dstport) AS ports, arbitrary(b.name) AS name
      FROM vpc_flow_logs a
      LEFT JOIN assets b ON a.srcaddr = b.ip
      WHERE a.action = 'REJECT'
      GROUP BY a.srcaddr
      UNION ALL
      SELECT dstaddr, sum(packets), approx_distinct(srcport), max_by(interface_id, "end")
      FROM vpc_flow_logs
      GROUP BY 1`,
    functions: ['approx_distinct', 'arbitrary', 'count', 'max_by', 'sum'],
  },
  {
    name: 'lambda expressions',
    sql: `
      SELECT transform(arr, x -> x + 1) AS plus_one,
             filter(arr, x -> x IS NOT NULL) AS present,
             reduce(arr, 0, (s, x) -> s + x, s -> s) AS total,
             any_match(tags, t -> regexp_like(t.key, '^aws:')) AS has_aws_tag
      FROM t`,
    functions: ['any_match', 'filter', 'reduce', 'regexp_like', 'transform'],
  },
  {
    name: 'contains over an ARRAY and over an IPADDRESS network',
    sql: `
      SELECT * FROM vpc_flow_logs
      WHERE contains(ARRAY['REJECT', 'NODATA'], action)
        AND NOT contains('10.0.0.0/8', CAST(srcaddr AS IPADDRESS))`,
    functions: ['contains'],
  },
  {
    name: 'UNNEST WITH ORDINALITY, element_at, split_part, ROW types',
    sql: `
      SELECT r.resource.arn, ord,
             element_at(split(r.resource.arn, ':'), 5) AS account,
             split_part(r.resource.arn, '/', 2) AS name,
             CAST(ROW(1, 'a') AS ROW(x integer, y varchar)) AS pair
      FROM cloudtrail_logs
      CROSS JOIN UNNEST(resources) WITH ORDINALITY AS r(resource, ord)`,
    functions: ['element_at', 'split', 'split_part'],
  },
  {
    name: 'CAST, TRY_CAST, EXTRACT, CASE and literals are syntax, not calls',
    sql: `
      SELECT CAST(a AS bigint), TRY_CAST(b AS double), EXTRACT(year FROM ts),
             CASE WHEN c > 0 THEN 'pos' WHEN c < 0 THEN 'neg' ELSE 'zero' END,
             CASE d WHEN 1 THEN 'one' END,
             TIMESTAMP '2024-01-01 00:00:00 UTC', DATE '2024-01-01',
             INTERVAL '7' DAY, current_timestamp, ARRAY[1, 2], ts AT TIME ZONE 'UTC'
      FROM t`,
    functions: [],
  },
  {
    name: 'date/time, math, bitwise, URL and conditional functions',
    sql: `
      SELECT from_unixtime(start), to_unixtime(now()),
             date_format(ts, '%Y-%m-%d'), format_datetime(ts, 'yyyy-MM-dd'),
             is_nan(ratio), bitwise_and(flags, 2), url_extract_host(url),
             greatest(a, b), nullif(c, ''), try(CAST(d AS integer)), date_trunc('hour', ts),
             date_add('day', -1, current_date), "if"(e, 1, 0)
      FROM t`,
    functions: [
      'bitwise_and',
      'date_add',
      'date_format',
      'date_trunc',
      'format_datetime',
      'from_unixtime',
      'greatest',
      'if',
      'is_nan',
      'now',
      'nullif',
      'to_unixtime',
      'try',
      'url_extract_host',
    ],
  },
  {
    name: 'double-quoted identifiers such as "end" and "timestamp", quoted function names',
    sql: `SELECT "end", "timestamp", "LOWER"("user"), t."start" FROM vpc_flow_logs t WHERE "end" > 0`,
    functions: ['lower'],
  },
  {
    name: 'special-form functions: trim, substring FROM, position, listagg, json_value',
    sql: `
      SELECT trim(a), substring(b FROM 2 FOR 3), substring(b, 2, 3), position('x' IN c),
             listagg(d, ',') WITHIN GROUP (ORDER BY d), json_value(j, 'lax $.a')
      FROM t GROUP BY a, b, c, j`,
    functions: ['json_value', 'listagg', 'position', 'substring', 'trim'],
  },
  {
    name: 'FILTER, IGNORE NULLS, named windows, frames',
    sql: `
      SELECT count(*) FILTER (WHERE errorcode IS NOT NULL),
             last_value(x) IGNORE NULLS OVER w,
             sum(bytes) OVER (ORDER BY ts ROWS BETWEEN 5 PRECEDING AND CURRENT ROW)
      FROM t
      WINDOW w AS (PARTITION BY actor ORDER BY ts)`,
    functions: ['count', 'last_value', 'sum'],
  },
  {
    name: 'MATCH_RECOGNIZE navigation functions',
    sql: `
      SELECT * FROM t MATCH_RECOGNIZE (
        PARTITION BY actor ORDER BY ts
        MEASURES match_number() AS m, classifier() AS c, last(ts) AS last_ts
        ONE ROW PER MATCH
        PATTERN (a b+)
        DEFINE b AS prev(ts) < ts)`,
    functions: ['classifier', 'last', 'match_number', 'prev'],
  },
  {
    name: 'a single trailing semicolon',
    sql: 'SELECT 1;',
    functions: [],
  },
];

describe('checkAthenaSql: valid Athena queries', () => {
  it.each(VALID)('$name', ({ sql, functions }) => {
    const report = checkAthenaSql(sql);
    expect(report).toEqual({ ok: true, syntaxErrors: [], functions, unknownFunctions: [] });
  });
});

const LINE = /^line \d+:\d+ \S/;

describe('checkAthenaSql: broken SQL fails with a line number', () => {
  const BROKEN: Array<{ name: string; sql: string; at: string }> = [
    { name: 'missing FROM target', sql: 'SELECT *\nFROM\nWHERE a = 1', at: 'line 3:1 ' },
    { name: 'missing FROM target at end of input', sql: 'SELECT * FROM', at: 'line 1:14 ' },
    { name: 'unclosed parenthesis', sql: 'SELECT count(*)\nFROM t\nWHERE (a = 1', at: 'line 3:' },
    { name: 'extra closing parenthesis', sql: 'SELECT lower(a))\nFROM t', at: 'line 1:16 ' },
    { name: 'SELECT * FORM t', sql: 'SELECT * FORM t', at: 'line 1:10 ' },
    { name: 'a trailing ; then junk', sql: 'SELECT 1 FROM t;\njunk', at: 'line 2:1 ' },
    { name: 'two statements', sql: 'SELECT 1;\nSELECT 2', at: 'line 2:1 only one statement' },
    { name: 'empty text', sql: '  \n ', at: 'line 1:1 empty query' },
    { name: 'backticks are not Trino', sql: 'SELECT `eventname`\nFROM cloudtrail_logs', at: 'line 1:8 backquoted' },
    { name: 'identifier starting with a digit', sql: 'SELECT 1st FROM t', at: 'line 1:8 identifiers must not start with a digit' },
    { name: 'DuckDB :: cast', sql: 'SELECT a::int FROM t', at: 'line 1:9 ' },
    { name: 'unterminated string', sql: "SELECT 'abc FROM t", at: "line 1:8 unexpected input '''" },
  ];

  it.each(BROKEN)('$name', ({ sql, at }) => {
    const report = checkAthenaSql(sql);
    expect(report.ok).toBe(false);
    expect(report.syntaxErrors.length).toBeGreaterThan(0);
    for (const error of report.syntaxErrors) expect(error).toMatch(LINE);
    expect(report.syntaxErrors.some((error) => error.startsWith(at))).toBe(true);
  });

  it('keeps long "expecting" lists short', () => {
    const [error] = checkAthenaSql('SELECT * FROM').syntaxErrors;
    expect(error).toMatch(/^line 1:14 mismatched input '<EOF>' expecting one of '\(', an identifier, .* or \d+ more$/);
    expect(condenseMessage("missing ')' at 'FROM'")).toBe("missing ')' at 'FROM'");
  });
});

describe('checkAthenaSql: functions Athena does not have', () => {
  it('reports DuckDB-only functions, with no syntax error', () => {
    const report = checkAthenaSql(`
      SELECT list_filter(ips, x -> x LIKE '10.%'), strftime(ts, '%Y'), epoch(ts),
             regexp_matches(name, '^a'), json_extract_string(doc, '$.a'), lower(name)
      FROM t`);
    expect(report.syntaxErrors).toEqual([]);
    expect(report.ok).toBe(false);
    expect(report.unknownFunctions).toEqual(['epoch', 'json_extract_string', 'list_filter', 'regexp_matches', 'strftime']);
    expect(report.functions).toContain('lower');
  });

  it('reports functions added to Trino after the pinned release', () => {
    expect(checkAthenaSql('SELECT ends_with(a, b), array_first(c) FROM t').unknownFunctions).toEqual(['array_first', 'ends_with']);
  });

  it('keeps qualified names whole, so a catalog function is not mistaken for a built-in', () => {
    const report = checkAthenaSql('SELECT my_catalog.fn(a), "Lower"(b) FROM t');
    expect(report.functions).toEqual(['lower', 'my_catalog.fn']);
    expect(report.unknownFunctions).toEqual(['my_catalog.fn']);
  });

  it('accepts row pattern navigation functions only inside pattern recognition', () => {
    expect(checkAthenaSql('SELECT first(a), last(b) FROM t').unknownFunctions).toEqual(['first', 'last']);
  });

  it('reports table functions, which Athena does not provide', () => {
    expect(checkAthenaSql('SELECT * FROM TABLE(exclude_columns(input => TABLE(t), columns => DESCRIPTOR(a)))').unknownFunctions).toEqual([
      'exclude_columns',
    ]);
  });
});

describe('checkAthenaSql: only real calls count', () => {
  it('ignores names inside string literals and comments', () => {
    const report = checkAthenaSql(`
      SELECT 'strftime(ts, ''%Y'')' AS s, 'list_filter(x)' AS t -- epoch(ts)
      FROM logs /* regexp_matches(a, b) */
      WHERE message LIKE '%json_extract_string(%'`);
    expect(report).toEqual({ ok: true, syntaxErrors: [], functions: [], unknownFunctions: [] });
  });

  it('ignores columns and aliases named like functions', () => {
    const report = checkAthenaSql('SELECT count, "strftime", e.epoch, "list_filter" AS regexp_matches FROM events e');
    expect(report).toEqual({ ok: true, syntaxErrors: [], functions: [], unknownFunctions: [] });
  });
});

describe('athenaFunctions', () => {
  const names = athenaFunctions();

  it('includes the functions casebook investigations rely on', () => {
    const required = [
      'approx_percentile',
      'arbitrary',
      'bitwise_and',
      'cardinality',
      'coalesce',
      'contains',
      'count',
      'date_diff',
      'date_format',
      'element_at',
      'format_datetime',
      'from_iso8601_timestamp',
      'from_unixtime',
      'greatest',
      'if',
      'is_nan',
      'json_extract_scalar',
      'lag',
      'nullif',
      'regexp_like',
      'row_number',
      'split_part',
      'to_unixtime',
      'transform',
      'try',
      'try_cast',
      'url_extract_host',
    ];
    for (const name of required) expect(names.has(name), name).toBe(true);
  });

  it('excludes DuckDB-only functions and PrestoDB-only IP functions', () => {
    for (const name of ['list_filter', 'strftime', 'epoch', 'regexp_matches', 'json_extract_string', 'ip_prefix']) {
      expect(names.has(name), name).toBe(false);
    }
  });

  it('is a sorted, duplicate-free list of lower-case names with its source recorded', () => {
    expect(athenaV3.functions).toEqual([...new Set(athenaV3.functions)].sort());
    for (const name of athenaV3.functions) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(names.size).toBe(athenaV3.functions.length);
    expect(athenaV3.source).toMatch(/Trino release 450/);
    expect(athenaV3.source).toContain('https://docs.aws.amazon.com/athena/latest/ug/functions-env3.html');
    for (const name of Object.keys(athenaV3.excludedAddedAfterTrino450)) expect(names.has(name), name).toBe(false);
  });
});

describe('checkAthenaSql: speed', () => {
  it('checks a 41-line query in well under the budget of a test suite that calls it hundreds of times', () => {
    checkAthenaSql(IAM_DELETIONS); // warm-up: the ATN is deserialized on first use
    const runs = 200;
    const start = performance.now();
    for (let i = 0; i < runs; i++) checkAthenaSql(IAM_DELETIONS.replace('LIMIT 500', `LIMIT ${i + 1}`));
    const perQuery = (performance.now() - start) / runs;
    expect(perQuery).toBeLessThan(50); // about 2 ms on a laptop-class CPU
  });
});
