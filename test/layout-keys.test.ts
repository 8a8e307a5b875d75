import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { layoutName, prefixShapeName, type TableLayout } from '../src/layout/layout.js';
import {
  cloudTrailFileName,
  dayFolder,
  flowLogFileName,
  hourFolder,
  keyDay,
  keyMinute,
  objectKey,
  regionsFolder,
} from '../src/layout/keys.js';
import { parseFileName, parseKey } from '../src/layout/parse.js';
import { projectionParameters, templatePath } from '../src/layout/projection.js';
import { windowDays } from '../src/layout/days.js';
import { REAL_LAKE } from './support/harness.js';

/**
 * The key grammar of every bucket layout, table-driven: each layout's key as AWS
 * writes it (AWS-FACTS §1 and §5), built from its parts and parsed back; and every
 * real key of ../shared/data/real-lake parsed and rebuilt byte for byte.
 */

const ORG = 'o-a1b2c3d4e5';
const P = { account: '111122223333', region: 'eu-west-1', day: '2024/03/01' };
const CT_NAME = '111122223333_CloudTrail_eu-west-1_20240301T2355Z_0123456789abcdef.json.gz';
const FL_NAME = (suffix: string) => `111122223333_vpcflowlogs_eu-west-1_fl-0abc_20240301T1320Z_5262b50f${suffix}`;

const ct = (extra: Partial<TableLayout> = {}): TableLayout => ({
  table: 'cloudtrail',
  format: 'json',
  hourly: false,
  hivePrefixes: false,
  ...extra,
});
const fl = (extra: Partial<TableLayout> = {}): TableLayout => ({
  table: 'vpc_flow_logs',
  format: 'text',
  hourly: false,
  hivePrefixes: false,
  ...extra,
});

/** [layout, its name, estimate's prefix-shape name, the file's key (hour 13 where hourly)] */
const CASES: [TableLayout, string, string, string][] = [
  [ct(), 'cloudtrail', 'cloudtrail', `AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/01/${CT_NAME}`],
  [ct({ orgId: ORG }), 'cloudtrail-org', 'cloudtrail-org', `AWSLogs/${ORG}/111122223333/CloudTrail/eu-west-1/2024/03/01/${CT_NAME}`],
  [fl(), 'vpcflowlogs-text-daily', 'flowlogs-text', `AWSLogs/111122223333/vpcflowlogs/eu-west-1/2024/03/01/${FL_NAME('.log.gz')}`],
  [
    fl({ hourly: true }),
    'vpcflowlogs-text-hourly',
    'flowlogs-text-hourly',
    `AWSLogs/111122223333/vpcflowlogs/eu-west-1/2024/03/01/13/${FL_NAME('.log.gz')}`,
  ],
  [
    fl({ format: 'parquet' }),
    'vpcflowlogs-parquet-daily',
    'flowlogs-text',
    `AWSLogs/111122223333/vpcflowlogs/eu-west-1/2024/03/01/${FL_NAME('.log.parquet')}`,
  ],
  [
    fl({ format: 'parquet', hourly: true }),
    'vpcflowlogs-parquet-hourly',
    'flowlogs-text-hourly',
    `AWSLogs/111122223333/vpcflowlogs/eu-west-1/2024/03/01/13/${FL_NAME('.log.parquet')}`,
  ],
  [
    fl({ hivePrefixes: true }),
    'vpcflowlogs-text-hive-daily',
    'flowlogs-parquet-hive',
    `AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2024/month=03/day=01/${FL_NAME('.log.gz')}`,
  ],
  [
    fl({ hivePrefixes: true, hourly: true }),
    'vpcflowlogs-text-hive-hourly',
    'flowlogs-parquet-hive',
    `AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2024/month=03/day=01/hour=13/${FL_NAME('.log.gz')}`,
  ],
  [
    fl({ format: 'parquet', hivePrefixes: true }),
    'vpcflowlogs-parquet-hive-daily',
    'flowlogs-parquet-hive',
    `AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2024/month=03/day=01/${FL_NAME('.log.parquet')}`,
  ],
  [
    fl({ format: 'parquet', hivePrefixes: true, hourly: true }),
    'vpcflowlogs-parquet-hive-hourly',
    'flowlogs-parquet-hive',
    `AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2024/month=03/day=01/hour=13/${FL_NAME('.log.parquet')}`,
  ],
];

