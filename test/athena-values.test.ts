import { describe, expect, it } from 'vitest';
import { athenaValue, parseType, timestampIso } from '../src/engines/athena/values.js';
import { billedBytes, queryCostUsd, scanCostUsd, usd } from '../src/engines/athena/cost.js';
import { parseBytes } from '../src/engines/athena/units.js';
import { parseDuration } from '../src/params/duration.js';
import { AWS } from '../src/aws/settings.js';
import { parseOption } from '../src/settings/model.js';

describe('Athena values', () => {
  it.each([
    ['42', 'bigint', 42],
    ['-9007199254740991', 'bigint', -9007199254740991],
    ['9223372036854775807', 'bigint', '9223372036854775807'],
    ['7', 'tinyint', 7],
    ['123', 'int', 123],
    ['1.0E10', 'double', 1e10],
    ['NaN', 'double', 'NaN'],
    ['Infinity', 'double', 'Infinity'],
    ['-Infinity', 'real', '-Infinity'],
    ['0.1', 'decimal(10,2)', 0.1],
    ['12345678901234567.89', 'decimal(19,2)', '12345678901234567.89'],
    ['true', 'boolean', true],
    ['false', 'boolean', false],
    ['', 'varchar', ''],
    ['null', 'varchar', 'null'],
    ['2024-03-01', 'date', '2024-03-01'],
    ['2024-03-01 10:00:00.000', 'timestamp', '2024-03-01T10:00:00Z'],
    ['2024-03-01 10:00:00.120', 'timestamp(3)', '2024-03-01T10:00:00.120Z'],
    ['2024-03-01 10:00:00.123456', 'timestamp(6)', '2024-03-01T10:00:00.123456Z'],
    ['2024-03-01 10:00:00.000 UTC', 'timestamp with time zone', '2024-03-01T10:00:00Z'],
    ['2024-03-01 10:00:00.000 +05:30', 'timestamp(3) with time zone', '2024-03-01T04:30:00Z'],
    ['2024-07-01 10:00:00.000 America/New_York', 'timestamp with time zone', '2024-07-01T14:00:00Z'],
    ['2024-01-01 10:00:00.000 America/New_York', 'timestamp with time zone', '2024-01-01T15:00:00Z'],
    ['[]', 'array', []],
    ['[a, b, null]', 'array', ['a', 'b', null]],
    ['[1, 2]', 'array', ['1', '2']],
    ['[1, 2]', 'array(bigint)', [1, 2]],
    ['[[a, b], [c]]', 'array', [['a', 'b'], ['c']]],
    ['[{arn=arn:aws:s3:::b, type=AWS::S3::Bucket}]', 'array', [{ arn: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket' }]],
    ['{a=1, b=x y}', 'map', { a: '1', b: 'x y' }],
    ['{a=1, b=2}', 'map(varchar, integer)', { a: 1, b: 2 }],
    ['{}', 'map', {}],
    [
      '{type=Root, sessioncontext={attributes={mfaauthenticated=false}}}',
      'row',
      { type: 'Root', sessioncontext: { attributes: { mfaauthenticated: 'false' } } },
    ],
    ['{n=5, t=2024-03-01 10:00:00.000}', 'row(n bigint, t timestamp)', { n: 5, t: '2024-03-01T10:00:00Z' }],
    ['["a","b"]', 'array', ['a', 'b']],
    ['{"a":{"b":[1,null]}}', 'json', { a: { b: [1, null] } }],
    ['"text"', 'json', 'text'],
    ['not json', 'json', 'not json'],
    ['1.2.3.4', 'ipaddress', '1.2.3.4'],
  ])('%s as %s', (text, type, want) => {
    expect(athenaValue(text, type)).toEqual(want);
  });

  it('turns a missing VarCharValue into null', () => {
    expect(athenaValue(undefined, 'bigint')).toBeNull();
    expect(athenaValue(undefined, 'varchar')).toBeNull();
  });

  it('parses type signatures', () => {
    expect(parseType('row(a varchar, b array(integer))')).toEqual({
      name: 'row',
      fields: ['a', 'b'],
      children: [
        { name: 'varchar', children: [] },
        { name: 'array', children: [{ name: 'integer', children: [] }] },
      ],
    });
    expect(parseType('struct<arn:string,type:string>').fields).toEqual(['arn', 'type']);
    expect(parseType('map(varchar,bigint)').children.map((c) => c.name)).toEqual(['varchar', 'bigint']);
  });

  it('leaves text it cannot read as a timestamp alone', () => {
    expect(timestampIso('yesterday', false)).toBeUndefined();
    expect(athenaValue('2024-03-01 10:00:00.000 Mars/Olympus', 'timestamp with time zone')).toBe('2024-03-01 10:00:00.000 Mars/Olympus');
  });
});

describe('Athena cost', () => {
  it('rounds up to the MB with a 10 MB minimum', () => {
    expect(billedBytes(0)).toBe(10e6);
    expect(billedBytes(10e6 + 1)).toBe(11e6);
    expect(queryCostUsd(1e12)).toBe(5);
    expect(queryCostUsd(1e12, 7)).toBe(7);
    expect(queryCostUsd(123, 5)).toBeCloseTo(0.00005, 10);
    expect(queryCostUsd(5e12, 5, { reused: true })).toBe(0);
    expect(scanCostUsd(0)).toBe(0);
    expect(scanCostUsd(2e9)).toBeCloseTo(0.01, 10);
    expect(usd(0.00005)).toBe('$0.00005');
    expect(usd(0.125)).toBe('$0.125');
    expect(usd(12.345)).toBe('$12.35');
  });

  it('reads sizes and durations', () => {
    expect(parseBytes('20GB', '--max-scan')).toBe(20e9);
    expect(parseBytes('1.5 TiB', '--max-scan')).toBe(1.5 * 2 ** 40);
    expect(parseBytes(1000, '--max-scan')).toBe(1000);
    expect(() => parseBytes('lots', '--max-scan')).toThrow('--max-scan "lots" is not a size');
    expect(parseDuration('60m')).toBe(3_600_000);
    expect(parseDuration('30', 's')).toBe(30_000);
    expect(() => parseOption(AWS.options.timeoutMs, '-1s')).toThrow('not a duration');
  });
});
