import { allFieldsFlowFormat } from '../../src/pack/table-columns.js';
import { defaultFlowFormat, parseFlowFormat, type FlowFormat } from '../../src/glue/flow-format.js';
/**
 * The pack's test cases: `queries/<group>/<id>.test.yaml` beside each query, built from
 * named records in `test/fixtures/records/<table>/*.yaml`. Only the tests read these
 * files; no casebook command does.
 *
 * A case names its records; a name may carry top-level field overrides for a variant:
 *
 *   records:
 *     cloudtrail: [mallory-delete-bucket-prod-audit-logs, { use: alice-get-bucket-acl, eventTime: '2024-03-02T09:00:00Z' }]
 *
 * A fixture file maps names (kebab-case, unique per table across its files) to one record each.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { RecordsLakeInput } from '../../src/lake/records-lake.js';
import { projectRoot } from '../../src/paths.js';

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const ParamValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]));

/** What a test case expects of the result. */
export const ExpectSchema = z
  .object({
    /** Exact number of rows. */
    count: z.number().int().min(0).optional(),
    /** At least this many rows. */
    min_count: z.number().int().min(0).optional(),
    /** Each listed row (a subset of columns) must equal some result row. */
    rows: z.array(z.record(z.string(), Scalar)).optional(),
    /** The first rows, in order, must match these (subset of columns). */
    first: z.array(z.record(z.string(), Scalar)).optional(),
    /** No result row may match any of these (subset of columns). */
    absent: z.array(z.record(z.string(), Scalar)).optional(),
  })
  .strict()
  .refine((e) => Object.keys(e).length > 0, { message: 'expect needs at least one of count, min_count, rows, first, absent' });
export type Expect = z.infer<typeof ExpectSchema>;

export const FIXTURE_TABLES = ['cloudtrail', 'vpc_flow_logs'] as const;
export type FixtureTable = (typeof FIXTURE_TABLES)[number];

const FIXTURE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A record in a case: a fixture's name, or `{ use: name, field: value, ... }` for a variant. */
const RecordRefSchema = z.union([z.string().min(1), z.object({ use: z.string().min(1) }).catchall(z.unknown())]);
export type RecordRef = z.infer<typeof RecordRefSchema>;

export const TestCaseSchema = z
  .object({
    name: z.string().min(1),
    /** Positive cases find something; negative cases prove the query stays quiet. */
    kind: z.enum(['positive', 'negative']),
    params: ParamValues.default({}),
    /** Records written into a temporary lake in the exact S3 layout. Omit to run on the shared real lake. */
    records: z
      .object({
        cloudtrail: z.array(RecordRefSchema).optional(),
        vpc_flow_logs: z.array(RecordRefSchema).optional(),
      })
      .strict()
      .optional(),
    /**
     * The flow log's format the SQL is rendered for (the vpc_flow_logs table's columns):
     * `default` (the version 2 format, what `casebook ddl` makes without --format), a format
     * string ('${version} ${srcaddr} ...'), or, when omitted, every field.
     */
    flow_format: z.string().min(1).optional(),
    /** `real` runs the case over ../shared/data/real-lake instead of records. */
    lake: z.enum(['records', 'real']).default('records'),
    expect: ExpectSchema,
  })
  .strict();

export const TestCaseFileSchema = z.array(TestCaseSchema).min(2);

/** A case with its records resolved to the records themselves. */
export interface TestCase extends Omit<z.infer<typeof TestCaseSchema>, 'records'> {
  records?: RecordsLakeInput;
}

/** Flow-log records: objects keyed by flow-log field name (`dstport`, `log-status`); missing fields are written as `-`. */
const FlowRecordSchema = z.record(z.string(), z.union([z.string(), z.number()]));
const CloudTrailRecordSchema = z.record(z.string(), z.unknown());

export interface Fixtures {
  /** Records by table, then by name. */
  records: Record<FixtureTable, Map<string, Record<string, unknown>>>;
  /** The file (relative to the root) that defines each name, by table. */
  files: Record<FixtureTable, Map<string, string>>;
}

export function fixturesDir(root = projectRoot()): string {
  return join(root, 'test', 'fixtures', 'records');
}