describe('every layout: key built from its parts, and parsed back', () => {
  it.each(CASES)('%j is %s', (layout, name, shape, key) => {
    expect(layoutName(layout)).toBe(name);
    expect(prefixShapeName(layout)).toBe(shape);
    const file = key.slice(key.lastIndexOf('/') + 1);
    expect(objectKey(layout, { ...P, hour: '13' }, file)).toBe(key);
    expect(key.startsWith(dayFolder(layout, P))).toBe(true);
    expect(dayFolder(layout, P).startsWith(regionsFolder(layout, P.account))).toBe(true);

    for (const prefix of ['', 'team/trails/', `${ORG}/`]) {
      const parsed = parseKey(`${prefix}${key}`);
      expect(parsed).toEqual({
        prefix,
        ...P,
        service: layout.table === 'cloudtrail' ? 'CloudTrail' : 'vpcflowlogs',
        table: layout.table,
        digest: false,
        hivePrefixes: layout.hivePrefixes,
        file,
        format: layout.format,
        ...(layout.orgId ? { orgId: layout.orgId } : {}),
        ...(layout.hourly ? { hour: '13' } : {}),
      });
      // The day folder alone parses to the same partition.
      expect(parseKey(`${prefix}${dayFolder(layout, P)}`)).toMatchObject({ prefix, ...P, hivePrefixes: layout.hivePrefixes });
      expect(parseKey(`${prefix}${dayFolder(layout, P)}`)?.file).toBeUndefined();
    }

    const f = parseFileName(layout.table, file)!;
    expect(f).toMatchObject({ account: P.account, region: P.region, format: layout.format });
    const rebuilt =
      layout.table === 'cloudtrail'
        ? cloudTrailFileName(f.account, f.region, f.minute, f.unique)
        : flowLogFileName(f.account, f.region, f.flowLogId!, f.minute, f.unique, f.suffix);
    expect(rebuilt).toBe(file);
  });

  it('projected layouts have a location template with every partition; Hive layouts have none', () => {
    for (const [layout] of CASES) {
      if (layout.hivePrefixes) {
        expect(() => templatePath(layout)).toThrow(/has no projection template/);
        continue;
      }
      const t = templatePath(layout);
      expect(t).toMatch(/\$\{account\}.*\$\{region\}.*\$\{day\}$/);
      // The template, filled in, is the partition's day folder.
      expect(`${t.replace('${account}', P.account).replace('${region}', P.region).replace('${day}', P.day)}/`).toBe(dayFolder(layout, P));
    }
    expect(
      projectionParameters(ct({ orgId: ORG }), {
        location: 's3://b/p/',
        accounts: ['111122223333'],
        regions: 'injected',
        startDate: '2020/01/01',
      }),
    ).toEqual({
      'projection.enabled': 'true',
      'projection.account.type': 'enum',
      'projection.account.values': '111122223333',
      'projection.region.type': 'injected',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': '2020/01/01,NOW',
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
      'storage.location.template': `s3://b/p/AWSLogs/${ORG}/\${account}/CloudTrail/\${region}/\${day}`,
    });
  });
});

