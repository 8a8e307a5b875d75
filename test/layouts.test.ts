import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadPack } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { discoverFiles, gzipFirstLine } from '../src/engines/duckdb/lake.js';
import type { Row } from '../src/engines/engine.js';
import { tableLayouts, writeRecordsLakeAsync, type RecordsLakeInput, type RecordsLakeLayout } from '../src/lake/records-lake.js';
import { buildTable, registeredPartitions } from '../src/glue/table-input.js';
import { parseFlowFormat } from '../src/glue/flow-format.js';
import { layoutName } from '../src/layout/layout.js';
import { importLake } from '../src/store/import.js';
import { assertCase, tempDir } from './support/harness.js';
import { caseFlowFormat, casesOf } from './support/test-cases.js';

/**
 * Every bucket layout, end to end: the same records written in each layout (as AWS
 * would deliver them), read by the local engine, must give the same answers; and
 * the Glue definition casebook generates for the layout must point at every file
 * written.
 */

const LAYOUTS: [string, RecordsLakeLayout][] = [
  ['single-account trail, daily text flow logs', {}],
  ['organization trail', { orgId: 'o-a1b2c3d4e5' }],
  ['hourly text flow logs', { flowLogs: { hourly: true } }],
  ['text flow logs with Hive-compatible prefixes, hourly', { flowLogs: { hivePrefixes: true, hourly: true } }],
  ['Parquet flow logs, daily', { flowLogs: { format: 'parquet' } }],
  ['Parquet flow logs with Hive-compatible prefixes, daily', { flowLogs: { format: 'parquet', hivePrefixes: true } }],
  [
    'Parquet flow logs with Hive-compatible prefixes, hourly; organization trail',
    { orgId: 'o-a1b2c3d4e5', flowLogs: { format: 'parquet', hivePrefixes: true, hourly: true } },
  ],
];

/**
 * For the whole pack, a covering subset (each query case runs on every layout that
 * changes its tables, so this bounds the run time): both CloudTrail layouts, both
 * flow-log file formats on both key styles, daily and hourly folders on both.
 */
const PACK_LAYOUTS: [string, RecordsLakeLayout][] = [
  ['single-account trail, daily text flow logs', {}],
  [
    'organization trail; text flow logs with Hive-compatible prefixes, hourly',
    { orgId: 'o-a1b2c3d4e5', flowLogs: { hivePrefixes: true, hourly: true } },
  ],
  ['Parquet flow logs, hourly', { flowLogs: { format: 'parquet', hourly: true } }],
  ['Parquet flow logs with Hive-compatible prefixes, daily', { flowLogs: { format: 'parquet', hivePrefixes: true } }],
];

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

async function lakeOf(records: RecordsLakeInput, layout: RecordsLakeLayout): Promise<string> {
  const { dir, cleanup } = tempDir('casebook-layout-');
  cleanups.push(cleanup);
  await writeRecordsLakeAsync(dir, records, { layout });
  return dir;
}

