import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadPack } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { allFieldsFlowFormat, flowLogColumns } from '../src/pack/table-columns.js';
import { defaultFlowFormat, parseFlowFormat } from '../src/glue/flow-format.js';
import { setupCompat, transpile } from '../src/engines/duckdb/compat.js';
import { getTable } from '../src/tables/model.js';
import { duckdbType } from '../src/tables/column-types.js';
import { UsageError } from '../src/errors.js';

/**
 * The flow-log queries whose SQL depends on the table's format, rendered for the default
 * (version 2) table and bound on DuckDB against a table with exactly that table's columns:
 * a column the table lacks fails the bind, as it fails on Athena (COLUMN_NOT_FOUND).
 */
const pack = loadPack();
const NOW = new Date('2024-03-15T12:00:00Z');
const V2_QUERIES = ['cost-by-category', 'data-transfer-pairs', 'top-transfer-by-eni', 'bytes-per-interface'];
const NEEDS_V3 = { 'top-transfer-by-subnet': 'subnet-id', 'top-transfer-by-instance': 'instance-id' } as const;

function exampleParams(id: string): Record<string, unknown> {
  const q = pack.byId.get(id)!;
  const params: Record<string, unknown> = { since: '2024-03-01', until: '2024-03-15' };
  for (const [name, spec] of Object.entries(q.params)) if (spec.example !== undefined) params[name] = spec.example;
  return params;
}

let instance: DuckDBInstance;
let c: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  c = await instance.connect();
  await setupCompat(c);
  const t = getTable('vpc_flow_logs');
  const v2 = flowLogColumns(defaultFlowFormat());
  const cols = [...t.columns, ...t.partitions].filter((col) => v2.has(col.name));
  await c.run(`CREATE TABLE vpc_flow_logs (${cols.map((col) => `"${col.name}" ${duckdbType(col.type)}`).join(', ')})`);
});
afterAll(() => {
  c?.closeSync();
});

describe('the default (v2) flow-log table', () => {
  it('has the 14 version-2 fields and the partitions', () => {
    expect([...flowLogColumns()].sort()).toEqual([
      'account',
      'account_id',
      'action',
      'bytes',
      'day',
      'dstaddr',
      'dstport',
      'end',
      'interface_id',
      'log_status',
      'packets',
      'protocol',
      'region',
      'srcaddr',
      'srcport',
      'start',
      'version',
    ]);
  });

  it.each(V2_QUERIES)('%s binds against exactly the v2 columns', async (id) => {
    const { sql } = prepareQuery(pack.byId.get(id)!, exampleParams(id), { now: NOW, flowFormat: defaultFlowFormat() });
    await expect(c.run(`EXPLAIN ${transpile(sql)}`)).resolves.toBeDefined();
  });

  it.each(V2_QUERIES)('%s rendered for every field fails to bind against the v2 table (the check can fail)', async (id) => {
    const { sql } = prepareQuery(pack.byId.get(id)!, exampleParams(id), { now: NOW, flowFormat: allFieldsFlowFormat() });
    await expect(c.run(`EXPLAIN ${transpile(sql)}`)).rejects.toThrow(/not found|does not have a column|Referenced column/i);
  });

  it.each(Object.entries(NEEDS_V3))('%s refuses a table without %s, naming the field and where to declare the format', (id, field) => {
    const run = () => prepareQuery(pack.byId.get(id)!, exampleParams(id), { now: NOW, flowFormat: defaultFlowFormat() });
    expect(run).toThrow(UsageError);
    expect(run).toThrow(new RegExp(`^${id}: needs the vpc_flow_logs field ${field}, .*vpc_flow_logs\\.format`));
  });

  it('a custom format with the field renders the query', () => {
    const format = parseFlowFormat(
      `${defaultFlowFormat()
        .fields.map((f) => `\${${f}}`)
        .join(' ')} \${vpc-id} \${subnet-id} \${instance-id}`,
    );
    const { sql } = prepareQuery(pack.byId.get('top-transfer-by-subnet')!, exampleParams('top-transfer-by-subnet'), {
      now: NOW,
      flowFormat: format,
    });
    expect(sql).toContain('    subnet_id,\n');
    expect(sql).toContain('CAST(NULL AS VARCHAR) AS az_id');
  });

  it('prepare renders for the default table unless told otherwise', () => {
    const { sql, flowFields } = prepareQuery(pack.byId.get('bytes-per-interface')!, exampleParams('bytes-per-interface'), { now: NOW });
    expect(flowFields).toEqual(defaultFlowFormat().fields);
    expect(sql).not.toContain('flow_direction');
    expect(sql).toContain('CAST(NULL AS BIGINT) AS ingress_bytes');
  });
});
