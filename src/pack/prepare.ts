import { distance } from 'fastest-levenshtein';
import { ParameterError, UnknownQueryError } from '../errors.js';
import { parseParam, spellParam, TimeLiteral } from '../params/types.js';
import { checkSpan, isoSeconds, type TimeWindow } from '../params/time.js';
import { QUERY_ID, SCAN_WINDOWS, TABLE_COLUMNS } from '../render/render.js';
import { defaultFlowFormat, type FlowFormat } from '../glue/flow-format.js';
import { tableColumns } from './table-columns.js';
import { SqlLiteral, type SqlList } from '../params/literals.js';
import type { Pack, Query } from './load.js';

export interface PreparedQuery {
  query: Query;
  /** Rendered Athena SQL. */
  sql: string;
  /** Every period the SQL reads: the window plus any lookback period; what an engine must scan. */
  window: TimeWindow;
  /** The event-time window asked for (--since/--until). */
  eventWindow: TimeWindow;
  /** Tables the SQL reads. */
  tables: string[];
  /** Validated parameters, as plain JSON values (for manifests and logs). */
  params: Record<string, unknown>;
  /** The flow-log fields the SQL was rendered for (the vpc_flow_logs table's format). */
  flowFields: string[];
}

export interface PrepareOptions {
  now?: Date;
  spell?: (name: string) => string;
  /**
   * The flow log's format, which decides the vpc_flow_logs table's columns and so the
   * columns the SQL may name. Default: the default (version 2) format, the table
   * `casebook ddl vpc_flow_logs` makes without --format.
   */
  flowFormat?: FlowFormat;
}

/** The closest name to `name` among `names`, when it is close enough to be a likely typo. */
export function nearest(name: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const n of names) {
    const d = distance(name.toLowerCase(), n.toLowerCase());
    if (d < bestDistance) {
      best = n;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function findQuery(pack: Pack, id: string): Query {
  const q = pack.byId.get(id);
  if (q) return q;
  const hint = nearest(id, pack.byId.keys());
  throw new UnknownQueryError(`unknown query "${id}"${hint ? ` (did you mean ${hint}?)` : ''}; \`casebook list\` shows them all`, id, hint);
}

function plain(v: SqlLiteral | SqlList | null): unknown {
  if (v === null) return null;
  if (v instanceof TimeLiteral) return isoSeconds(v.date);
  if (v instanceof SqlLiteral) return v.value;
  return v.map((x) => plain(x));
}

/**
 * Validate raw parameter values (keys are parameter names; CLI spelling with dashes is
 * accepted) and render the query's Athena SQL.
 */
export function prepareQuery(query: Query, raw: Record<string, unknown>, opts: PrepareOptions = {}): PreparedQuery {
  const now = opts.now ?? new Date();
  const spell = (name: string) => spellParam(opts, name.replace(/_/g, '-'));
  const given = new Map<string, unknown>();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    const name = k.replace(/-/g, '_');
    if (!(name in query.allParams)) {
      const hint = nearest(name, Object.keys(query.allParams));
      throw new ParameterError(
        `${query.id}: unknown ${opts.spell ? '' : 'parameter '}${spell(k)}${hint ? ` (did you mean ${spell(hint)}?)` : ''}`,
        query.id,
        name,
      );
    }
    given.set(name, v);
  }
  const ctx = { now, query: query.id, spell: opts.spell, tables: query.tables };
  const context: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(query.allParams)) {
    const lit = parseParam(name.replace(/_/g, '-'), spec, given.get(name), ctx);
    // Booleans reach templates as plain booleans, so `{{#if flag}}` reads them right.
    context[name] = lit instanceof SqlLiteral && typeof lit.value === 'boolean' ? lit.value : lit;
    params[name] = plain(lit);
  }
  const since = context.since as TimeLiteral;
  const until = context.until as TimeLiteral;
  if (since.date.getTime() >= until.date.getTime()) {
    throw new ParameterError(
      `${query.id}: ${spell('since')} ${isoSeconds(since.date)} is not before ${spell('until')} ${isoSeconds(until.date)}`,
      query.id,
      'since',
    );
  }
  checkSpan(since.date, until.date, `${query.id}: --since/--until`);
  const scans: TimeWindow[] = [];
  context[SCAN_WINDOWS] = scans;
  const columns = tableColumns(opts.flowFormat);
  context[TABLE_COLUMNS] = columns;
  context[QUERY_ID] = query.id;
  const sql = query.render(context);
  const eventWindow = { since: since.date, until: until.date };
  const window = scans.reduce(
    (w, s) => ({
      since: s.since.getTime() < w.since.getTime() ? s.since : w.since,
      until: s.until.getTime() > w.until.getTime() ? s.until : w.until,
    }),
    eventWindow,
  );
  const flowFields = [...(opts.flowFormat ?? defaultFlowFormat()).fields];
  return { query, sql, window, eventWindow, tables: query.tables, params, flowFields };
}
