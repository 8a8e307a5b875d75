/**
 * Every query names only columns its Athena table has. Each query is rendered for each
 * table variant casebook defines (CloudTrail; VPC flow logs as text with the default
 * version 2 format, with a version 5 custom format and with every field, and as
 * Parquet) and bound on DuckDB against tables with exactly the columns and types of the
 * Glue table `casebook setup` creates for that variant, nothing filled in. A column the
 * table lacks is a binder error here, as it is COLUMN_NOT_FOUND on Athena. (The local
 * engine's views fill absent flow-log fields with NULL, so the record-level tests cannot
 * see this.)
 *
 * KNOWN_MISSING lists the (query, variant) pairs that name a column the variant lacks
 * today. It must only shrink: a pair that binds is an error until it is removed from
 * the list, and a pair that fails but is not listed is an error.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableInput } from '@aws-sdk/client-glue';
import { loadPack, type Query } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { buildTable, type TableSpec } from '../src/glue/table-input.js';
import { defaultFlowFormat, parseFlowFormat, type FlowFormat } from '../src/glue/flow-format.js';
import { allFieldsFlowFormat } from '../src/pack/table-columns.js';
import { duckdbType, parseColumnType } from '../src/tables/column-types.js';
import { getTable } from '../src/tables/model.js';
import { setupCompat, transpile } from '../src/engines/duckdb/compat.js';
import type { TableLayout } from '../src/layout/layout.js';

const NOW = new Date('2024-08-20T00:00:00Z');

const OPTIONS: TableSpec['options'] = {
  location: 's3://amzn-s3-demo-bucket/',
  accounts: ['111122223333'],
  regions: ['us-east-1'],
  startDate: '2024/01/01',
};
const CT: TableLayout = { table: 'cloudtrail', format: 'json', hourly: false, hivePrefixes: false };
const FL_TEXT: TableLayout = { table: 'vpc_flow_logs', format: 'text', hourly: false, hivePrefixes: false };
const FL_PARQUET: TableLayout = { table: 'vpc_flow_logs', format: 'parquet', hourly: false, hivePrefixes: false };

/** A version 5 custom format: the default fields, then the version 3 to 5 fields AWS's console offers (no sublocation). */
const V5_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
  'az-id',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
];

/** Every field the flow-log table knows, and the record's region field. */
function allFields(): string[] {
  const t = getTable('vpc_flow_logs');
  return [...t.columns.map((c) => c.sourceName), ...Object.keys(t.storage?.droppedFieldColumns ?? {})];
}

const fmt = (fields: string[]) => parseFlowFormat(fields.map((f) => `\${${f}}`).join(' '));

/** The flow-log table variants; CloudTrail has one. */
const FLOW_VARIANTS: Record<string, TableSpec> = {
  'text-v2-default': { layout: FL_TEXT, options: OPTIONS },
  'text-v5-custom': { layout: FL_TEXT, options: { ...OPTIONS, flowFormat: fmt(V5_FIELDS) } },
  'text-all-fields': { layout: FL_TEXT, options: { ...OPTIONS, flowFormat: fmt(allFields()) } },
  parquet: { layout: FL_PARQUET, options: OPTIONS },
};

/**
 * (query id, variant) pairs that name a column the variant's table lacks today. Each
 * entry is a query that fails with COLUMN_NOT_FOUND on Athena with that table.
 */
const KNOWN_MISSING: Record<string, string[]> = {};

/**
 * (query id, variant) pairs the query refuses to render for, with a one-line error naming
 * the field the table's format lacks (grouping by a column the table does not have).
 */
const REFUSED: Record<string, string[]> = {
  'top-transfer-by-instance': ['text-v2-default'],
  'top-transfer-by-subnet': ['text-v2-default'],
};

/** The CREATE TABLE for DuckDB of a Glue table: its columns and partition keys with their types, in order. */
function createTableSql(input: TableInput): string {
  const cols = [...(input.StorageDescriptor?.Columns ?? []), ...(input.PartitionKeys ?? [])];
  const defs = cols.map((c) => `"${c.Name}" ${duckdbType(parseColumnType(c.Type!))}`);
  return `CREATE OR REPLACE TABLE ${input.Name} (${defs.join(', ')})`;
}