function readYaml(file: string, root: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${relative(root, file)}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

const fixtureCache = new Map<string, Fixtures>();

/** Every named record under `test/fixtures/records/`. */
export function loadFixtures(root = projectRoot()): Fixtures {
  const hit = fixtureCache.get(root);
  if (hit) return hit;
  const fixtures: Fixtures = {
    records: { cloudtrail: new Map(), vpc_flow_logs: new Map() },
    files: { cloudtrail: new Map(), vpc_flow_logs: new Map() },
  };
  for (const table of FIXTURE_TABLES) {
    const dir = join(fixturesDir(root), table);
    if (!existsSync(dir)) continue;
    const recordSchema = table === 'cloudtrail' ? CloudTrailRecordSchema : FlowRecordSchema;
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.yaml'))
      .sort()) {
      const file = join(dir, name);
      const rel = relative(root, file);
      const raw = readYaml(file, root);
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        throw new Error(`${rel}: a fixture file maps record names to records`);
      for (const [key, value] of Object.entries(raw)) {
        if (!FIXTURE_NAME.test(key)) throw new Error(`${rel}: record name "${key}" is not kebab-case`);
        const prior = fixtures.files[table].get(key);
        if (prior) throw new Error(`${rel}: ${table} record "${key}" is also defined in ${prior}`);
        const parsed = recordSchema.safeParse(value);
        if (!parsed.success || Array.isArray(value))
          throw new Error(`${rel}: ${key}: not a ${table} record (a mapping of field names to values)`);
        fixtures.records[table].set(key, value as Record<string, unknown>);
        fixtures.files[table].set(key, rel);
      }
    }
  }
  fixtureCache.set(root, fixtures);
  return fixtures;
}

/** The test file of a query: its metadata file with `.test.yaml` for `.yaml`. */
export function testFileOf(metaFile: string): string {
  return metaFile.replace(/\.yaml$/, '.test.yaml');
}

/**
 * The cases of the query whose metadata is `metaFile`, with every record resolved.
 * Throws a one-line error when the file is missing or invalid, or a case names a
 * record that is not a fixture. `used` collects the fixture names the cases use.
 */
export function loadTestCases(metaFile: string, root = projectRoot(), used?: Record<FixtureTable, Set<string>>): TestCase[] {
  const file = testFileOf(metaFile);
  const rel = relative(root, file);
  if (!existsSync(file)) throw new Error(`${relative(root, metaFile)}: no test cases: ${rel} is missing`);
  const parsed = TestCaseFileSchema.safeParse(readYaml(file, root));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${rel}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  const fixtures = loadFixtures(root);
  return parsed.data.map((c) => {
    const { records, ...rest } = c;
    if (!records) return rest;
    // Resolved in place: the case keeps its fields in their order.
    const out: RecordsLakeInput = {};
    for (const table of FIXTURE_TABLES) {
      const refs = records[table];
      if (!refs) continue;
      const resolved = refs.map((ref) => resolveRecord(ref, table, fixtures, `${rel}: case "${c.name}"`, used));
      if (table === 'cloudtrail') out.cloudtrail = resolved;
      else out.vpc_flow_logs = resolved as Record<string, string | number>[];
    }
    return { ...c, records: out };
  });
}

function resolveRecord(
  ref: RecordRef,
  table: FixtureTable,
  fixtures: Fixtures,
  where: string,
  used?: Record<FixtureTable, Set<string>>,
): Record<string, unknown> {
  const { use, ...overrides } = typeof ref === 'string' ? { use: ref } : ref;
  const base = fixtures.records[table].get(use);
  if (!base) throw new Error(`${where}: ${table} record "${use}" is not a fixture in test/fixtures/records/${table}/`);
  used?.[table].add(use);
  const record = structuredClone({ ...base, ...overrides });
  if (table === 'vpc_flow_logs' && !FlowRecordSchema.safeParse(record).success) {
    throw new Error(`${where}: ${table} record "${use}": flow-log fields are strings or numbers`);
  }
  return record;
}

export interface QueryFiles {
  id: string;
  metaFile: string;
}

/** The resolved cases of a pack query (the tests' entry point). */
export function casesOf(query: QueryFiles): TestCase[] {
  return loadTestCases(query.metaFile);
}

/** The flow-log format a case's SQL is rendered for: every field unless the case names one (`default` is version 2). */
export function caseFlowFormat(tc: TestCase): FlowFormat {
  if (tc.flow_format === undefined) return allFieldsFlowFormat();
  if (tc.flow_format === 'default') return defaultFlowFormat();
  return parseFlowFormat(tc.flow_format, `case "${tc.name}": flow_format`);
}
