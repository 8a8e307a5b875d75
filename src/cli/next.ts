import type { Row } from '../engines/engine.js';
import { isIP } from 'node:net';
import { shellWord, sourceAddress } from '../params/source-address.js';

/** Columns that hold a principal, an address, a resource (first match wins). */
const PRINCIPAL_COLUMNS = ['principal'];
const IP_COLUMNS = ['sourceipaddress', 'source_ip', 'srcaddr'];

interface Suggestion {
  query: string;
  param: string;
  value: string;
  why: string;
}

/** A value the next query accepts and a terminal shows as typed: no control characters, not too long. */
function usable(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 300 && !/[\u0000-\u001f\u007f-\u009f]/.test(v);
}

function firstValues(rows: Row[], columns: string[], max: number, accept: (v: string) => boolean): string[] {
  const col = columns.find((c) => rows.some((r) => c in r));
  if (!col) return [];
  const out: string[] = [];
  for (const r of rows) {
    const v = r[col];
    if (usable(v) && accept(v) && !out.includes(v)) out.push(v);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * The natural next investigations after a run, with values from its first rows filled in:
 * a principal's activity and network footprint, an address's calls and flows, a
 * resource's history. `carry` are options to repeat (window, lake, engine), as given.
 */
export function nextCommands(queryId: string, params: Record<string, unknown>, rows: Row[], carry: string[] = [], max = 2): string[] {
  const s: Suggestion[] = [];
  for (const p of firstValues(rows, PRINCIPAL_COLUMNS, max, () => true)) {
    s.push({ query: 'principal-activity', param: 'principal', value: p, why: 'its activity' });
    s.push({ query: 'principal-network-footprint', param: 'principal', value: p, why: 'its network footprint' });
  }
  for (const ip of firstValues(rows, IP_COLUMNS, max, (v) => isIP(v) !== 0 || sourceAddress(v) !== undefined)) {
    s.push({ query: 'ip-investigation', param: 'ip', value: ip, why: 'its calls and flows' });
    if (isIP(ip) !== 0) s.push({ query: 'traffic-for-address', param: 'ip', value: ip, why: 'its flows' });
  }
  if (typeof params.resource === 'string' && usable(params.resource)) {
    s.push({ query: 'resource-history', param: 'resource', value: params.resource, why: 'its history' });
  }
  const tail = carry.length ? ` ${carry.join(' ')}` : '';
  return s
    .filter((x) => !(x.query === queryId && params[x.param] === x.value))
    .map((x) => `casebook run ${x.query} --${x.param} ${shellWord(x.value)}${tail}    # ${x.why}`);
}

/** Options of this run worth repeating in the next one: the window and where the data is. */
export function carriedOptions(argv: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const name of ['since', 'until', 'lake', 'engine', 'database', 'workgroup']) {
    const v = argv[name];
    if (typeof v === 'string' && usable(v) && (name !== 'until' || v !== 'now')) out.push(`--${name} ${shellWord(v)}`);
  }
  return out;
}
