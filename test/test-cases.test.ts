import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPack } from '../src/pack/load.js';
import { FIXTURE_TABLES, loadFixtures, loadTestCases } from './support/test-cases.js';
import { tempDir } from './support/harness.js';

/** A root with one query's metadata file, an optional test file and fixture files. */
function rootWith(testYaml: string | undefined, fixtures: Record<string, string>) {
  const { dir, cleanup } = tempDir('casebook-cases-');
  mkdirSync(join(dir, 'queries', 'g'), { recursive: true });
  const metaFile = join(dir, 'queries', 'g', 'q-one.yaml');
  writeFileSync(metaFile, 'id: q-one\n');
  if (testYaml !== undefined) writeFileSync(join(dir, 'queries', 'g', 'q-one.test.yaml'), testYaml);
  for (const [rel, text] of Object.entries(fixtures)) {
    const file = join(dir, 'test', 'fixtures', 'records', rel);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  return { dir, metaFile, cleanup };
}

const ALICE =
  "alice-get-bucket-acl:\n  eventTime: '2024-03-01T09:00:00Z'\n  eventName: GetBucketAcl\n  userIdentity: { userName: alice }\n";
const FLOW = 'reject-ssh: { version: 2, srcaddr: 192.0.2.45, dstport: 22, action: REJECT }\n';
const CASES = (records: string) => `
- name: p
  kind: positive
  params: { since: '2024-03-01', until: '2024-03-02' }
  records: ${records}
  expect: { count: 1 }
- name: n
  kind: negative
  lake: real
  expect: { count: 0 }
`;

describe('test cases and their fixtures', () => {
  it('resolve names to records, and a variant overrides top-level fields without changing the fixture', () => {
    const { dir, metaFile, cleanup } = rootWith(
      CASES(
        "{ cloudtrail: [alice-get-bucket-acl, { use: alice-get-bucket-acl, eventTime: '2024-03-01T10:00:00Z', errorCode: AccessDenied }], vpc_flow_logs: [{ use: reject-ssh, dstport: 3389 }] }",
      ),
      { 'cloudtrail/a.yaml': ALICE, 'vpc_flow_logs/b.yaml': FLOW },
    );
    try {
      const [p, n] = loadTestCases(metaFile, dir);
      expect(p!.records).toEqual({
        cloudtrail: [
          { eventTime: '2024-03-01T09:00:00Z', eventName: 'GetBucketAcl', userIdentity: { userName: 'alice' } },
          { eventTime: '2024-03-01T10:00:00Z', eventName: 'GetBucketAcl', userIdentity: { userName: 'alice' }, errorCode: 'AccessDenied' },
        ],
        vpc_flow_logs: [{ version: 2, srcaddr: '192.0.2.45', dstport: 3389, action: 'REJECT' }],
      });
      expect(p!.records!.cloudtrail![0]!.userIdentity).not.toBe(p!.records!.cloudtrail![1]!.userIdentity);
      expect(loadFixtures(dir).records.vpc_flow_logs.get('reject-ssh')).toMatchObject({ dstport: 22 });
      expect(n).toMatchObject({ kind: 'negative', lake: 'real', params: {} });
      expect(n!.records).toBeUndefined();
    } finally {
      cleanup();
    }
  });

  const failures: [string, string | undefined, Record<string, string>, RegExp][] = [
    ['a query without a test file', undefined, {}, /queries\/g\/q-one\.yaml: no test cases: queries\/g\/q-one\.test\.yaml is missing/],
    [
      'a case naming a record that is not a fixture',
      CASES('{ cloudtrail: [alice-get-bucket-acl, mallory-nothing] }'),
      { 'cloudtrail/a.yaml': ALICE },
      /q-one\.test\.yaml: case "p": cloudtrail record "mallory-nothing" is not a fixture in test\/fixtures\/records\/cloudtrail\//,
    ],
    [
      'a flow-log name used as a CloudTrail record',
      CASES('{ cloudtrail: [reject-ssh] }'),
      { 'vpc_flow_logs/b.yaml': FLOW },
      /cloudtrail record "reject-ssh" is not a fixture/,
    ],
    [
      'a record name defined twice',
      CASES('{ cloudtrail: [alice-get-bucket-acl] }'),
      { 'cloudtrail/a.yaml': ALICE, 'cloudtrail/b.yaml': ALICE },
      /test\/fixtures\/records\/cloudtrail\/b\.yaml: cloudtrail record "alice-get-bucket-acl" is also defined in test\/fixtures\/records\/cloudtrail\/a\.yaml/,
    ],
    [
      'a record name that is not kebab-case',
      CASES('{ cloudtrail: [a] }'),
      { 'cloudtrail/a.yaml': 'Alice_Read: { eventName: X }\n' },
      /record name "Alice_Read" is not kebab-case/,
    ],
    ['a single case', '- { name: p, kind: positive, lake: real, expect: { count: 1 } }\n', {}, /q-one\.test\.yaml: \(top\): Too small/],
    [
      'a case with an unknown key',
      CASES('{ cloudtrail: [] }').replace('kind: negative', 'kind: negative\n  rows: 3'),
      {},
      /q-one\.test\.yaml: 1: Unrecognized key: "rows"/,
    ],
  ];
  it.each(failures)('%s fails with a one-line error', (_name, testYaml, fixtures, why) => {
    const { dir, metaFile, cleanup } = rootWith(testYaml, fixtures);
    try {
      expect(() => loadTestCases(metaFile, dir)).toThrow(why);
    } finally {
      cleanup();
    }
  });
});

describe("the pack's fixtures", () => {
  it('are each used by some case (no stale records), across every query of the pack', () => {
    const used = { cloudtrail: new Set<string>(), vpc_flow_logs: new Set<string>() };
    for (const q of loadPack().queries) loadTestCases(q.metaFile, undefined, used);
    const fixtures = loadFixtures();
    for (const table of FIXTURE_TABLES) {
      expect(fixtures.records[table].size, table).toBeGreaterThan(50);
      const unused = [...fixtures.records[table].keys()].filter((name) => !used[table].has(name));
      expect(unused, `${table} fixtures no case uses`).toEqual([]);
    }
  });
});
