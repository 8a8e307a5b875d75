/**
 * Record-level checks that the embedded engine answers what Athena answers, on log
 * files in AWS's own shapes (key layout, file names, record fields): the Parquet store
 * is never used once a raw file changed, and a file name is a name, never a pattern.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { literalPath } from '../src/engines/duckdb/lake.js';
import { writeRecordsLake } from '../src/lake/records-lake.js';
import { importLake } from '../src/store/import.js';
import { storeCoverage } from '../src/store/coverage.js';
import { tempDir } from './support/harness.js';
import { getTable } from '../src/tables/model.js';
import { loadPack } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

function temp(): string {
  const { dir, cleanup } = tempDir('casebook-fidelity-');
  cleanups.push(cleanup);
  return dir;
}

/** A CloudTrail record as AWS writes it (eventVersion 1.09, an IAM user deleting a bucket). */
const ev = (time: string, id: string, sourceIPAddress = '203.0.113.9') => ({
  eventVersion: '1.09',
  eventTime: time,
  eventSource: 's3.amazonaws.com',
  eventName: 'DeleteBucket',
  awsRegion: 'us-east-1',
  sourceIPAddress,
  userAgent: 'aws-cli/2.15.0',
  requestParameters: { bucketName: 'evidence', Host: 'evidence.s3.amazonaws.com' },
  responseElements: null,
  requestID: `R${id}`,
  eventID: id,
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '111122223333',
  eventCategory: 'Management',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLE',
    arn: 'arn:aws:iam::111122223333:user/alice',
    accountId: '111122223333',
    accessKeyId: 'AKIAEXAMPLE',
    userName: 'alice',
  },
});

const MARCH_1 = { since: new Date('2024-03-01T00:00:00Z'), until: new Date('2024-03-02T00:00:00Z') };
const CT_DAY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01';
const ids = "SELECT eventid FROM cloudtrail WHERE day BETWEEN '2024/03/01' AND '2024/03/02' ORDER BY eventid";

describe('a stale Parquet store is never used', () => {
  it('a raw file rewritten in place (same name, same folder time) makes the store stale, and the engine reads the raw lake', async () => {
    const lake = join(temp(), 'lake');
    writeRecordsLake(lake, { cloudtrail: [ev('2024-03-01T10:00:00Z', 'e1')] });
    const store = `${lake}.store`;
    await importLake({ lake, store, tables: ['cloudtrail'], threads: 1 });
    expect(storeCoverage(store, lake, ['cloudtrail'], MARCH_1).covered).toBe(true);

    const dayDir = join(lake, CT_DAY);
    const folderTime = statSync(dayDir).mtimeMs;
    const name = readdirSync(dayDir)[0]!;
    writeFileSync(
      join(dayDir, name),
      gzipSync(JSON.stringify({ Records: [ev('2024-03-01T10:00:00Z', 'e1'), ev('2024-03-01T10:01:00Z', 'e2')] })),
    );
    expect(statSync(dayDir).mtimeMs).toBe(folderTime);

    const coverage = storeCoverage(store, lake, ['cloudtrail'], MARCH_1);
    expect(coverage).toMatchObject({ covered: false });
    expect((coverage as { reason: string }).reason).toMatch(/2024\/03\/01 changed since it was imported/);
    const engine = new DuckdbEngine({ lake, store, threads: 1 });
    try {
      const r = await engine.run(ids, { window: MARCH_1, tables: ['cloudtrail'] });
      expect(r.rows).toEqual([{ eventid: 'e1' }, { eventid: 'e2' }]);
      expect(r.stats.notes?.[0]).toMatch(/Parquet store not used/);
    } finally {
      await engine.close();
    }
  });

  it('a file of the same size rewritten with another modification time is stale too', async () => {
    const lake = join(temp(), 'lake');
    writeRecordsLake(lake, { cloudtrail: [ev('2024-03-01T10:00:00Z', 'f1')] });
    const store = `${lake}.store`;
    await importLake({ lake, store, tables: ['cloudtrail'], threads: 1 });
    const dayDir = join(lake, CT_DAY);
    const name = readdirSync(dayDir)[0]!;
    const later = new Date(statSync(join(dayDir, name)).mtimeMs + 60_000);
    utimesSync(join(dayDir, name), later, later);
    expect(storeCoverage(store, lake, ['cloudtrail'], MARCH_1)).toMatchObject({ covered: false });
    await importLake({ lake, store, tables: ['cloudtrail'], threads: 1 });
    expect(storeCoverage(store, lake, ['cloudtrail'], MARCH_1).covered).toBe(true);
  });
});

