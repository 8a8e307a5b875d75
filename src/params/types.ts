import { isIP } from 'node:net';
import { addressGroups, canonicalIp, formatGroups } from './ip.js';
import type * as Zod from 'zod';
import type { paramSpecSchema } from '../pack/query-meta.js';
import { ParameterError, type UsageError } from '../errors.js';
import { SqlLiteral, type SqlList, booleanLiteral, listLiteral, numberLiteral, stringLiteral } from './literals.js';
import { dayPartition, isoSeconds, MAX_SPAN_DAYS, MAX_SPAN_MS, parseTime } from './time.js';
import { parseDuration } from './duration.js';
import { REGION } from '../aws/region.js';
import { shellWord, sourceAddress } from './source-address.js';

export const SCALAR_TYPES = [
  'string',
  'integer',
  'port',
  'ip',
  'cidr',
  'arn',
  'account_id',
  'region',
  'timestamp',
  'duration',
  'enum',
  'boolean',
  'number',
] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

/** A query parameter's declaration (the `params:` of its metadata; checked by src/pack/query-meta.ts). */
export type ParamSpec = Zod.infer<ReturnType<typeof paramSpecSchema>>;

/** A timestamp parameter: renders as `from_iso8601_timestamp('...')`, with its other spellings as properties. */
export class TimeLiteral extends SqlLiteral {
  /** `'2024-01-02T03:04:05Z'`: compares correctly with CloudTrail's eventtime strings. */
  readonly iso: SqlLiteral;
  /** Unix seconds: compares with flow-log start/end. */
  readonly epoch: SqlLiteral;
  /** `'2024/01/02'`: the partition day. */
  readonly day: SqlLiteral;
  constructor(readonly date: Date) {
    const iso = isoSeconds(date);
    super(`from_iso8601_timestamp('${iso}')`, date);
    this.iso = stringLiteral(iso);
    this.epoch = numberLiteral(Math.floor(date.getTime() / 1000));
    this.day = stringLiteral(dayPartition(date));
  }
}

export interface ParseContext {
  now: Date;
  query: string;
  /** How errors name a parameter (given its option name, `source-ip`); default the CLI option, `--source-ip`. */
  spell?: (name: string) => string;
  /** The tables the query reads: an `ip` takes CloudTrail's other sourceIPAddress forms only where CloudTrail is read. */
  tables?: readonly string[];
}

/** A parameter as errors name it: the CLI option unless the caller spells it otherwise. */
export function spellParam(ctx: { spell?: (name: string) => string }, name: string): string {
  return ctx.spell ? ctx.spell(name) : `--${name}`;
}

const MAX_TEXT = 1024;
const MAX_LIST = 1000;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;
const ARN = /^arn:[a-z][a-z0-9-]*:[a-z0-9][a-z0-9-]*:[a-z0-9-]*:(\d{12}|aws|[a-z0-9-]*):\S+$/;

function bad(ctx: ParseContext, name: string, raw: string, why: string): UsageError {
  const shown = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  return new ParameterError(`${ctx.query}: ${spellParam(ctx, name)} ${JSON.stringify(shown)} ${why}`, ctx.query, name.replace(/-/g, '_'));
}

