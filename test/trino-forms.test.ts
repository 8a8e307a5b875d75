/**
 * The pack check refuses regular expressions that Athena (Java's regex, per
 * https://trino.io/docs/current/functions/regexp.html) and the local engine (RE2) read
 * differently, and extracting a group that may take no part in a match (NULL on Trino,
 * '' on RE2).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { divergentForms, groupMayNotTakePart, javaOnlyConstructs } from '../src/pack/trino-forms.js';
import { loadPack, PackError } from '../src/pack/load.js';
import { tempDir } from './support/harness.js';

describe('Java-only regex constructs', () => {
  it.each([
    ['a(?=b)', 'lookaround'],
    ['(?<!x)a', 'lookaround'],
    ['(?>ab)', 'an atomic group'],
    ['a++', 'a possessive quantifier'],
    ['a{2,}+', 'a possessive quantifier'],
    ['(a)\\1', 'a backreference'],
    ['(?<id>[0-9]+)', 'a Java named group (write (?:...) or number the groups)'],
    ['(?P<id>[0-9]+)', 'an RE2 named group (Trino does not read it)'],
    ['abc\\Z', 'an escape RE2 lacks'],
    ['\\p{IsAlphabetic}', 'a Java character property'],
    ['[a-z&&[^e]]', 'a class intersection'],
  ])('%s: %s', (pattern, what) => {
    expect(javaOnlyConstructs(pattern)).toContain(what);
  });

  it.each(['^arn:[^:]+:iam::([0-9]{12}):', '(?i)accessdenied', '\\(a\\)\\+', '[0-9]{4}_?[0-9]{2}', '\\p{L}+', '(?:function|layer)'])(
    '%s is read alike',
    (pattern) => {
      expect(javaOnlyConstructs(pattern)).toEqual([]);
    },
  );
});

describe('groups that may take no part in a match', () => {
  it.each([
    ['(x)?b', 1, true],
    ['(a|(b))', 2, true],
    ['a|(b)', 1, true],
    ['((x)*)', 2, true],
    ['(?:(x)){0,3}', 1, true],
    ['(x)(y)?', 1, false],
    ['(?:arn:aws[a-z-]*:iam::|")([0-9]{12})(?::|")', 1, false],
    ['"Principal"\\s*:\\s*("[^"]*"|\\{[^{}]*\\})', 1, false],
    ['([a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?)', 1, false],
    ['([a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?)', 2, true],
    ['[(](x)', 1, false],
  ])('%s group %d: %s', (pattern, n, optional) => {
    expect(groupMayNotTakePart(pattern, n)).toBe(optional);
  });
});

describe('divergentForms reads calls, not literals elsewhere', () => {
  it('finds the pattern argument of each regexp call', () => {
    expect(divergentForms("SELECT regexp_extract(a, '(x)?b', 1), regexp_like(b, 'a(?=b)') FROM t")).toHaveLength(2);
    expect(divergentForms("SELECT regexp_extract(a, '(x)?b') FROM t")).toEqual([]);
    expect(divergentForms("SELECT 'regexp_like(b, ''a(?=b)'')' AS s -- regexp_like(b, 'a(?=b)')")).toEqual([]);
    expect(divergentForms('SELECT regexp_like(b, {{pattern}}) FROM t', { template: true })).toEqual([]);
  });

  it('the pack has none', () => {
    for (const q of loadPack().queries) expect(divergentForms(q.template, { template: true }), q.id).toEqual([]);
  });

  it('the pack loader refuses a query that has one', () => {
    const { dir, cleanup } = tempDir('casebook-pack-');
    try {
      mkdirSync(join(dir, 'queries', 'g'), { recursive: true });
      cpSync(join(__dirname, '..', 'package.json'), join(dir, 'package.json'));
      writeFileSync(
        join(dir, 'queries', 'g', 'q-one.sql'),
        'SELECT regexp_extract(eventname, \'^(Delete)?Bucket\', 1) AS n FROM cloudtrail WHERE {{window "cloudtrail"}}',
      );
      writeFileSync(
        join(dir, 'queries', 'g', 'q-one.yaml'),
        `id: q-one
title: Query one
description: d
audience: [security]
tables: [cloudtrail]
columns: [n]
`,
      );
      expect(() => loadPack(dir)).toThrow(PackError);
      expect(() => loadPack(dir)).toThrow(/group 1 may take no part in a match/);
    } finally {
      cleanup();
    }
  });
});
