import { describe, expect, it } from 'vitest';
import { HiveSQL } from 'dt-sql-parser';
import { buildTable, registeredPartitions, type TableSpec } from '../src/glue/table-input.js';
import { renderAddPartitions, renderCreateTable } from '../src/glue/ddl.js';
import { parseFlowFormat } from '../src/glue/flow-format.js';
import { layoutName, type TableLayout } from '../src/layout/layout.js';

/**
 * The generated definitions against AWS's documentation (AWS-FACTS.md §3: the
 * current CloudTrail table with partition projection; §5: the VPC Flow Logs text
 * table with projection; §4: the types AWS writes in Parquet).
 */

const NOW = new Date('2025-06-15T12:00:00Z');

/** AWS's CloudTrail columns (create-cloudtrail-table-partition-projection), verbatim. */
const AWS_CLOUDTRAIL_COLUMNS = `
eventversion STRING,
useridentity STRUCT<type:STRING, principalid:STRING, arn:STRING, accountid:STRING, invokedby:STRING,
  accesskeyid:STRING, username:STRING, onbehalfof:STRUCT<userid:STRING, identitystorearn:STRING>,
  sessioncontext:STRUCT<attributes:STRUCT<mfaauthenticated:STRING, creationdate:STRING>,
    sessionissuer:STRUCT<type:STRING, principalid:STRING, arn:STRING, accountid:STRING, username:STRING>,
    ec2roledelivery:STRING, webidfederationdata:STRUCT<federatedprovider:STRING, attributes:MAP<STRING,STRING>>>>,
eventtime STRING, eventsource STRING, eventname STRING, awsregion STRING, sourceipaddress STRING,
useragent STRING, errorcode STRING, errormessage STRING, requestparameters STRING, responseelements STRING,
additionaleventdata STRING, requestid STRING, eventid STRING, readonly STRING,
resources ARRAY<STRUCT<arn:STRING, accountid:STRING, type:STRING>>, eventtype STRING, apiversion STRING,
recipientaccountid STRING, serviceeventdetails STRING, sharedeventid STRING, vpcendpointid STRING,
vpcendpointaccountid STRING, eventcategory STRING,
addendum STRUCT<reason:STRING, updatedfields:STRING, originalrequestid:STRING, originaleventid:STRING>,
sessioncredentialfromconsole STRING, edgedevicedetails STRING,
tlsdetails STRUCT<tlsversion:STRING, ciphersuite:STRING, clientprovidedhostheader:STRING>
`;

/** AWS's VPC flow-log text table (vpc-flow-logs), every field through version 5, verbatim. */
const AWS_FLOW_TEXT_COLUMNS = `
version int, account_id string, interface_id string, srcaddr string, dstaddr string, srcport int,
dstport int, protocol bigint, packets bigint, bytes bigint, start bigint, \`end\` bigint, action string,
log_status string, vpc_id string, subnet_id string, instance_id string, tcp_flags int, type string,
pkt_srcaddr string, pkt_dstaddr string, region string, az_id string, sublocation_type string,
sublocation_id string, pkt_src_aws_service string, pkt_dst_aws_service string, flow_direction string,
traffic_path int
`;

/** Split a column list at top-level commas into [name, type] pairs, normalized (lower case, no spaces or backticks). */
function columnPairs(text: string): [string, string][] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text.replace(/\s+/g, ' ')) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => {
    const m = /^\s*`?([A-Za-z0-9_]+)`?\s+(.+?)\s*$/.exec(p)!;
    return [m[1]!.toLowerCase(), m[2]!.replace(/\s+/g, '').toLowerCase()];
  });
}

function glueColumnPairs(cols: { Name?: string; Type?: string }[]): [string, string][] {
  return cols.map((c) => [c.Name!, c.Type!.replace(/\s+/g, '').toLowerCase()]);
}