/** Rows as a sorted list of JSON texts: the same answer whatever order ties come in. */
function canonical(rows: Row[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** The layouts that differ for the given tables (an org trail changes nothing for a flow-log query). */
function layoutsFor(tables: string[], layouts = LAYOUTS): [string, RecordsLakeLayout][] {
  const seen = new Set<string>();
  return layouts.filter(([, l]) => {
    const t = tableLayouts(l) as Record<string, unknown>;
    const key = JSON.stringify(tables.map((name) => t[name]));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const pack = loadPack();
const recordCases = pack.queries.flatMap((q) =>
  casesOf(q)
    .filter((t) => t.lake !== 'real')
    .map((t) => [`${q.id} / ${t.name}`, q, t] as const),
);

/**
 * Each records case runs once per variant that can change its answer: the raw lake in
 * every layout that differs for its tables, and the Parquet store imported from the
 * default layout. The first layout gives the baseline; every other variant must give
 * the same rows.
 */
describe('the pack gives the same answers on every layout and from the Parquet store', () => {
  it.each(recordCases)('%s', async (label, query, tc) => {
    const prepared = prepareQuery(query, tc.params as Record<string, unknown>, { flowFormat: caseFlowFormat(tc) });
    const opts = { window: prepared.window, tables: query.tables };
    const layouts = layoutsFor(query.tables, PACK_LAYOUTS);
    expect(layouts.length, `${label}: layouts that differ for ${query.tables.join(', ')}`).toBeGreaterThanOrEqual(2);
    let baseline: string[] | undefined;
    for (const [name, layout] of layouts) {
      const dir = await lakeOf(tc.records ?? {}, layout);
      // The default layout's engine reads the raw lake, then (once imported) its Parquet store.
      const store = baseline === undefined ? `${dir}.store` : false;
      const engine = new DuckdbEngine({ lake: dir, threads: 1, store });
      try {
        const result = await engine.run(prepared.sql, opts);
        expect(result.stats.notes?.join(' ') ?? '', `${label} on ${name}`).not.toMatch(/Parquet store/);
        expect(
          result.columns.map((c) => c.name),
          `${label} on ${name}`,
        ).toEqual(query.columns);
        assertCase(result.rows, tc, `${label} on ${name}`);
        const rows = canonical(result.rows);
        if (store) {
          baseline = rows;
          cleanups.push(() => rmSync(store, { recursive: true, force: true }));
          await importLake({ lake: dir, store, threads: 1 });
          const fromStore = await engine.run(prepared.sql, opts);
          expect(fromStore.stats.notes?.[0], `${label} from the store`).toMatch(/read the Parquet store/);
          expect(fromStore.columns, `${label} from the store`).toEqual(result.columns);
          expect(fromStore.rows, `${label}: the Parquet store differs from the raw lake`).toEqual(result.rows);
        } else {
          expect(rows, `${label}: ${name} differs from the default layout`).toEqual(baseline);
        }
      } finally {
        await engine.close();
      }
    }
  });
});

/** Flow records in three formats, several accounts, regions, days and hours; `-` fields and a NODATA record. */
const FLOWS: RecordsLakeInput['vpc_flow_logs'] = [
  // Version 2, the default format.
  ...[0, 1, 2].map((i) => ({
    version: 2,
    'account-id': '111122223333',
    'interface-id': `eni-0a${i}`,
    srcaddr: `10.0.0.${i + 1}`,
    dstaddr: '203.0.113.10',
    srcport: 40000 + i,
    dstport: 443,
    protocol: 6,
    packets: 10 + i,
    bytes: 1000 * (i + 1),
    start: 1709287200 + i * 3600,
    end: 1709287260 + i * 3600,
    action: 'ACCEPT',
    'log-status': 'OK',
  })),
  // Late in the day: flow-log files are named by their 5-minute slot, so it stays in its day's folder.
  {
    version: 2,
    'account-id': '111122223333',
    'interface-id': 'eni-0late',
    srcaddr: '10.0.0.9',
    dstaddr: '198.51.100.7',
    srcport: 51515,
    dstport: 22,
    protocol: 6,
    packets: 3,
    bytes: 180,
    start: 1709337480,
    end: 1709337540,
    action: 'REJECT',
    'log-status': 'OK',
  },
  // A custom version 5 format with the region field, in another account and region.
  ...['eu-west-1', 'eu-central-1'].map((region, i) => ({
    version: 5,
    'account-id': '444455556666',
    region,
    'vpc-id': 'vpc-0b1',
    'subnet-id': 'subnet-0c2',
    'instance-id': i ? '-' : 'i-0d3',
    'interface-id': `eni-0e${i}`,
    srcaddr: '172.16.0.5',
    dstaddr: '172.16.1.6',
    srcport: 5432,
    dstport: 33000 + i,
    protocol: 6,
    packets: 4,
    bytes: 1500 + i,
    start: 1709290800,
    end: 1709290860,
    action: 'ACCEPT',
    'log-status': 'OK',
    'tcp-flags': 19,
    type: 'IPv4',
    'pkt-srcaddr': '172.16.0.5',
    'pkt-dstaddr': '172.16.1.6',
    'az-id': 'euw1-az1',
    'flow-direction': 'egress',
    'traffic-path': 1,
  })),
  {
    version: 5,
    'account-id': '444455556666',
    region: 'eu-west-1',
    'vpc-id': 'vpc-0b1',
    'subnet-id': 'subnet-0c2',
    'instance-id': '-',
    'interface-id': 'eni-0idle',
    srcaddr: '-',
    dstaddr: '-',
    srcport: '-',
    dstport: '-',
    protocol: '-',
    packets: '-',
    bytes: '-',
    start: 1709294400,
    end: 1709294460,
    action: '-',
    'log-status': 'NODATA',
    'tcp-flags': '-',
    type: '-',
    'pkt-srcaddr': '-',
    'pkt-dstaddr': '-',
    'az-id': 'euw1-az1',
    'flow-direction': '-',
    'traffic-path': '-',
  },
  // A reordered custom format without account-id (files go to the default account folder).
  {
    'vpc-id': 'vpc-0f4',
    srcaddr: '10.1.0.1',
    dstaddr: '10.1.0.2',
    dstport: 8080,
    action: 'ACCEPT',
    'tcp-flags': 2,
    region: 'us-west-2',
    bytes: 640,
    packets: 2,
    start: 1709373600,
    end: 1709373660,
    version: 3,
    protocol: 17,
  },
];

const WINDOW = { since: new Date('2024-03-01T00:00:00Z'), until: new Date('2024-03-03T00:00:00Z') };

const FLOW_QUERIES: [string, string, (rows: Row[]) => void][] = [
  [
    'every column of every record',
    `SELECT * FROM vpc_flow_logs WHERE day BETWEEN '2024/03/01' AND '2024/03/03' ORDER BY start, interface_id, srcaddr`,
    (rows) => {
      expect(rows).toHaveLength(FLOWS!.length);
      const idle = rows.find((r) => r.interface_id === 'eni-0idle')!;
      expect(idle).toMatchObject({
        log_status: 'NODATA',
        bytes: null,
        srcport: null,
        protocol: null,
        account: '444455556666',
        region: 'eu-west-1',
      });
      const reordered = rows.find((r) => r.vpc_id === 'vpc-0f4')!;
      expect(reordered).toMatchObject({
        account: '111122223333',
        region: 'us-west-2',
        day: '2024/03/02',
        dstport: 8080,
        protocol: 17,
        tcp_flags: 2,
        account_id: null,
        interface_id: null,
      });
    },
  ],
  [
    'totals by partition',
    `SELECT account, region, day, count(*) AS flows, sum(bytes) AS bytes, sum(packets) AS packets FROM vpc_flow_logs
     WHERE day BETWEEN '2024/03/01' AND '2024/03/03' GROUP BY account, region, day ORDER BY account, region, day`,
    (rows) => {
      expect(rows).toEqual([
        { account: '111122223333', region: 'us-east-1', day: '2024/03/01', flows: 4, bytes: 6180, packets: 36 },
        { account: '111122223333', region: 'us-west-2', day: '2024/03/02', flows: 1, bytes: 640, packets: 2 },
        { account: '444455556666', region: 'eu-central-1', day: '2024/03/01', flows: 1, bytes: 1501, packets: 4 },
        { account: '444455556666', region: 'eu-west-1', day: '2024/03/01', flows: 2, bytes: 1500, packets: 4 },
      ]);
    },
  ],
  [
    'a v5 filter on typed fields',
    `SELECT interface_id, tcp_flags, traffic_path, flow_direction FROM vpc_flow_logs
     WHERE day BETWEEN '2024/03/01' AND '2024/03/02' AND tcp_flags = 19 AND traffic_path = 1 AND protocol = 6 ORDER BY interface_id`,
    (rows) =>
      expect(rows).toEqual([
        { interface_id: 'eni-0e0', tcp_flags: 19, traffic_path: 1, flow_direction: 'egress' },
        { interface_id: 'eni-0e1', tcp_flags: 19, traffic_path: 1, flow_direction: 'egress' },
      ]),
  ],
];

describe('flow logs in every format and layout', () => {
  const flowLayouts = layoutsFor(['vpc_flow_logs']);

  it('covers several flow-log layouts', () => {
    expect(flowLayouts.length).toBeGreaterThanOrEqual(5);
  });

  it.each(FLOW_QUERIES)('%s', async (_name, sql, check) => {
    let baseline: string[] | undefined;
    for (const [name, layout] of flowLayouts) {
      const dir = await lakeOf({ vpc_flow_logs: FLOWS }, layout);
      const engine = new DuckdbEngine({ lake: dir, threads: 1 });
      try {
        const result = await engine.run(sql, { window: WINDOW, tables: ['vpc_flow_logs'] });
        check(result.rows);
        const rows = canonical(result.rows);
        if (baseline === undefined) baseline = rows;
        else expect(rows, `${name} differs from the default layout`).toEqual(baseline);
      } finally {
        await engine.close();
      }
    }
  });

  it("prunes by day on every layout: a one-day window reads only that day's files", async () => {
    for (const [name, layout] of flowLayouts) {
      const dir = await lakeOf({ vpc_flow_logs: FLOWS }, layout);
      const files = discoverFiles(dir, 'vpc_flow_logs', {
        since: new Date('2024-03-02T00:00:00Z'),
        until: new Date('2024-03-02T01:00:00Z'),
      });
      expect(
        files.map((f) => [f.account, f.region, f.day]),
        name,
      ).toEqual([['111122223333', 'us-west-2', '2024/03/02']]);
    }
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

const CT_RECORDS: RecordsLakeInput['cloudtrail'] = [
  {
    eventVersion: '1.09',
    eventTime: '2024-03-01T10:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    awsRegion: 'us-east-1',
    recipientAccountId: '111122223333',
    eventID: 'e1',
  },
  {
    eventVersion: '1.09',
    eventTime: '2024-03-01T23:58:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    awsRegion: 'eu-west-1',
    recipientAccountId: '444455556666',
    eventID: 'e2',
  },
];

describe('the Glue definition of each layout points at the files AWS would write', () => {
  const ALL = { since: new Date('2020-01-01T00:00:00Z'), until: new Date('2030-01-01T00:00:00Z') };

  it.each(LAYOUTS)('%s', async (_name, layout) => {
    const dir = await lakeOf({ cloudtrail: CT_RECORDS, vpc_flow_logs: FLOWS }, layout);
    const written = walk(dir)
      .map((p) => relative(dir, p))
      .sort();
    const layouts = tableLayouts(layout);
    const found: string[] = [];
    for (const table of ['cloudtrail', 'vpc_flow_logs'] as const) {
      const files = discoverFiles(dir, table, ALL);
      expect(files.length, `${table} files found`).toBeGreaterThan(0);
      found.push(...files.map((f) => relative(dir, f.path)));
      const accounts = [...new Set(files.map((f) => f.account))].sort();
      const regions = [...new Set(files.map((f) => f.region))].sort();
      const headers = [...new Set(files.filter((f) => f.format === 'text').map((f) => gzipFirstLine(f.path)))];
      const built = buildTable({
        layout: layouts[table],
        options: {
          location: 's3://lake/',
          accounts,
          regions,
          startDate: '2024/02/28',
          partitionsUntil: '2024/03/05',
          ...(headers.length === 1 ? { flowFormat: parseFlowFormat(headers[0]!) } : {}),
        },
      });
      expect(built.input.Parameters!['casebook.layout']).toBe(layoutName(layouts[table]));
      const partitions = registeredPartitions(built, new Date('2024-03-05T00:00:00Z'));
      for (const f of files) {
        const key = `s3://lake/${relative(dir, f.path)}`;
        let prefix: string;
        if (partitions.length) {
          const p = partitions.find((x) => x.Values!.join('|') === `${f.account}|${f.region}|${f.day}`);
          expect(p, `${key}: no registered partition`).toBeDefined();
          prefix = p!.StorageDescriptor!.Location!;
        } else {
          prefix = `${built.input.Parameters!['storage.location.template']!.replace('${account}', f.account).replace('${region}', f.region).replace('${day}', f.day)}/`;
        }
        expect(key.startsWith(prefix), `${key} is not under ${prefix}`).toBe(true);
        expect(key.startsWith(built.input.StorageDescriptor!.Location!)).toBe(true);
      }
    }
    expect(found.sort()).toEqual(written);
  });

  it('Parquet files carry the columns and types the Glue table declares', async () => {
    const dir = await lakeOf({ vpc_flow_logs: FLOWS }, { flowLogs: { format: 'parquet', hivePrefixes: true } });
    const files = discoverFiles(dir, 'vpc_flow_logs', WINDOW);
    expect(files.length, 'Parquet flow-log files in the window').toBeGreaterThan(0);
    const glue = new Map(
      buildTable({
        layout: tableLayouts({ flowLogs: { format: 'parquet' } }).vpc_flow_logs,
        options: { location: 's3://lake/', accounts: ['111122223333'], regions: ['us-east-1'], startDate: '2024/01/01' },
      }).input.StorageDescriptor!.Columns!.map((c) => [c.Name!, c.Type!]),
    );
    const duckToHive: Record<string, string> = { INTEGER: 'int', BIGINT: 'bigint', VARCHAR: 'string' };
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      for (const f of files) {
        const desc = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${f.path}', hive_partitioning = false)`);
        expect(desc.getRowsJS().length).toBeGreaterThan(0);
        for (const [name, type] of desc.getRowsJS() as [string, string][]) {
          if (name === 'region') continue; // the v4 field: the partition of the same name takes its place
          expect(duckToHive[type], `${f.path}: ${name}`).toBe(glue.get(name));
        }
      }
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