/** The flow-log format each variant's table is declared with (what `casebook ddl --format` and the config file give). */
const VARIANT_FORMATS: Record<string, FlowFormat> = {
  cloudtrail: defaultFlowFormat(),
  'text-v2-default': defaultFlowFormat(),
  'text-v5-custom': fmt(V5_FIELDS),
  'text-all-fields': fmt(allFields()),
  parquet: allFieldsFlowFormat(),
};

/** Rendered for a variant's table: rendering names only the columns the table's format has. */
function renderFor(q: Query, variant: string): string {
  const params: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(q.params)) if (spec.required) params[name] = spec.example;
  return prepareQuery(q, params, { now: NOW, flowFormat: VARIANT_FORMATS[variant] }).sql;
}

let instance: DuckDBInstance;
let c: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  c = await instance.connect();
  await setupCompat(c);
  await c.run(createTableSql(buildTable({ layout: CT, options: OPTIONS }).input));
});

afterAll(() => {
  c?.closeSync();
  instance?.closeSync();
});

/** The binder's complaint about the query against the tables as defined now, or undefined if it binds. */
async function bindError(sql: string): Promise<string | undefined> {
  try {
    await c.run(`EXPLAIN ${transpile(sql)}`);
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

const pack = loadPack();
const cloudtrailOnly = pack.queries.filter((q) => !q.tables.includes('vpc_flow_logs'));
const flowQueries = pack.queries.filter((q) => q.tables.includes('vpc_flow_logs'));

describe('the Glue tables for DuckDB have the Athena columns', () => {
  it('the default text table has the 14 version-2 columns; the others more', () => {
    const cols = (s: TableSpec) => buildTable(s).input.StorageDescriptor!.Columns!.map((col) => col.Name);
    expect(cols(FLOW_VARIANTS['text-v2-default']!)).toHaveLength(14);
    expect(cols(FLOW_VARIANTS['text-v5-custom']!)).toContain('flow_direction');
    expect(cols(FLOW_VARIANTS['text-all-fields']!)).toContain('record_region');
    expect(cols(FLOW_VARIANTS.parquet!)).toContain('traffic_path');
  });

  it('KNOWN_MISSING names only queries and variants that exist', () => {
    for (const [id, variants] of Object.entries(KNOWN_MISSING)) {
      expect(pack.byId.has(id), id).toBe(true);
      for (const v of variants) expect(Object.keys(FLOW_VARIANTS), `${id}: ${v}`).toContain(v);
    }
  });
});

describe('CloudTrail queries bind against the CloudTrail table', () => {
  it.each(cloudtrailOnly.map((q) => [q.id, q] as const))('%s', async (_id, q) => {
    expect(await bindError(renderFor(q, 'cloudtrail'))).toBeUndefined();
  });
});

describe.each(Object.entries(FLOW_VARIANTS))('flow-log queries against the %s table', (variant, spec) => {
  beforeAll(async () => {
    await c.run(createTableSql(buildTable(spec).input));
  });

  it.each(flowQueries.map((q) => [q.id, q] as const))('%s', async (id, q) => {
    if ((REFUSED[id] ?? []).includes(variant)) {
      expect(() => renderFor(q, variant)).toThrow(/needs the vpc_flow_logs field .* which the table's format lacks/);
      return;
    }
    const error = await bindError(renderFor(q, variant));
    if ((KNOWN_MISSING[id] ?? []).includes(variant)) {
      // A known failure must still fail for a missing column; once it binds, remove it from KNOWN_MISSING.
      expect(error, `${id} binds against ${variant} now: remove it from KNOWN_MISSING`).toMatch(/Binder Error: .*(column|Referenced)/i);
    } else {
      expect(error, `${id} on ${variant}`).toBeUndefined();
    }
  });
});
