import { describe, expect, it } from 'vitest';
import type { TableInput } from '@aws-sdk/client-glue';
import { lintSpec, lintTableInput } from '../src/glue/lint.js';
import { buildTable, type TableSpec } from '../src/glue/table-input.js';
import type { TableLayout } from '../src/layout/layout.js';

const NOW = new Date('2025-06-15T12:00:00Z');

const CT: TableSpec = {
  layout: { table: 'cloudtrail', format: 'json', hourly: false, hivePrefixes: false },
  options: {
    location: 's3://trail-bucket/org/',
    accounts: ['111122223333', '444455556666'],
    regions: ['us-east-1', 'eu-west-1'],
    startDate: '2024/01/01',
  },
};

function withOptions(over: Partial<TableSpec['options']>, layout: Partial<TableLayout> = {}): TableSpec {
  return { layout: { ...CT.layout, ...layout }, options: { ...CT.options, ...over } };
}

function withParams(over: Record<string, string | undefined>): TableInput {
  const input = structuredClone(buildTable(CT).input);
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete input.Parameters![k];
    else input.Parameters![k] = v;
  }
  return input;
}

const LAYOUTS: TableLayout[] = [
  { table: 'cloudtrail', format: 'json', hourly: false, hivePrefixes: false },
  { table: 'cloudtrail', format: 'json', hourly: false, hivePrefixes: false, orgId: 'o-a1b2c3d4e5' },
  { table: 'vpc_flow_logs', format: 'text', hourly: false, hivePrefixes: false },
  { table: 'vpc_flow_logs', format: 'text', hourly: true, hivePrefixes: false },
  { table: 'vpc_flow_logs', format: 'text', hourly: false, hivePrefixes: true },
  { table: 'vpc_flow_logs', format: 'parquet', hourly: false, hivePrefixes: false },
  { table: 'vpc_flow_logs', format: 'parquet', hourly: true, hivePrefixes: true },
];