const CT: TableLayout = { table: 'cloudtrail', format: 'json', hourly: false, hivePrefixes: false };
const FL: TableLayout = { table: 'vpc_flow_logs', format: 'text', hourly: false, hivePrefixes: false };

function spec(layout: TableLayout, extra: Partial<TableSpec['options']> = {}): TableSpec {
  return {
    layout,
    options: {
      location: 's3://amzn-s3-demo-bucket/',
      accounts: ['111122223333'],
      regions: ['us-east-1', 'us-west-2'],
      startDate: '2024/01/01',
      ...extra,
    },
  };
}

const hive = new HiveSQL();
function assertParses(sql: string): void {
  expect(hive.validate(sql), sql.slice(0, 400)).toEqual([]);
}

describe('CloudTrail, single account (AWS create-cloudtrail-table-partition-projection)', () => {
  const { input } = buildTable(spec(CT));
  const ddl = renderCreateTable(input);

  it("has AWS's documented columns, names, order and types", () => {
    expect(glueColumnPairs(input.StorageDescriptor!.Columns!)).toEqual(columnPairs(AWS_CLOUDTRAIL_COLUMNS));
  });

  it('reads with the Hive JsonSerDe and the CloudTrail input format, not the legacy CloudTrailSerde', () => {
    const sd = input.StorageDescriptor!;
    expect(sd.SerdeInfo!.SerializationLibrary).toBe('org.apache.hive.hcatalog.data.JsonSerDe');
    expect(sd.InputFormat).toBe('com.amazon.emr.cloudtrail.CloudTrailInputFormat');
    expect(sd.OutputFormat).toBe('org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat');
    expect(ddl).toContain("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'");
    expect(ddl).toContain("STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'");
    expect(ddl).toContain("OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'");
    expect(ddl).not.toContain('CloudTrailSerde');
  });

  it('projects account, region and day as AWS documents (date yyyy/MM/dd, 1 DAYS, to NOW)', () => {
    expect(input.PartitionKeys!.map((k) => [k.Name, k.Type])).toEqual([
      ['account', 'string'],
      ['region', 'string'],
      ['day', 'string'],
    ]);
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.account.type': 'enum',
      'projection.account.values': '111122223333',
      'projection.region.type': 'enum',
      'projection.region.values': 'us-east-1,us-west-2',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': '2024/01/01,NOW',
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
      'storage.location.template': 's3://amzn-s3-demo-bucket/AWSLogs/${account}/CloudTrail/${region}/${day}',
    });
    expect(input.StorageDescriptor!.Location).toBe('s3://amzn-s3-demo-bucket/AWSLogs/');
    expect(input.TableType).toBe('EXTERNAL_TABLE');
  });

  it('renders DDL that a Hive parser accepts, with every column and property', () => {
    assertParses(ddl);
    expect(ddl).toMatch(/^CREATE EXTERNAL TABLE `cloudtrail` \(/);
    const body = ddl.slice(ddl.indexOf('(') + 1, ddl.indexOf('\n)\n'));
    const fromDdl = columnPairs(
      body
        .split('\n')
        .map((l) => l.replace(/ COMMENT '(?:[^'\\]|\\.)*'/, ''))
        .join('\n'),
    );
    expect(fromDdl).toEqual(columnPairs(AWS_CLOUDTRAIL_COLUMNS));
    expect(ddl).toContain("'storage.location.template'='s3://amzn-s3-demo-bucket/AWSLogs/${account}/CloudTrail/${region}/${day}'");
    expect(ddl).toContain("LOCATION 's3://amzn-s3-demo-bucket/AWSLogs/'");
    expect(ddl).toContain("COMMENT '\\'true\\' for read-only operations'");
    expect(renderCreateTable(input, { database: 'casebook' })).toMatch(/^CREATE EXTERNAL TABLE `casebook`\.`cloudtrail` \(/);
  });

  it('can inject account and region instead of listing them', () => {
    const { input: inj } = buildTable(spec(CT, { accounts: 'injected', regions: 'injected' }));
    expect(inj.Parameters!['projection.account.type']).toBe('injected');
    expect(inj.Parameters!['projection.region.type']).toBe('injected');
    expect(inj.Parameters!['projection.account.values']).toBeUndefined();
  });
});

