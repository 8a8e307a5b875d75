import { createRequire } from 'node:module';
import type HandlebarsNS from 'handlebars';
import { getTable } from '../tables/model.js';
import { UsageError } from '../errors.js';
import { SqlLiteral, likeEscape, quoteString } from '../params/literals.js';
import { TimeLiteral } from '../params/types.js';
import type { TimeWindow } from '../params/time.js';
import { windowDays } from '../layout/days.js';

/** Helpers a template may call; anything else in `{{...}}` must be a declared parameter. */
export const HELPERS = [
  'window',
  'lookback_window',
  'partition_filter',
  'time_filter',
  'like_contains',
  'like_prefix',
  'like_suffix',
  'lower',
  'upper',
  'iso',
  'epoch',
  'has_column',
  'require_column',
] as const;

type HandlebarsModule = typeof HandlebarsNS;
let handlebarsModule: HandlebarsModule | undefined;
let instance: ReturnType<HandlebarsModule['create']> | undefined;
let pendingPartials: Record<string, string> = {};

/**
 * Handlebars, loaded on first use: listing the pack needs no template engine. The
 * package's one-file build: the same library as its `lib/` entry, loaded in a third of
 * the time (one file to resolve and compile instead of twenty-five).
 */
function Handlebars(): HandlebarsModule {
  handlebarsModule ??= createRequire(import.meta.url)('handlebars/dist/handlebars.min.js') as HandlebarsModule;
  return handlebarsModule;
}

/** casebook's Handlebars environment: its helpers and the pack's partials. */
function hb(): ReturnType<HandlebarsModule['create']> {
  if (!instance) {
    instance = Handlebars().create();
    registerHelpers(instance);
  }
  for (const [name, sql] of Object.entries(pendingPartials)) instance.registerPartial(name, sql.trim());
  pendingPartials = {};
  return instance;
}

/** Key of the render context under which helpers record extra periods the query reads. */
export const SCAN_WINDOWS = '__scan_windows';

/**
 * Key of the render context holding the columns each table has (pack/table-columns.ts),
 * which `{{#if (has_column "table" "column")}}` reads: a query names only the columns
 * its table has, and falls back to what it can infer where a field is absent.
 */
export const TABLE_COLUMNS = '__table_columns';

/** Key of the render context holding the query's id, for messages. */
export const QUERY_ID = '__query_id';

function qualified(alias: unknown, column: string): string {
  const quoted = column === 'end' ? '"end"' : column;
  return typeof alias === 'string' && alias !== '' ? `${alias}.${quoted}` : quoted;
}

/** Handlebars passes an options hash as the last argument: drop it. */
function args(list: unknown[]): unknown[] {
  return list.slice(0, -1);
}

function windowOf(root: Record<string, unknown>): TimeWindow {
  const since = root.since;
  const until = root.until;
  if (!(since instanceof TimeLiteral) || !(until instanceof TimeLiteral)) throw new Error('the window parameters since/until are missing');
  return { since: since.date, until: until.date };
}

/** The partition predicate: delivery days from `since` through one day after `until`. */
export function partitionFilter(table: string, w: TimeWindow, alias?: string): string {
  getTable(table);
  const { first, last } = windowDays(w);
  return `${qualified(alias, 'day')} BETWEEN ${quoteString(first)} AND ${quoteString(last)}`;
}

/** The exact event-time predicate, half-open [since, until). */
export function timeFilter(table: string, w: TimeWindow, alias?: string): string {
  const t = getTable(table);
  const col = qualified(alias, t.time.column);
  const since = new TimeLiteral(w.since);
  const until = new TimeLiteral(w.until);
  if (t.time.kind === 'iso8601') return `${col} >= ${since.iso} AND ${col} < ${until.iso}`;
  return `${col} >= ${since.epoch} AND ${col} < ${until.epoch}`;
}

function root(options: HandlebarsNS.HelperOptions): Record<string, unknown> {
  return options.data.root as Record<string, unknown>;
}