describe('file names are read literally, never as patterns', () => {
  it('literalPath turns each pattern character into a one-character class', () => {
    expect(literalPath('/lake/a*b?c[d].json.gz')).toBe('/lake/a[*]b[?]c[[]d].json.gz');
    expect(literalPath('/lake/plain_name.json.gz')).toBe('/lake/plain_name.json.gz');
  });

  it.each([
    ['*', '111122223333_CloudTrail_us-east-1_20240301T1010Z_*.json.gz'],
    ['?', '111122223333_CloudTrail_us-east-1_20240301T1010Z_aaaaaaaaaaaaaaa?.json.gz'],
    ['[', '111122223333_CloudTrail_us-east-1_20240301T1010Z_[ab]aaaaaaaaaaaaaaa.json.gz'],
  ])('a CloudTrail file named with %s is read once, and its neighbours once each', async (_ch, odd) => {
    const lake = join(temp(), 'lake');
    const dir = join(lake, CT_DAY);
    mkdirSync(dir, { recursive: true });
    // Neighbours the name would match as a pattern: `*` and `?` match any, `[ab]` matches `a`.
    writeFileSync(join(dir, odd), gzipSync(JSON.stringify({ Records: [ev('2024-03-01T10:05:00Z', 'odd')] })));
    writeFileSync(
      join(dir, '111122223333_CloudTrail_us-east-1_20240301T1010Z_aaaaaaaaaaaaaaaa.json.gz'),
      gzipSync(JSON.stringify({ Records: [ev('2024-03-01T10:06:00Z', 'n1')] })),
    );
    writeFileSync(
      join(dir, '111122223333_CloudTrail_us-east-1_20240301T1010Z_aaaaaaaaaaaaaaab.json.gz'),
      gzipSync(JSON.stringify({ Records: [ev('2024-03-01T10:07:00Z', 'n2')] })),
    );
    for (const store of [false, `${lake}.store`] as const) {
      if (store) await importLake({ lake, store, tables: ['cloudtrail'], threads: 1 });
      const engine = new DuckdbEngine({ lake, store, threads: 1 });
      try {
        const r = await engine.run(ids, { window: MARCH_1, tables: ['cloudtrail'] });
        expect(r.rows, store ? 'store' : 'raw').toEqual([{ eventid: 'n1' }, { eventid: 'n2' }, { eventid: 'odd' }]);
        if (store) expect(r.stats.notes?.[0]).toMatch(/read the Parquet store/);
      } finally {
        await engine.close();
      }
    }
  });

  it('a flow-log file named with * is read once', async () => {
    const lake = join(temp(), 'lake');
    const dir = join(lake, 'AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/01');
    mkdirSync(dir, { recursive: true });
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    const line = (src: string) => `2 111122223333 eni-0a1b2c3d ${src} 10.0.1.5 49152 443 6 10 840 1709287200 1709287260 ACCEPT OK`;
    writeFileSync(
      join(dir, '111122223333_vpcflowlogs_us-east-1_fl-0abc_20240301T1005Z_*.log.gz'),
      gzipSync(`${header}\n${line('198.51.100.1')}\n`),
    );
    writeFileSync(
      join(dir, '111122223333_vpcflowlogs_us-east-1_fl-0abc_20240301T1005Z_0f1e2d3c.log.gz'),
      gzipSync(`${header}\n${line('198.51.100.2')}\n`),
    );
    const engine = new DuckdbEngine({ lake, store: false, threads: 1 });
    try {
      const r = await engine.run("SELECT srcaddr FROM vpc_flow_logs WHERE day = '2024/03/01' ORDER BY srcaddr", {
        window: MARCH_1,
        tables: ['vpc_flow_logs'],
      });
      expect(r.rows).toEqual([{ srcaddr: '198.51.100.1' }, { srcaddr: '198.51.100.2' }]);
    } finally {
      await engine.close();
    }
  });
});