describe('CloudTrail, organization trail', () => {
  it('puts the organization id between AWSLogs/ and the account', () => {
    const { input } = buildTable(spec({ ...CT, orgId: 'o-a1b2c3d4e5' }, { accounts: ['111122223333', '444455556666'] }));
    expect(input.StorageDescriptor!.Location).toBe('s3://amzn-s3-demo-bucket/AWSLogs/o-a1b2c3d4e5/');
    expect(input.Parameters!['storage.location.template']).toBe(
      's3://amzn-s3-demo-bucket/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${day}',
    );
    expect(input.Parameters!['projection.account.values']).toBe('111122223333,444455556666');
    expect(input.Parameters!['casebook.layout']).toBe('cloudtrail-org');
    assertParses(renderCreateTable(input));
  });
});

describe('VPC Flow Logs, text (AWS vpc-flow-logs table with projection)', () => {
  it("the default version 2 format has AWS's columns and types, in order", () => {
    const { input } = buildTable(spec(FL));
    const v2 = columnPairs(AWS_FLOW_TEXT_COLUMNS).slice(0, 14);
    expect(glueColumnPairs(input.StorageDescriptor!.Columns!)).toEqual(v2);
  });

  it('is space-delimited LazySimpleSerDe text with one header line to skip', () => {
    const { input } = buildTable(spec(FL));
    const sd = input.StorageDescriptor!;
    expect(sd.SerdeInfo!.SerializationLibrary).toBe('org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe');
    expect(sd.SerdeInfo!.Parameters!['field.delim']).toBe(' ');
    expect(sd.InputFormat).toBe('org.apache.hadoop.mapred.TextInputFormat');
    expect(sd.OutputFormat).toBe('org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat');
    expect(input.Parameters!['skip.header.line.count']).toBe('1');
  });

  it('projects region (enum) and day (date yyyy/MM/dd, to NOW) over AWSLogs/${account}/vpcflowlogs/${region}/${day}', () => {
    const { input } = buildTable(spec(FL, { startDate: '2021/01/01' }));
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.region.type': 'enum',
      'projection.region.values': 'us-east-1,us-west-2',
      'projection.day.type': 'date',
      'projection.day.range': '2021/01/01,NOW',
      'projection.day.format': 'yyyy/MM/dd',
      'storage.location.template': 's3://amzn-s3-demo-bucket/AWSLogs/${account}/vpcflowlogs/${region}/${day}',
    });
    const ddl = renderCreateTable(input);
    assertParses(ddl);
    // `-` (a field that does not apply) reads as NULL, as the local reader reads it.
    expect(ddl).toContain(
      "WITH SERDEPROPERTIES (\n  'field.delim'=' ',\n  'serialization.format'=' ',\n  'serialization.null.format'='-'\n)",
    );
    expect(input.StorageDescriptor?.SerdeInfo?.Parameters?.['serialization.null.format']).toBe('-');
    expect(ddl).toContain("'skip.header.line.count'='1'");
  });

  it("a custom format gives its columns in the format's order; the region field keeps its place as record_region", () => {
    const all = columnPairs(AWS_FLOW_TEXT_COLUMNS);
    const fields = all.map(([n]) => n.replace(/_/g, '-'));
    const { input } = buildTable(spec(FL, { flowFormat: parseFlowFormat(fields.map((f) => `\${${f}}`).join(' ')) }));
    const expected = all.map(([n, t]) => [n === 'region' ? 'record_region' : n, t]);
    expect(glueColumnPairs(input.StorageDescriptor!.Columns!)).toEqual(expected);
  });

  it('a reordered custom format keeps its order', () => {
    const { input } = buildTable(
      spec(FL, { flowFormat: parseFlowFormat('${vpc-id} ${srcaddr} ${dstaddr} ${dstport} ${action} ${tcp-flags} ${end}') }),
    );
    expect(glueColumnPairs(input.StorageDescriptor!.Columns!)).toEqual([
      ['vpc_id', 'string'],
      ['srcaddr', 'string'],
      ['dstaddr', 'string'],
      ['dstport', 'int'],
      ['action', 'string'],
      ['tcp_flags', 'int'],
      ['end', 'bigint'],
    ]);
  });

  it('hourly delivery reads the hour folders under each day: same partitions and template', () => {
    const daily = buildTable(spec(FL)).input;
    const hourly = buildTable(spec({ ...FL, hourly: true })).input;
    expect(hourly.Parameters!['storage.location.template']).toBe(daily.Parameters!['storage.location.template']);
    expect(hourly.PartitionKeys).toEqual(daily.PartitionKeys);
    expect(hourly.Parameters!['casebook.layout']).toBe('vpcflowlogs-text-hourly');
  });
});