function textOf(v: unknown): string {
  if (v instanceof SqlLiteral) return String(v.value instanceof Date ? v.sql : v.value);
  throw new Error('expected a parameter');
}

function registerHelpers(h: ReturnType<HandlebarsModule['create']>): void {
  h.registerHelper('window', function (this: unknown, ...list: unknown[]) {
    const options = list[list.length - 1] as HandlebarsNS.HelperOptions;
    const [table, alias] = args(list) as [string, string | undefined];
    const w = windowOf(root(options));
    return `(${partitionFilter(table, w, alias)} AND ${timeFilter(table, w, alias)})`;
  });
  /**
   * `{{lookback_window "cloudtrail" lookback ["alias"]}}`: the partition and event-time
   * predicates of the period [since - lookback, since) just before the window, for queries
   * that compare the window with what came before it. The period is recorded so the local
   * engine reads its files too (see prepareQuery's scan window).
   */
  h.registerHelper('lookback_window', (...list: unknown[]) => {
    const options = list[list.length - 1] as HandlebarsNS.HelperOptions;
    const [table, duration, alias] = args(list) as [string, unknown, string | undefined];
    if (!(duration instanceof SqlLiteral) || typeof duration.value !== 'number')
      throw new Error('lookback_window takes a table and a duration parameter');
    const w = windowOf(root(options));
    const lookback = { since: new Date(w.since.getTime() - duration.value * 1000), until: w.since };
    const scans = root(options)[SCAN_WINDOWS];
    if (Array.isArray(scans)) scans.push(lookback);
    return `(${partitionFilter(table, lookback, alias)} AND ${timeFilter(table, lookback, alias)})`;
  });
  h.registerHelper('partition_filter', (...list: unknown[]) => {
    const options = list[list.length - 1] as HandlebarsNS.HelperOptions;
    const [table, alias] = args(list) as [string, string | undefined];
    return partitionFilter(table, windowOf(root(options)), alias);
  });
  h.registerHelper('time_filter', (...list: unknown[]) => {
    const options = list[list.length - 1] as HandlebarsNS.HelperOptions;
    const [table, alias] = args(list) as [string, string | undefined];
    return timeFilter(table, windowOf(root(options)), alias);
  });
  h.registerHelper('has_column', (...list: unknown[]) => {
    const options = list[list.length - 1] as HandlebarsNS.HelperOptions;
    const [table, column] = args(list) as [unknown, unknown];
    if (typeof table !== 'string' || typeof column !== 'string')
      throw new Error('has_column takes a table and a column name, e.g. (has_column "vpc_flow_logs" "pkt_srcaddr")');
    const t = getTable(table);
    if (![...t.columns, ...t.partitions].some((c) => c.name === column))
      throw new Error(`has_column: table ${table} defines no column ${column}`);
    const columns = root(options)[TABLE_COLUMNS] as Readonly<Record<string, ReadonlySet<string>>> | undefined;
    if (!columns) throw new Error('has_column: the render context does not say which columns the tables have');
    return columns[table]?.has(column) ?? false;
  });
  /**
   * `{{require_column "vpc_flow_logs" "subnet_id"}}`: renders nothing when the table has the
   * column; otherwise the query cannot be answered from this table, and saying so beats an
   * empty result.
   */
  h.registerHelper('require_column', (...list: unknown[]) => {
    const options = list[list.length - 1] as HandlebarsNS.HelperOptions;
    const [table, column] = args(list) as [unknown, unknown];
    if (typeof table !== 'string' || typeof column !== 'string') throw new Error('require_column takes a table and a column name');
    const t = getTable(table);
    const col = t.columns.find((c) => c.name === column);
    if (!col) throw new Error(`require_column: table ${table} defines no column ${column}`);
    const columns = root(options)[TABLE_COLUMNS] as Readonly<Record<string, ReadonlySet<string>>> | undefined;
    if (columns?.[table]?.has(column)) return '';
    const id = root(options)[QUERY_ID];
    throw new UsageError(
      `${typeof id === 'string' ? `${id}: ` : ''}needs the ${table} field ${col.sourceName}, which the table's format lacks: declare the flow log's format (vpc_flow_logs.format or header_from in casebook.config.yaml, as for casebook ddl --format)`,
    );
  });
  h.registerHelper('like_contains', (v: unknown) => `${quoteString(`%${likeEscape(textOf(v))}%`)} ESCAPE '\\'`);
  h.registerHelper('like_prefix', (v: unknown) => `${quoteString(`${likeEscape(textOf(v))}%`)} ESCAPE '\\'`);
  h.registerHelper('like_suffix', (v: unknown, ...rest: unknown[]) => {
    const before = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : '';
    return `${quoteString(`%${likeEscape(before + textOf(v))}`)} ESCAPE '\\'`;
  });
  h.registerHelper('lower', (v: unknown) => quoteString(textOf(v).toLowerCase()));
  h.registerHelper('upper', (v: unknown) => quoteString(textOf(v).toUpperCase()));
  h.registerHelper('iso', (v: unknown) => {
    if (!(v instanceof TimeLiteral)) throw new Error('iso takes a timestamp parameter');
    return v.iso.sql;
  });
  h.registerHelper('epoch', (v: unknown) => {
    if (!(v instanceof TimeLiteral)) throw new Error('epoch takes a timestamp parameter');
    return v.epoch.sql;
  });
}

