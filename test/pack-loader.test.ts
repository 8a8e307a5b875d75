import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { loadPack, PackError } from '../src/pack/load.js';
import { tempDir } from './support/harness.js';

/** A minimal pack in a temporary root, with one query whose files the case supplies. */
function packWith(sql: string, yamlExtra: string, partials: Record<string, string> = {}) {
  const { dir, cleanup } = tempDir('casebook-pack-');
  mkdirSync(join(dir, 'queries', 'g'), { recursive: true });
  mkdirSync(join(dir, 'queries', '_partials'), { recursive: true });
  cpSync(join(__dirname, '..', 'package.json'), join(dir, 'package.json'));
  for (const [name, text] of Object.entries(partials)) writeFileSync(join(dir, 'queries', '_partials', `${name}.sql`), text);
  writeFileSync(join(dir, 'queries', 'g', 'q-one.sql'), sql);
  writeFileSync(
    join(dir, 'queries', 'g', 'q-one.yaml'),
    `id: q-one
title: Query one
description: d
audience: [security]
tables: [cloudtrail]
columns: [n]
${yamlExtra}
`,
  );
  return { dir, cleanup };
}

const GOOD_SQL = 'SELECT count(*) AS n FROM cloudtrail WHERE {{window "cloudtrail"}} AND eventname = {{name}}';
const NAME_PARAM = 'params:\n  name: { type: string, help: h, default: x }';

describe('the pack loader rejects a query that is not what it says', () => {
  const cases: [string, string, string, Record<string, string>, RegExp][] = [
    [
      'a template variable that is not a parameter',
      'SELECT 1 AS n FROM cloudtrail WHERE {{window "cloudtrail"}} AND x = {{nope}}',
      '',
      {},
      /uses \{\{nope\}\}, which is not a declared parameter/,
    ],
    [
      'a declared parameter the template never uses',
      'SELECT 1 AS n FROM cloudtrail WHERE {{window "cloudtrail"}}',
      NAME_PARAM,
      {},
      /parameter "name" is declared but the template never uses it/,
    ],
    [
      'a table read without a partition predicate',
      'SELECT 1 AS n FROM cloudtrail WHERE eventname = {{name}}',
      NAME_PARAM,
      {},
      /reads cloudtrail without a partition predicate/,
    ],
    [
      'a partition predicate inside a SQL comment',
      'SELECT 1 AS n FROM cloudtrail -- {{window "cloudtrail"}}\nWHERE eventname = {{name}}',
      NAME_PARAM,
      {},
      /reads cloudtrail without a partition predicate/,
    ],
    [
      'a declared table named only in a string literal',
      'SELECT \'FROM cloudtrail\' AS n FROM (VALUES 1) AS v(x) WHERE {{window "cloudtrail"}}',
      '',
      {},
      /table cloudtrail is declared but the template never reads it/,
    ],
    [
      'a parameter named like a built-in',
      GOOD_SQL,
      'params:\n  since: { type: string, help: h }\n  name: { type: string, help: h, default: x }',
      {},
      /parameter "since" is built in/,
    ],
    [
      'a partial reading a parameter the query does not declare',
      'SELECT 1 AS n FROM cloudtrail WHERE {{window "cloudtrail"}} AND {{> frag}}',
      '',
      { frag: 'x = {{limit}}' },
      /uses \{\{limit\}\}, which is not a declared parameter/,
    ],
    [
      'a missing partial',
      'SELECT 1 AS n FROM cloudtrail WHERE {{window "cloudtrail"}} AND {{> nothere}}',
      '',
      {},
      /includes \{\{> nothere\}\}, which is not a file/,
    ],
    ['an unknown parameter type', GOOD_SQL, 'params:\n  name: { type: text, help: h }', {}, /params\.name\.type/],
    [
      'test cases inside the metadata (they belong in q-one.test.yaml)',
      GOOD_SQL,
      `${NAME_PARAM}\ntests: []`,
      {},
      /Unrecognized key: "tests"/,
    ],
  ];
  it.each(cases)('%s', (_name, sql, yaml, partials, why) => {
    const { dir, cleanup } = packWith(sql, yaml, partials);
    try {
      expect(() => loadPack(dir)).toThrow(PackError);
      expect(() => loadPack(dir)).toThrow(why);
    } finally {
      cleanup();
    }
  });

  it('a partial may read a parameter the including query declares', () => {
    const { dir, cleanup } = packWith('SELECT 1 AS n FROM cloudtrail WHERE {{window "cloudtrail"}} AND {{> frag}}', NAME_PARAM, {
      frag: 'eventname = {{name}}',
    });
    try {
      expect(loadPack(dir).byId.get('q-one')!.id).toBe('q-one');
    } finally {
      cleanup();
    }
  });

  it('never reads the test cases beside a query', () => {
    const { dir, cleanup } = packWith(GOOD_SQL, NAME_PARAM);
    try {
      writeFileSync(join(dir, 'queries', 'g', 'q-one.test.yaml'), 'id: [not: valid\n');
      const pack = loadPack(dir);
      expect(pack.queries.map((q) => q.id)).toEqual(['q-one']);
    } finally {
      cleanup();
    }
  });

  it('an id that differs from the file name', () => {
    const { dir, cleanup } = packWith(GOOD_SQL, NAME_PARAM);
    try {
      cpSync(join(dir, 'queries', 'g', 'q-one.yaml'), join(dir, 'queries', 'g', 'q-two.yaml'));
      cpSync(join(dir, 'queries', 'g', 'q-one.sql'), join(dir, 'queries', 'g', 'q-two.sql'));
      expect(() => loadPack(dir)).toThrow(/q-two\.yaml: id "q-one" does not match the file name "q-two"/);
    } finally {
      cleanup();
    }
  });
});