describe('VPC Flow Logs, Parquet', () => {
  const PARQUET_TYPES: Record<string, string> = {
    version: 'int',
    srcport: 'int',
    dstport: 'int',
    protocol: 'int',
    tcp_flags: 'int',
    traffic_path: 'int',
    packets: 'bigint',
    bytes: 'bigint',
    start: 'bigint',
    end: 'bigint',
  };

  it('uses the Parquet SerDe and formats, with the types AWS writes (INT_32 int, INT_64 bigint, else string)', () => {
    const { input } = buildTable(spec({ ...FL, format: 'parquet' }));
    const sd = input.StorageDescriptor!;
    expect(sd.SerdeInfo!.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(sd.InputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
    expect(sd.OutputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat');
    for (const c of sd.Columns!) expect(c.Type, c.Name).toBe(PARQUET_TYPES[c.Name!] ?? 'string');
    expect(input.Parameters!['skip.header.line.count']).toBeUndefined();
    expect(sd.Columns!.map((c) => c.Name)).not.toContain('region');
    assertParses(renderCreateTable(input));
  });

  it('with Hive-compatible prefixes: no projection, a partition per account, region and day at its Hive folder', () => {
    const built = buildTable(
      spec({ ...FL, format: 'parquet', hivePrefixes: true, hourly: true }, { startDate: '2025/06/01', partitionsUntil: '2025/06/03' }),
    );
    const { input } = built;
    expect(layoutName(built.spec.layout)).toBe('vpcflowlogs-parquet-hive-hourly');
    expect(input.Parameters!['projection.enabled']).toBeUndefined();
    expect(input.Parameters!['storage.location.template']).toBeUndefined();
    expect(input.PartitionKeys!.map((k) => k.Name)).toEqual(['account', 'region', 'day']);
    const parts = registeredPartitions(built, NOW);
    expect(parts).toHaveLength(1 * 2 * 3);
    expect(parts[0]!.Values).toEqual(['111122223333', 'us-east-1', '2025/06/01']);
    expect(parts[0]!.StorageDescriptor!.Location).toBe(
      's3://amzn-s3-demo-bucket/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/year=2025/month=06/day=01/',
    );
    expect(parts[0]!.StorageDescriptor!.SerdeInfo!.SerializationLibrary).toBe(input.StorageDescriptor!.SerdeInfo!.SerializationLibrary);
    const stmts = renderAddPartitions('vpc_flow_logs', ['account', 'region', 'day'], parts, { perStatement: 4 });
    expect(stmts).toHaveLength(2);
    expect(stmts[0]).toContain(
      "PARTITION (`account` = '111122223333', `region` = 'us-east-1', `day` = '2025/06/01') LOCATION 's3://amzn-s3-demo-bucket/AWSLogs/aws-account-id=111122223333/",
    );
    for (const s of stmts) assertParses(s);
  });
});