/**
 * Shared SQL fragments (`queries/_partials/<name>.sql`), used as `{{> name}}`. They hold
 * no parameters: only SQL that several queries must spell the same way.
 */
export function registerPartials(partials: Record<string, string>): void {
  // Fragments are trimmed: they are used inline (`{{> actor}} AS principal`). A tag alone
  // on its line is "standalone" to Handlebars, which then drops that line's break: follow
  // it with something on the same line (`{{> cte}} -- comment`).
  pendingPartials = { ...pendingPartials, ...partials };
}

export type CompiledTemplate = (context: Record<string, unknown>) => string;

export function compileTemplate(source: string): CompiledTemplate {
  const fn = hb().compile(source, { noEscape: true, strict: true, knownHelpers: Object.fromEntries(HELPERS.map((h) => [h, true])) });
  return (context) => tidy(fn(context));
}

/** Drop the blank lines that block helpers leave behind, and trailing space. */
function tidy(sql: string): string {
  return (
    sql
      .split('\n')
      .map((l) => l.replace(/\s+$/, ''))
      .filter((l, i, all) => !(l === '' && (i === 0 || all[i - 1] === '')))
      .join('\n')
      .trim() + '\n'
  );
}

/** Names of the partials (`{{> name}}`) a template includes directly. */
export function templatePartials(source: string): Set<string> {
  const names = new Set<string>();
  class Collector extends Handlebars().Visitor {
    override PartialStatement(partial: hbs.AST.PartialStatement): void {
      const name = partial.name as hbs.AST.PathExpression;
      if (name.type === 'PathExpression') names.add(name.original);
    }
  }
  new Collector().accept(hb().parse(source));
  return names;
}

/** Names a template reads from its context (the first segment of each path), besides helpers. */
export function templateVariables(source: string): Set<string> {
  const ast = hb().parse(source);
  const names = new Set<string>();
  const helperNames = new Set<string>([...HELPERS, 'if', 'unless', 'each', 'with']);
  class Collector extends Handlebars().Visitor {
    override PartialStatement(partial: hbs.AST.PartialStatement): void {
      for (const p of partial.params) this.accept(p);
      if (partial.hash) this.accept(partial.hash);
    }
    override PathExpression(path: hbs.AST.PathExpression): void {
      const head = path.parts[0];
      if (path.data || path.original === 'this' || path.original.startsWith('this.') || head === undefined) return;
      if (!helperNames.has(head)) names.add(head);
    }
  }
  new Collector().accept(ast);
  return names;
}