describe('projection lint', () => {
  it.each(LAYOUTS.map((l) => [JSON.stringify(l), l] as const))('every generated layout is clean: %s', (_n, layout) => {
    const spec: TableSpec = { layout, options: { ...CT.options, partitionsUntil: '2025/07/01' } };
    expect(lintSpec(spec, NOW)).toEqual({ errors: [], warnings: [] });
    expect(lintTableInput(buildTable(spec).input, NOW).errors).toEqual([]);
  });

  it('rejects white space inside enum values', () => {
    const r = lintTableInput(withParams({ 'projection.region.values': 'us-east-1, eu-west-1' }), NOW);
    expect(r.errors).toEqual([
      'cloudtrail: projection.region.values value " eu-west-1" holds white space: Athena keeps it as part of the value, so that partition is never found',
    ]);
    expect(lintTableInput(withParams({ 'projection.account.values': '111122223333,,444455556666' }), NOW).errors[0]).toContain(
      'has an empty value',
    );
  });

  it('rejects a template variable that is not a partition column', () => {
    const r = lintTableInput(
      withParams({ 'storage.location.template': 's3://trail-bucket/org/AWSLogs/${account}/CloudTrail/${region}/${timestamp}/${day}' }),
      NOW,
    );
    expect(r.errors).toEqual([
      'cloudtrail: storage.location.template uses ${timestamp}, which is not a partition column (account, region, day)',
    ]);
  });

  it('rejects a partition column missing from the template', () => {
    const r = lintTableInput(
      withParams({ 'storage.location.template': 's3://trail-bucket/org/AWSLogs/111122223333/CloudTrail/${region}/${day}' }),
      NOW,
    );
    expect(r.errors).toEqual(['cloudtrail: partition column account is missing from storage.location.template: Athena rejects the table']);
  });

  it('rejects a partition column without projection, and projection of a non-partition column', () => {
    expect(lintTableInput(withParams({ 'projection.region.type': undefined, 'projection.region.values': undefined }), NOW).errors).toEqual([
      'cloudtrail: partition column region has no projection.region.type: every query fails (HIVE_METASTORE_ERROR)',
    ]);
    expect(lintTableInput(withParams({ 'projection.timestamp.type': 'date' }), NOW).errors[0]).toContain(
      'configures "timestamp", which is not a partition column',
    );
  });

  it('rejects a location without its trailing slash', () => {
    expect(lintSpec(withOptions({ location: 's3://trail-bucket/org' }), NOW).errors).toEqual([
      'cloudtrail location "s3://trail-bucket/org" must end with a slash (s3://trail-bucket/org/): Athena reads a location as a folder, and without the slash the prefix also matches its siblings',
    ]);
    const input = structuredClone(buildTable(CT).input);
    input.StorageDescriptor!.Location = 's3://trail-bucket/org/AWSLogs';
    expect(lintTableInput(input, NOW).errors[0]).toBe('cloudtrail table location "s3://trail-bucket/org/AWSLogs" must end with a slash');
  });

  it('rejects other locations Athena misreads', () => {
    expect(lintSpec(withOptions({ location: 'trail-bucket/org/' }), NOW).errors[0]).toContain('is not an S3 location');
    expect(lintSpec(withOptions({ location: 's3://trail-bucket//org/' }), NOW).errors[0]).toContain('has an empty folder (//)');
    expect(lintSpec(withOptions({ location: 's3://trail-bucket/AWSLogs/' }), NOW).errors[0]).toContain('ends at AWSLogs/');
    expect(lintSpec(withOptions({ location: 's3://Trail_Bucket/' }), NOW).errors[0]).toContain('is not a valid S3 bucket name');
  });

  it('rejects a start date after today, and a date that is not one', () => {
    expect(lintSpec(withOptions({ startDate: '2025/06/16' }), NOW).errors).toEqual([
      'cloudtrail: start date 2025/06/16 is after today (2025/06/15): no partition would be projected until then',
    ]);
    expect(lintSpec(withOptions({ startDate: '2025/06/15' }), NOW).errors).toEqual([]);
    expect(lintSpec(withOptions({ startDate: '2025/02/30' }), NOW).errors[0]).toContain('is not a date');
    expect(lintTableInput(withParams({ 'projection.day.range': '2026/01/01,NOW' }), NOW).errors[0]).toContain('after today');
  });

  it('rejects malformed account ids, organization ids and regions', () => {
    expect(lintSpec(withOptions({ accounts: ['111122223333', '1111-2222-3333', '11112222333'] }), NOW).errors).toEqual([
      'cloudtrail: account id "1111-2222-3333" is not 12 digits',
      'cloudtrail: account id "11112222333" is not 12 digits',
    ]);
    expect(lintSpec(withOptions({}, { orgId: 'o-ABC' }), NOW).errors[0]).toContain('organization id "o-ABC" is not valid');
    expect(lintSpec(withOptions({}, { orgId: 'o-a1b2c3d4e5' }), NOW).errors).toEqual([]);
    expect(lintSpec(withOptions({ regions: ['us-east-1', 'useast1', 'eu-west'] }), NOW).errors).toEqual([
      'cloudtrail: "useast1" is not an AWS region name (like us-east-1)',
      'cloudtrail: "eu-west" is not an AWS region name (like us-east-1)',
    ]);
    for (const r of ['us-gov-west-1', 'cn-north-1', 'ap-southeast-5', 'il-central-1', 'mx-central-1', 'eu-central-2']) {
      expect(lintSpec(withOptions({ regions: [r] }), NOW).errors, r).toEqual([]);
    }
  });

  it('warns that injected partitions break queries that do not filter them, and forbids them with registered partitions', () => {
    expect(lintSpec(withOptions({ accounts: 'injected' }), NOW).warnings[0]).toContain(
      'account is an injected partition: every query must filter it',
    );
    const hive = withOptions(
      { accounts: 'injected', partitionsUntil: '2025/07/01' },
      { table: 'vpc_flow_logs', format: 'parquet', hivePrefixes: true },
    );
    expect(lintSpec(hive, NOW).errors).toEqual([
      'vpc_flow_logs: Hive-compatible prefixes register each partition, so accounts and regions must be listed, not injected',
    ]);
  });
});