describe('parsing keys that are not table files, and strict reading', () => {
  it('a CloudTrail-Digest key is recognised and read by no table', () => {
    const key =
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240301T010203Z.json.gz';
    expect(parseKey(key)).toMatchObject({
      service: 'CloudTrail-Digest',
      digest: true,
      account: '111122223333',
      region: 'us-east-1',
      day: '2024/03/01',
    });
    expect(parseKey(key)?.table).toBeUndefined();
    expect(parseKey(key)?.format).toBeUndefined();
    expect(parseFileName('cloudtrail', key.slice(key.lastIndexOf('/') + 1))).toBeUndefined();
  });

  it.each([
    ['no AWSLogs/ level', '111122223333/CloudTrail/us-east-1/2024/03/01/x.json.gz'],
    ['no day folder', 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/x.json.gz'],
    ['a non-numeric date folder', 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/aa/x.json.gz'],
    ['a Hive hour below a plain day', 'AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/01/hour=13/x.log.gz'],
    [
      'a plain hour below a Hive day',
      'AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=03/day=01/13/x.log.gz',
    ],
    ['two folders below the day', 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/13/14/x.json.gz'],
  ])('refuses %s', (_, key) => {
    expect(parseKey(key)).toBeUndefined();
  });

  it('strict reading takes only what AWS writes; lenient reading takes local copies and the Transit Gateway spellings', () => {
    const anonymised = 'AWSLogs/070411556318/CloudTrail/ap-central-2r/2024/08/01/f.json.gz';
    expect(parseKey(anonymised)?.region).toBe('ap-central-2r');
    // One region pattern (src/aws/region.ts) for parameters, settings and listings: the anonymised name is region-shaped.
    expect(parseKey(anonymised, { strict: true })?.region).toBe('ap-central-2r');
    expect(parseKey('AWSLogs/070411556318/CloudTrail/Backup_us-east-1/2024/08/01/f.json.gz', { strict: true })).toBeUndefined();
    expect(parseKey('AWSLogs/acct/CloudTrail/us-east-1/2024/08/01/f.json.gz')?.account).toBe('acct');
    expect(parseKey('AWSLogs/acct/CloudTrail/us-east-1/2024/08/01/f.json.gz', { strict: true })).toBeUndefined();
    const tgw = 'AWSLogs/aws-account-id=111122223333/service=vpcflowlogs/region=us-east-1/year=2024/month=03/day=01/f.log.gz';
    expect(parseKey(tgw)).toMatchObject({ table: 'vpc_flow_logs', region: 'us-east-1', hivePrefixes: true, format: 'text' });
    expect(parseKey(tgw, { strict: true })).toBeUndefined();
  });
});

describe('the real sample lake', () => {
  function files(dir: string, out: string[] = []): string[] {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) files(join(dir, e.name), out);
      else out.push(relative(REAL_LAKE, join(dir, e.name)));
    }
    return out;
  }
  const keys = files(REAL_LAKE).sort();

  it('holds CloudTrail and flow-log keys', () => {
    expect(keys.filter((k) => k.includes('/CloudTrail/')).length).toBeGreaterThan(50);
    expect(keys.filter((k) => k.includes('/vpcflowlogs/')).length).toBeGreaterThan(0);
  });

  it.each(keys)('%s parses and is rebuilt from its parts', (key) => {
    const parsed = parseKey(key);
    expect(parsed).toBeDefined();
    const p = parsed!;
    expect(p.table).toBeDefined();
    const f = parseFileName(p.table!, p.file!);
    expect(f).toBeDefined();
    // The name and the key agree on the account, the region and (CloudTrail) the delivery day.
    expect([f!.account, f!.region]).toEqual([p.account, p.region]);
    if (p.table === 'cloudtrail') expect(f!.minute.slice(0, 8)).toBe(p.day.replace(/\//g, ''));
    const layout: TableLayout = {
      table: p.table!,
      format: p.format!,
      hourly: p.hour !== undefined,
      hivePrefixes: p.hivePrefixes,
      ...(p.orgId ? { orgId: p.orgId } : {}),
    };
    const name =
      p.table === 'cloudtrail'
        ? cloudTrailFileName(f!.account, f!.region, f!.minute, f!.unique)
        : flowLogFileName(f!.account, f!.region, f!.flowLogId!, f!.minute, f!.unique, f!.suffix);
    expect(`${p.prefix}${objectKey(layout, p, name)}`).toBe(key);
  });
});

describe('times in keys and the days a window selects', () => {
  it('formats the delivery day and minute', () => {
    const ms = Date.parse('2024-03-01T23:58:09.500Z');
    expect(keyDay(ms)).toBe('2024/03/01');
    expect(keyMinute(ms)).toBe('20240301T2358Z');
    expect(hourFolder(fl({ hourly: true }), '07')).toBe('07/');
    expect(hourFolder(fl({ hourly: true, hivePrefixes: true }), '07')).toBe('hour=07/');
    expect(hourFolder(fl(), '07')).toBe('');
  });

  it("selects the window's days and a day of slack after it", () => {
    expect(windowDays({ since: new Date('2024-02-28T10:00:00Z'), until: new Date('2024-03-01T00:00:00Z') }).days).toEqual([
      '2024/02/28',
      '2024/02/29',
      '2024/03/01',
    ]);
    expect(windowDays({ since: new Date('2024-02-28T10:00:00Z'), until: new Date('2024-03-01T00:00:00Z') }, 0).days).toEqual([
      '2024/02/28',
      '2024/02/29',
    ]);
  });
});
