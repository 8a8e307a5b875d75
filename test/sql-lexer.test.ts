import { describe, expect, it } from 'vitest';
import { codeTokens, identifierName, lexSql, namesTable, templateTags } from '../src/sql/lexer.js';
import { transpile } from '../src/engines/duckdb/compat.js';
import { neededColumns, type ColumnNeeds } from '../src/engines/duckdb/projection.js';
import { getTable } from '../src/tables/model.js';

/**
 * The SQL the local engine rewrites and inspects is read as tokens: what sits in a
 * string literal, a comment or a quoted identifier is never rewritten and never counts
 * as code, and each rewrite still applies to the code around it.
 */

/** Text that names every rewritten or inspected construct, but only inside literals and comments. */
const INERT: string[] = [
  "SELECT 'regexp_like(' AS a",
  "SELECT 'FROM cloudtrail' AS a",
  "SELECT '-- x' AS a, 'b' AS b",
  "SELECT 'from_iso8601_timestamp(' AS a",
  "SELECT 'transform(' AS a, 'TRANSFORM (x, y -> y)' AS b",
  "SELECT 'contains(''10.0.0.0/8'', CAST(x AS IPADDRESS))' AS a",
  "SELECT 1 AS a -- transform(x, y -> y) and contains('10.0.0.0/8', CAST(x AS IPADDRESS))",
  "SELECT 1 AS a /* transform( contains('10.0.0.0/8', TRY_CAST( */",
  'SELECT "transform" AS a, "contains" AS b FROM t',
  "SELECT 'it''s -- transform(' AS a, '/* transform( */' AS b",
];

describe('lexSql', () => {
  const texts = [
    ...INERT,
    "SELECT 'unterminated transform(",
    'SELECT 1 /* unterminated transform(',
    'SELECT "unterminated',
    'SELECT 1 -- no newline at the end',
    'WHERE {{window "cloudtrail"}} AND x = {{str name}} {{!-- a }} note --}} {{{raw}}}',
    '',
  ];
  it.each(texts)('the tokens give back the text: %s', (text) => {
    expect(
      lexSql(text, { template: true })
        .map((t) => t.text)
        .join(''),
    ).toBe(text);
    expect(
      lexSql(text)
        .map((t) => t.text)
        .join(''),
    ).toBe(text);
  });

  it('reads a doubled quote as part of the literal, and a comment marker in a literal as text', () => {
    const tokens = lexSql("x = 'it''s -- not a comment' -- a comment\nAND y");
    expect(tokens.filter((t) => t.kind === 'string').map((t) => t.text)).toEqual(["'it''s -- not a comment'"]);
    expect(tokens.filter((t) => t.kind === 'comment').map((t) => t.text)).toEqual(['-- a comment']);
    expect(codeTokens("x = 'a' -- c\nAND y").map((t) => t.text)).toEqual(['x', '=', "'a'", 'AND', 'y']);
  });

  it('reads quoted identifiers without regard to case, with a doubled quote inside', () => {
    const [q] = codeTokens('"Event""Name"');
    expect(q!.kind).toBe('quoted');
    expect(identifierName(q)).toBe('event"name');
    expect(identifierName(codeTokens('EventName')[0])).toBe('eventname');
    expect(identifierName(codeTokens("'eventname'")[0])).toBeUndefined();
    expect(identifierName(codeTokens('42')[0])).toBeUndefined();
  });

  it('reads Handlebars tags only when asked to', () => {
    expect(lexSql('{{window "cloudtrail"}}').some((t) => t.kind === 'tag')).toBe(false);
    expect(lexSql('{{window "cloudtrail"}}', { template: true }).map((t) => t.kind)).toEqual(['tag']);
  });
});

describe('transpile leaves literals, comments and quoted identifiers byte for byte', () => {
  it.each(INERT)('%s', (sql) => {
    expect(transpile(sql)).toBe(sql);
  });
});

