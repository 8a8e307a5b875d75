import { describe, expect, it } from 'vitest';
import { parseTime, isoSeconds } from '../src/params/time.js';
import { windowDays } from '../src/layout/days.js';
import { parseParam, type ParamSpec } from '../src/params/types.js';

const NOW = new Date('2024-05-10T12:00:00Z');
const ctx = { now: NOW, query: 'q' };

describe('parseTime', () => {
  it.each([
    ['2024-01-31', '2024-01-31T00:00:00Z'],
    ['2024-01-31T12:30Z', '2024-01-31T12:30:00Z'],
    ['2024-01-31T12:30:15+02:00', '2024-01-31T10:30:15Z'],
    ['2024-01-31 12:30:15', '2024-01-31T12:30:15Z'],
    ['2024-01-31T12:30:15.250Z', '2024-01-31T12:30:15.250Z'],
    ['now', '2024-05-10T12:00:00Z'],
    ['90m', '2024-05-10T10:30:00Z'],
    ['24h', '2024-05-09T12:00:00Z'],
    ['7d', '2024-05-03T12:00:00Z'],
    ['2w', '2024-04-26T12:00:00Z'],
  ])('%s', (text, iso) => {
    expect(isoSeconds(parseTime(text, NOW))).toBe(iso);
  });
  it.each(['2024-02-30', '2024-13-01', 'yesterday', '7 days', '2024-01-01T25:00Z', ''])('rejects %j', (text) => {
    expect(() => parseTime(text, NOW)).toThrow(/is not a time/);
  });
});

describe('windowDays: the partition days of a window, with a day of slack', () => {
  it('covers the since day through the day after until', () => {
    expect(windowDays({ since: new Date('2024-01-30T10:00:00Z'), until: new Date('2024-02-01T10:00:00Z') }).days).toEqual([
      '2024/01/30',
      '2024/01/31',
      '2024/02/01',
      '2024/02/02',
    ]);
  });
  it('an until at midnight does not add its own day twice', () => {
    expect(windowDays({ since: new Date('2024-01-30T00:00:00Z'), until: new Date('2024-01-31T00:00:00Z') }).days).toEqual([
      '2024/01/30',
      '2024/01/31',
    ]);
  });
});

describe('parseParam', () => {
  const cases: [ParamSpec, unknown, string][] = [
    [{ type: 'string', help: 'h' }, "o'brien", "'o''brien'"],
    [{ type: 'integer', help: 'h', min: 1, max: 10 }, '7', '7'],
    [{ type: 'port', help: 'h' }, '443', '443'],
    [{ type: 'ip', help: 'h' }, '2001:DB8::1', "'2001:db8::1'"],
    [{ type: 'cidr', help: 'h' }, '10.0.0.0/8', "'10.0.0.0/8'"],
    [{ type: 'cidr', help: 'h' }, '10.1.2.3', "'10.1.2.3/32'"],
    [{ type: 'cidr', help: 'h' }, '2001:DB8::/32', "'2001:db8::/32'"],
    // An IPv4-mapped network is the IPv4 network it maps, as Trino's contains reads it.
    [{ type: 'cidr', help: 'h' }, '::ffff:10.0.0.0/104', "'10.0.0.0/8'"],
    [{ type: 'ip', help: 'h' }, '2001:DB8:0:0:0:0:0:1', "'2001:db8::1'"],
    [{ type: 'ip', help: 'h' }, '::ffff:10.0.0.1', "'10.0.0.1'"],
    [{ type: 'cidr', help: 'h' }, '0.0.0.0/0', "'0.0.0.0/0'"],
    [{ type: 'account_id', help: 'h' }, '111122223333', "'111122223333'"],
    [{ type: 'region', help: 'h' }, 'us-north-2r', "'us-north-2r'"],
    [{ type: 'arn', help: 'h' }, 'arn:aws:iam::111122223333:user/a', "'arn:aws:iam::111122223333:user/a'"],
    [{ type: 'duration', help: 'h' }, '2h', '7200'],
    [{ type: 'enum', help: 'h', values: ['Success', 'Failure'] }, 'failure', "'Failure'"],
    [{ type: 'boolean', help: 'h' }, 'yes', 'TRUE'],
    [{ type: 'number', help: 'h' }, '0.09', 'CAST(0.09 AS DOUBLE)'],
    [{ type: 'timestamp', help: 'h' }, '2024-01-02', "from_iso8601_timestamp('2024-01-02T00:00:00Z')"],
    [{ type: 'list', of: 'port', help: 'h' }, '22, 3389', '22, 3389'],
    [{ type: 'list', of: 'string', help: 'h' }, ['a', "b'c"], "'a', 'b''c'"],
    [{ type: 'integer', help: 'h', default: 5 }, undefined, '5'],
  ];
  it.each(cases)('%j %j', (spec, raw, sql) => {
    expect(String(parseParam('p', spec, raw, ctx))).toBe(sql);
  });
  it.each([
    [{ type: 'integer', help: 'h', min: 1, max: 10 }, '11', /out of range/],
    [{ type: 'port', help: 'h' }, '70000', /out of range/],
    [{ type: 'cidr', help: 'h' }, '10.0.0.0/33', /prefix length/],
    [{ type: 'cidr', help: 'h' }, '10.0.1.5/24', /has host bits set \(Athena rejects it\): did you mean 10\.0\.1\.0\/24\?/],
    [{ type: 'cidr', help: 'h' }, '2001:db8::1/64', /did you mean 2001:db8::\/64\?/],
    [{ type: 'account_id', help: 'h' }, '1234', /12-digit/],
    [{ type: 'string', help: 'h', required: true }, undefined, /--p is required/],
    [{ type: 'string', help: 'h' }, ['a', 'b'], /more than once/],
    [{ type: 'list', of: 'ip', help: 'h' }, '1.1.1.1,nope', /is not an IPv4 or IPv6 address/],
  ] as [ParamSpec, unknown, RegExp][])('rejects %j %j', (spec, raw, why) => {
    expect(() => parseParam('p', spec, raw, ctx)).toThrow(why);
  });
  it('timestamps are whole seconds (eventtime has second precision)', () => {
    expect(String(parseParam('p', { type: 'timestamp', help: 'h' }, '2024-01-02T03:04:05.987Z', ctx))).toBe(
      "from_iso8601_timestamp('2024-01-02T03:04:05Z')",
    );
  });
  it('an absent optional parameter is null', () => {
    expect(parseParam('p', { type: 'port', help: 'h' }, undefined, ctx)).toBeNull();
  });
});