describe('`-` is NULL on both engines', () => {
  // AWS's NAT-gateway example (flow-logs-records-examples): a requester-managed ENI has no
  // instance id, and a field that does not apply is `-`.
  const header =
    'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status';
  const natRecord =
    '3 vpc-7f4d8c2a subnet-5f1e9a37 - eni-0ab14b2b8d3f2e7c1 123456789010 IPv4 10.0.1.51 10.0.0.220 9092 56578 10.0.1.51 203.0.113.5 6 1036 4 1709287200 1709287260 ACCEPT 3 OK';
  const noData =
    '3 vpc-7f4d8c2a subnet-5f1e9a37 i-01234567890123456 eni-1235b8ca123456789 123456789010 - - - - - - - - - - 1709287200 1709287260 - - NODATA';

  it('the Athena table reads `-` as NULL (serialization.null.format), as the local reader does', async () => {
    expect(getTable('vpc_flow_logs').storage?.formats.text?.serdeParameters['serialization.null.format']).toBe('-');
    const lake = join(temp(), 'lake');
    const dir = join(lake, 'AWSLogs/123456789010/vpcflowlogs/us-east-1/2024/03/01');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, '123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20240301T1005Z_0a1b2c3d.log.gz'),
      gzipSync(`${header}\n${natRecord}\n${noData}\n`),
    );
    const engine = new DuckdbEngine({ lake, store: false, threads: 1 });
    try {
      const r = await engine.run(
        "SELECT log_status, instance_id IS NULL AS no_instance, srcaddr, srcport, tcp_flags, action FROM vpc_flow_logs WHERE day = '2024/03/01' ORDER BY log_status DESC",
        { window: MARCH_1, tables: ['vpc_flow_logs'] },
      );
      expect(r.rows).toEqual([
        { log_status: 'OK', no_instance: true, srcaddr: '10.0.1.51', srcport: 9092, tcp_flags: 3, action: 'ACCEPT' },
        { log_status: 'NODATA', no_instance: false, srcaddr: null, srcport: null, tcp_flags: null, action: null },
      ]);
    } finally {
      await engine.close();
    }
  });
});

describe('addresses compare as addresses on both engines', () => {
  // Flow-log records in AWS's v2 shape, IPv6 as AWS writes it (lower-case, compressed).
  const flow = (src: string, dst: string, bytes: number) => ({
    version: 2,
    'account-id': '111122223333',
    'interface-id': 'eni-0c0ffee0000000002',
    srcaddr: src,
    dstaddr: dst,
    srcport: 443,
    dstport: 50100,
    protocol: 6,
    packets: 10,
    bytes,
    start: 1709287200,
    end: 1709287260,
    action: 'ACCEPT',
    'log-status': 'OK',
  });
  const query = loadPack().byId.get('traffic-for-address')!;

  it.each([
    ['2600:1F18:ABCD:0:0:0:0:5', "'2600:1f18:abcd::5'", 2],
    ['2600:1f18:abcd::5', "'2600:1f18:abcd::5'", 2],
    ['::ffff:203.0.113.200', "'203.0.113.200'", 1],
    ['203.0.113.200', "'203.0.113.200'", 1],
  ])('--ip %s renders %s and finds its %d flows', async (ip, literal, n) => {
    const prepared = prepareQuery(query, { ip, since: '2024-03-01', until: '2024-03-02' });
    expect(prepared.sql).toContain(`CAST(${literal} AS IPADDRESS)`);
    const lake = join(temp(), 'lake');
    writeRecordsLake(lake, {
      vpc_flow_logs: [
        flow('2600:1f18:abcd::5', '2001:db8::10', 1000),
        flow('2001:db8::10', '2600:1f18:abcd::5', 2000),
        flow('2600:1f18:abcd::6', '2001:db8::10', 3000),
        flow('203.0.113.200', '10.0.2.15', 4000),
        flow('10.0.2.15', '203.0.113.201', 5000),
      ],
    });
    const engine = new DuckdbEngine({ lake, store: false, threads: 1 });
    try {
      const r = await engine.run(prepared.sql, { window: prepared.window, tables: query.tables });
      expect(r.rows).toHaveLength(n);
      expect(r.rows.every((row) => [row.srcaddr, row.dstaddr].some((a) => literal.includes(String(a))))).toBe(true);
    } finally {
      await engine.close();
    }
  });

  it('an ip parameter that is no address, or has a zone id, is refused', () => {
    expect(() => prepareQuery(query, { ip: '2001:db8::1%eth0', since: '2024-03-01', until: '2024-03-02' })).toThrow(
      /not an IPv4 or IPv6 address/,
    );
    expect(() => prepareQuery(query, { ip: '010.0.0.1', since: '2024-03-01', until: '2024-03-02' })).toThrow(/not an IPv4 or IPv6 address/);
  });
});

describe('cidr parameters', () => {
  it('an IPv4-mapped IPv6 network renders as the IPv4 network it maps', () => {
    const q = loadPack().byId.get('source-ip-activity')!;
    const name = Object.entries(q.params).find(([, spec]) => spec.type === 'cidr')![0];
    const sql = prepareQuery(q, { [name]: '::ffff:203.0.113.0/120', since: '2024-03-01', until: '2024-03-02' }).sql;
    expect(sql).toContain("contains('203.0.113.0/24',");
  });
});