describe('transpile still rewrites the code around them', () => {
  const cases: [string, string, string][] = [
    [
      'transform beside a literal naming it',
      "SELECT transform(a, x -> x || 'transform(') AS t",
      "SELECT list_transform(a, x -> x || 'transform(') AS t",
    ],
    [
      'CIDR contains beside a literal and a comment naming it',
      "WHERE contains('10.0.0.0/8', CAST(a AS IPADDRESS)) -- contains('10.0.0.0/8', CAST(\n  AND m = 'contains(''10.0.0.0/8'', CAST(a AS IPADDRESS))'",
      "WHERE casebook_cidr_contains('10.0.0.0/8', casebook_ip_cast(a)) -- contains('10.0.0.0/8', CAST(\n  AND m = 'contains(''10.0.0.0/8'', CAST(a AS IPADDRESS))'",
    ],
    [
      'only the name changes: spacing, case and comments between the tokens are kept',
      "CONTAINS /* c */ ( '192.168.0.0/16' ,\n TRY_CAST(a AS ipaddress)) AND Transform (b, y -> y)",
      "casebook_cidr_contains /* c */ ( '192.168.0.0/16' ,\n casebook_ip_try_cast(a)) AND list_transform (b, y -> y)",
    ],
    [
      'a literal holding a quote before the call',
      "SELECT 'it''s' AS a, transform(b, y -> y) AS c",
      "SELECT 'it''s' AS a, list_transform(b, y -> y) AS c",
    ],
    [
      'array contains and names that only contain the words are left alone',
      "contains(ARRAY['a'], 'a') AND my_transform(1) AND transform_x(2) AND contains(a, CAST(b AS VARCHAR))",
      "contains(ARRAY['a'], 'a') AND my_transform(1) AND transform_x(2) AND contains(a, CAST(b AS VARCHAR))",
    ],
    ['a word that is not called is left alone', 'SELECT a AS transform, contains FROM t', 'SELECT a AS transform, contains FROM t'],
  ];
  it.each(cases)('%s', (_name, sql, rewritten) => {
    expect(transpile(sql)).toBe(rewritten);
  });
});

describe('neededColumns reads identifiers, not literals or comments', () => {
  const columns = getTable('cloudtrail').columns;
  const names = (needs: ColumnNeeds) => (needs === 'all' ? 'all' : [...needs.keys()].sort());

  it('a column named only inside a literal or a comment is not read', () => {
    const needs = neededColumns("SELECT eventtime FROM cloudtrail WHERE eventtime > 'eventname' -- awsregion\n/* errorcode */", columns);
    expect(names(needs)).toEqual(['eventtime']);
  });

  it("'-- x' in a literal does not hide the rest of the line", () => {
    const needs = neededColumns("SELECT eventtime FROM cloudtrail WHERE useragent = '-- x' AND eventname = 'a'", columns);
    expect(names(needs)).toEqual(['eventname', 'eventtime', 'useragent']);
  });

  it("'*' in a literal or a comment does not read every column; SELECT * and alias.* do", () => {
    expect(
      names(neededColumns("SELECT regexp_extract(eventname, '^(.*)$', 1) AS n, count(*) AS c FROM cloudtrail -- SELECT *", columns)),
    ).toEqual(['eventname']);
    expect(neededColumns("SELECT 'SELECT *' AS a, * FROM cloudtrail", columns)).toBe('all');
    expect(neededColumns('SELECT DISTINCT * FROM cloudtrail', columns)).toBe('all');
    expect(neededColumns('SELECT c.* FROM cloudtrail c', columns)).toBe('all');
  });

  it('quoted identifiers and struct paths count, without regard to case', () => {
    const needs = neededColumns(
      'SELECT "EventName", useridentity . "ARN", UserIdentity.sessioncontext.attributes.mfaauthenticated FROM cloudtrail',
      columns,
    );
    expect(names(needs)).toEqual(['eventname', 'useridentity']);
    const ui = (needs as Map<string, unknown>).get('useridentity') as Map<string, unknown>;
    expect([...ui.keys()].sort()).toEqual(['arn', 'sessioncontext']);
  });
});

describe('namesTable and templateTags', () => {
  it('a table named in a literal or a comment is not read', () => {
    expect(namesTable("SELECT 'FROM cloudtrail' AS a FROM vpc_flow_logs", 'cloudtrail')).toBe(false);
    expect(namesTable('SELECT 1 AS a -- FROM cloudtrail', 'cloudtrail')).toBe(false);
    expect(namesTable('SELECT 1 AS a FROM cloudtrail_archive', 'cloudtrail')).toBe(false);
  });

  it('a table named as an identifier is read, quoted, qualified or in any case', () => {
    expect(namesTable('SELECT 1 FROM CloudTrail', 'cloudtrail')).toBe(true);
    expect(namesTable('SELECT 1 FROM "default"."cloudtrail"', 'cloudtrail')).toBe(true);
    expect(namesTable('SELECT c.eventname FROM cloudtrail c', 'cloudtrail')).toBe(true);
  });

  it('in a template, a tag is not a table reference, and a tag in a literal or comment is not a tag', () => {
    expect(namesTable('SELECT 1 WHERE {{window "cloudtrail"}}', 'cloudtrail', { template: true })).toBe(false);
    expect(
      templateTags('FROM cloudtrail WHERE {{window "cloudtrail"}} AND x = \'{{nope}}\' -- {{window "vpc_flow_logs"}}\n/* {{also_not}} */'),
    ).toEqual(['{{window "cloudtrail"}}']);
  });
});