function parseScalar(type: ScalarType, spec: ParamSpec, name: string, raw: string, ctx: ParseContext): SqlLiteral {
  const text = raw.trim();
  if (text === '') throw bad(ctx, name, raw, 'is empty');
  if (text.length > MAX_TEXT) throw bad(ctx, name, raw, `is longer than ${MAX_TEXT} characters`);
  if (CONTROL.test(text)) throw bad(ctx, name, raw, 'contains a control character');
  switch (type) {
    case 'string':
      return stringLiteral(text);
    case 'integer':
    case 'port': {
      if (!/^-?\d+$/.test(text)) throw bad(ctx, name, raw, `is not ${type === 'port' ? 'a port number' : 'an integer'}`);
      const n = Number(text);
      const min = type === 'port' ? 0 : (spec.min ?? Number.MIN_SAFE_INTEGER);
      const max = type === 'port' ? 65535 : (spec.max ?? Number.MAX_SAFE_INTEGER);
      if (!Number.isSafeInteger(n) || n < min || n > max) throw bad(ctx, name, raw, `is out of range (${min} to ${max})`);
      return numberLiteral(n);
    }
    case 'number': {
      if (!/^-?\d+(\.\d+)?$/.test(text)) throw bad(ctx, name, raw, 'is not a number');
      const n = Number(text);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw bad(ctx, name, raw, `is out of range (${spec.min ?? '-inf'} to ${spec.max ?? 'inf'})`);
      }
      return new SqlLiteral(`CAST(${n} AS DOUBLE)`, n);
    }
    case 'ip': {
      // As Trino's IPADDRESS prints it, so the rendered SQL is the same for every spelling of one address.
      if (isIP(text) !== 0) {
        const canonical = canonicalIp(text);
        if (canonical === null) throw bad(ctx, name, raw, 'is not an IPv4 or IPv6 address');
        return stringLiteral(canonical);
      }
      // A scalar address is matched as text against sourceIPAddress too: take the other forms CloudTrail writes there.
      const readsCloudTrail = ctx.tables === undefined || ctx.tables.includes('cloudtrail');
      const source = spec.type === 'list' || !readsCloudTrail ? undefined : sourceAddress(text);
      if (source === undefined) {
        throw bad(
          ctx,
          name,
          raw,
          spec.type === 'list' || !readsCloudTrail
            ? 'is not an IPv4 or IPv6 address'
            : 'is not an IPv4 or IPv6 address, nor another sourceIPAddress CloudTrail writes (AWS Internal, a service such as ec2.amazonaws.com)',
        );
      }
      return stringLiteral(source);
    }
    case 'cidr': {
      const [addr, len, ...rest] = text.split('/');
      const family = isIP(addr ?? '');
      if (family === 0 || rest.length > 0) {
        const other = rest.length === 0 && len === undefined && sourceAddress(text) !== undefined;
        throw bad(
          ctx,
          name,
          raw,
          `is not a CIDR block (10.0.0.0/8) or an address${other ? `; a source that is not an address is followed with: casebook run ip-investigation --ip ${shellWord(text)}` : ''}`,
        );
      }
      const maxLen = family === 4 ? 32 : 128;
      if (len !== undefined && (!/^\d{1,3}$/.test(len) || Number(len) > maxLen))
        throw bad(ctx, name, raw, `has a prefix length outside 0-${maxLen}`);
      const bits = len === undefined ? maxLen : Number(len);
      const network = maskAddress(addr!, family, bits);
      if (network !== null && network !== canonicalAddress(addr!, family)) {
        throw bad(ctx, name, raw, `has host bits set (Athena rejects it): did you mean ${network}/${bits}?`);
      }
      // An IPv4-mapped IPv6 network is the IPv4 network it maps (Trino matches IPv4 addresses in it; so does this form on both engines).
      const groups = family === 6 && bits >= 96 ? addressGroups(addr!, 6) : null;
      if (groups?.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
        return stringLiteral(`${[groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.')}/${bits - 96}`);
      }
      return stringLiteral(`${addr!.toLowerCase()}/${bits}`);
    }
    case 'arn':
      if (!ARN.test(text)) throw bad(ctx, name, raw, 'is not an ARN (arn:partition:service:region:account:resource)');
      return stringLiteral(text);
    case 'account_id':
      if (!/^\d{12}$/.test(text)) throw bad(ctx, name, raw, 'is not a 12-digit AWS account id');
      return stringLiteral(text);
    case 'region':
      if (!REGION.test(text)) throw bad(ctx, name, raw, 'is not a region name (like us-east-1)');
      return stringLiteral(text);
    case 'timestamp': {
      // Whole seconds: CloudTrail's eventTime has second precision, and a bound with
      // milliseconds would not compare with it as text.
      let t: Date;
      try {
        t = parseTime(text, ctx.now, `${ctx.query}: ${spellParam(ctx, name)}`);
      } catch (err) {
        throw new ParameterError((err as Error).message, ctx.query, name.replace(/-/g, '_'));
      }
      return new TimeLiteral(new Date(Math.floor(t.getTime() / 1000) * 1000));
    }
    case 'duration': {
      const ms = parseDuration(text);
      if (ms === undefined) throw bad(ctx, name, raw, 'is not a duration (30s, 10m, 1.5h, 7d, 1w)');
      if (ms > MAX_SPAN_MS) throw bad(ctx, name, raw, `is longer than 100 years (${MAX_SPAN_DAYS}d)`);
      return numberLiteral(Math.round(ms / 1000));
    }
    case 'enum': {
      const found = spec.values!.find((v) => v.toLowerCase() === text.toLowerCase());
      if (found === undefined) throw bad(ctx, name, raw, `is not one of ${spec.values!.join(', ')}`);
      return stringLiteral(found);
    }
    case 'boolean': {
      const t = text.toLowerCase();
      if (['true', 'yes', '1', 'on'].includes(t)) return booleanLiteral(true);
      if (['false', 'no', '0', 'off'].includes(t)) return booleanLiteral(false);
      throw bad(ctx, name, raw, 'is not true or false');
    }
  }
}

function canonicalAddress(addr: string, family: number): string | null {
  const g = addressGroups(addr, family);
  return g ? formatGroups(g, family) : null;
}

/** The network address of addr/bits, or null if the address cannot be expanded. */
function maskAddress(addr: string, family: number, bits: number): string | null {
  const groups = addressGroups(addr, family);
  if (!groups) return null;
  const width = family === 4 ? 8 : 16;
  const masked = groups.map((g, i) => {
    const keep = Math.max(0, Math.min(width, bits - i * width));
    const mask = keep === 0 ? 0 : (0xffff << (width - keep)) & ((1 << width) - 1);
    return g & mask;
  });
  return formatGroups(masked, family);
}

function toText(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

/**
 * Validate one parameter value (from the command line, a report file or a library
 * call) and turn it into its SQL literal. Lists take comma-separated text, repeated
 * options or arrays. Returns null for an absent optional parameter.
 */
export function parseParam(name: string, spec: ParamSpec, raw: unknown, ctx: ParseContext): SqlLiteral | SqlList | null {
  let value = raw;
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    value = spec.default;
    if (value === undefined) {
      if (spec.required)
        throw new ParameterError(`${ctx.query}: ${spellParam(ctx, name)} is required (${spec.help})`, ctx.query, name.replace(/-/g, '_'));
      return null;
    }
  }
  if (spec.type === 'list') {
    const items = (Array.isArray(value) ? value : [value])
      .flatMap((v) => toText(v).split(','))
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (items.length === 0) throw bad(ctx, name, toText(value), 'is an empty list');
    if (items.length > MAX_LIST) throw bad(ctx, name, `${items.length} items`, `has more than ${MAX_LIST} items`);
    return listLiteral(items.map((item) => parseScalar(spec.of!, spec, name, item, ctx)));
  }
  if (Array.isArray(value)) {
    if (value.length > 1) throw bad(ctx, name, value.map(toText).join(' '), 'was given more than once');
    value = value[0];
  }
  if (typeof value === 'boolean' && spec.type !== 'boolean') throw bad(ctx, name, String(value), 'needs a value');
  return parseScalar(spec.type as ScalarType, spec, name, toText(value), ctx);
}
