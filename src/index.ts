/**
 * casebook as a library: the pack of investigations, rendering, running on an engine,
 * evidence reports and their verification. Everything here is typed and speaks of
 * function arguments, never of command-line options; every error it throws is a
 * `CasebookError` (or one of its subclasses below), with a one-line message.
 *
 * ```ts
 * import { openEngine, runQuery } from 'casebook';
 * const engine = await openEngine({ engine: 'duckdb', lake: './lake' });
 * const { result } = await runQuery('who-deleted', { resource: 'my-bucket', since: '30d' }, { engine });
 * ```
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { hostname, userInfo } from 'node:os';
import { CasebookError, UnknownQueryError, UsageError } from './errors.js';
import type { Engine, QueryResult, RowStream } from './engines/engine.js';
import { runPrepared, streamPrepared } from './pipeline.js';
import { formatResult as formatAs, FORMATS, type Format } from './format/format.js';
import { loadPack, type Query } from './pack/load.js';
import { nearest, prepareQuery, type PreparedQuery } from './pack/prepare.js';
import type { ParamSpec } from './params/types.js';
import { bundleFiles, isBundle, BUNDLE_MANIFEST as MANIFEST, writeBundle, type Manifest } from './reports/bundle.js';
import { sha256 } from './reports/hash.js';
import { loadReport, reportNames } from './reports/load.js';
import { parsePeriod, type Period } from './reports/period.js';
import { lakeCoverageProbe } from './reports/coverage.js';
import { lakeIntegrityEvidence } from './validate/evidence.js';
import { publicKeysFromFile } from './validate/public-keys.js';
import { runReport as runReportSections, type ReportRun } from './reports/run.js';
import { verifyBundle as verifyBundleDir, type VerifyResult } from './reports/verify.js';
import type { EngineInfo } from './reports/view.js';
import { DEFAULT_DATABASE, type AthenaSettings } from './engines/athena/settings.js';
import { ATHENA_PRICE_PER_TB_USD } from './engines/athena/cost.js';
import { DEFAULT_TIMEOUT_MS, type AwsSettings } from './aws/settings.js';
import type { SampleOptions, SampleSummary } from './sample/generate.js';
import { projectRoot } from './paths.js';
import { VERSION } from './version.js';

export { CasebookError, ParameterError, UnknownQueryError, UsageError } from './errors.js';
export { PackError } from './pack/load.js';
export { ReportError } from './reports/load.js';
export { NotABundleError } from './reports/verify.js';
export type { Engine, JsonValue, QueryResult, ResultColumn, Row, RunOptions, RunStats } from './engines/engine.js';
export type { PreparedQuery } from './pack/prepare.js';
export type { TimeWindow } from './params/time.js';
export type { Format } from './format/format.js';
export type { Manifest, ManifestSection } from './reports/bundle.js';
export type { ReportRun, SectionRun } from './reports/run.js';
export type { FileStatus, VerifyEntry, VerifyResult } from './reports/verify.js';
export type { SampleOptions, SampleSummary } from './sample/generate.js';
export { FORMATS, VERSION };

/** Errors name a parameter as the library takes it: `parameter "source_ip"`. */
const spell = (name: string): string => `parameter "${name.replace(/-/g, '_')}"`;

/** One parameter of a query, as `queries()` describes it. */
export interface ParameterInfo {
  /** The key to pass in `params` (`source_ip`; `source-ip` is accepted too). */
  name: string;
  /** string, integer, port, ip, cidr, arn, account_id, region, timestamp, duration, enum, boolean, or list<type>. */
  type: string;
  required: boolean;
  default: unknown;
  /** The choices of an enum. */
  values?: string[];
  help: string;
}

/** One investigation of the pack. */
export interface QueryInfo {
  id: string;
  title: string;
  group: string;
  audience: string[];
  description: string;
  /** Tables it reads: cloudtrail, vpc_flow_logs. */
  tables: string[];
  severity?: string;
  parameters: ParameterInfo[];
  /** The columns of its result, in order. */
  columns: string[];
}

function paramInfo(name: string, p: ParamSpec): ParameterInfo {
  return {
    name,
    type: p.type === 'list' ? `list<${p.of}>` : p.type,
    required: Boolean(p.required),
    default: p.default ?? null,
    ...(p.values ? { values: [...p.values] } : {}),
    help: p.help,
  };
}

function info(q: Query): QueryInfo {
  return {
    id: q.id,
    title: q.title,
    group: q.group,
    audience: [...q.audience],
    description: q.description,
    tables: [...q.tables],
    ...(q.severity ? { severity: q.severity } : {}),
    parameters: Object.entries(q.allParams).map(([name, p]) => paramInfo(name, p)),
    columns: [...q.columns],
  };
}

function query(id: string): Query {
  const pack = loadPack();
  const q = pack.byId.get(id);
  if (q) return q;
  const hint = nearest(id, pack.byId.keys());
  throw new UnknownQueryError(`unknown query "${id}"${hint ? ` (did you mean ${hint}?)` : ''}; queries() lists them`, id, hint);
}

/** The investigations of the pack (loaded and checked once per process). */
export function queries(): QueryInfo[] {
  return loadPack().queries.map(info);
}

/** One investigation by id; throws UnknownQueryError. */
export function getQuery(id: string): QueryInfo {
  return info(query(id));
}

/** Parameter values by name; times as ISO-8601 text, `now` or a duration back from now (`7d`), or a Date. */
export type Params = Record<string, string | number | boolean | Date | readonly (string | number)[] | undefined>;

function plainParams(params: Params): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}

/**
 * Validate parameters and render the query's Athena SQL (ready for the Athena console).
 * Throws ParameterError for a value the query refuses, UnknownQueryError for an unknown id.
 */
export function renderQuery(id: string, params: Params = {}, options: { now?: Date } = {}): PreparedQuery {
  return prepareQuery(query(id), plainParams(params), { now: options.now, spell });
}

/** The embedded engine over a local copy of the log bucket. */
export interface DuckdbEngineOptions {
  engine: 'duckdb';
  /** Directory laid out like the bucket: it holds `AWSLogs/`. */
  lake: string;
  /** DuckDB worker threads (default: all cores). */
  threads?: number;
  /** The lake's Parquet store (default `<lake>.store`, used when it covers a query's window); false reads only the raw lake. */
  store?: string | false;
}

/** Amazon Athena, with credentials and region from the standard AWS chain unless given. */
export type AthenaEngineOptions = { engine: 'athena' } & Partial<AthenaSettings> &
  Partial<AwsSettings> & {
    /** USD per TB scanned, for the cost in the statistics (default 5). */
    pricePerTb?: number;
    /** Time limit of each AWS call in ms (default 30 s). */
    timeoutMs?: number;
    /** Retries of a failed AWS call (default 5). */
    retries?: number;
  };

export type EngineOptions = DuckdbEngineOptions | AthenaEngineOptions;

const engineSources = new WeakMap<Engine, EngineInfo>();

/** Open an engine; close it with `engine.close()` when done. */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  if (options.engine === 'duckdb') {
    const lake = resolve(options.lake ?? '');
    if (!options.lake || !existsSync(lake) || !statSync(lake).isDirectory())
      throw new UsageError(`lake directory ${options.lake ?? '(none given)'} does not exist`);
    if (!existsSync(join(lake, 'AWSLogs')))
      throw new UsageError(
        `lake directory ${options.lake} has no AWSLogs/ folder: give the directory that holds the copy of the log bucket`,
      );
    const { DuckdbEngine } = await import('./engines/duckdb/engine.js');
    const engine = new DuckdbEngine({ lake, threads: options.threads, store: options.store });
    engineSources.set(engine, { name: 'duckdb', lake });
    return engine;
  }
  if (options.engine === 'athena') {
    const { engine: _name, region, profile, endpointUrl, timeoutMs, retries, ...rest } = options;
    const { createAthenaEngine } = await import('./engines/athena/create.js');
    const athena: AthenaSettings = {
      ...rest,
      database: rest.database ?? DEFAULT_DATABASE,
      catalog: rest.catalog,
      workgroup: rest.workgroup,
      outputLocation: rest.outputLocation,
      pricePerTb: rest.pricePerTb ?? ATHENA_PRICE_PER_TB_USD,
    };
    const aws: AwsSettings = { region, profile, endpointUrl, timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS, retries: retries ?? 5 };
    const engine = await createAthenaEngine({ athena, aws });
    const source: EngineInfo = { name: 'athena' };
    for (const key of ['catalog', 'database', 'workgroup', 'outputLocation'] as const) if (athena[key]) source[key] = athena[key];
    if (region) source.region = region;
    engineSources.set(engine, source);
    return engine;
  }
  throw new UsageError(`unknown engine "${(options as { engine?: unknown }).engine}": use "duckdb" or "athena"`);
}

export interface RunQueryOptions {
  engine: Engine;
  /** The instant relative times (`7d`, `now`) count from (default: now). */
  now?: Date;
  /** Abort to cancel the query (on Athena, it is stopped). */
  signal?: AbortSignal;
  /** Progress lines (state, elapsed time, data scanned). */
  onProgress?: (message: string) => void;
}

export interface QueryRun {
  prepared: PreparedQuery;
  result: QueryResult;
}

/** Validate, render and run one investigation. */
export async function runQuery(id: string, params: Params, options: RunQueryOptions): Promise<QueryRun> {
  const q = query(id);
  const prepared = prepareQuery(q, plainParams(params), { now: options.now, spell });
  return { prepared, result: await runPrepared(options.engine, prepared, options) };
}

export interface QueryStream {
  prepared: PreparedQuery;
  stream: RowStream;
}

/** The same as runQuery, with the rows read batch by batch (`for await (const rows of stream.pages())`). */
export async function streamQuery(id: string, params: Params, options: RunQueryOptions): Promise<QueryStream> {
  const prepared = prepareQuery(query(id), plainParams(params), { now: options.now, spell });
  return { prepared, stream: await streamPrepared(options.engine, prepared, options) };
}

/** A result as text: table, csv, json, ndjson or markdown (what the CLI prints). */
export function formatResult(result: QueryResult, format: Format): string {
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`unknown format "${String(format)}": use ${FORMATS.join(', ')}`);
  return formatAs(result, format);
}

/** The shipped evidence reports' names (each also runs by the path of a report YAML file of your own). */
export function reports(): string[] {
  return reportNames();
}

export interface RunReportOptions {
  engine: Engine;
  /** `2024-01` (a month), `2024-Q1`, `2024` or `FROM..TO`; UTC, FROM included, TO excluded. */
  period: string;
  /** Write the bundle here (a new or empty directory); without it nothing is written. */
  out?: string;
  /** Replace an earlier bundle in `out` (never any other directory). */
  replace?: boolean;
  /** Resolves a report path (default: the process's working directory). */
  cwd?: string;
  signal?: AbortSignal;
  /** One line per section as it starts and ends. */
  onProgress?: (message: string) => void;
  /** The generation time recorded in the manifest (default: now). */
  now?: Date;
  /**
   * Local lake: a file with the output of `aws cloudtrail list-public-keys`, to validate
   * the period's CloudTrail log files into the manifest's `logIntegrity` (without it, that
   * records that the signatures were not checked).
   */
  publicKeys?: string;
}

export interface ReportOutcome {
  run: ReportRun;
  manifest: Manifest;
  /** The bundle's files by relative path (what `out` holds when given). */
  files: Map<string, string>;
  /** The bundle directory written, when `out` was given. */
  dir?: string;
  /** SHA-256 of manifest.json: record it to prove later that a bundle is this one. */
  manifestSha256: string;
  /** Queries of the sections that failed (the bundle records each failure). */
  failedSections: string[];
  /** Whether the data covers every day of the period (`partial`: see each section's `coverage` in the manifest; `unchecked` on Athena). */
  coverage: Manifest['coverage'];
}

function checkTarget(out: string, replace: boolean): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`report output ${out} exists and is not a directory`);
  if (isBundle(out)) {
    if (!replace) throw new UsageError(`report output ${out} holds an earlier bundle; pass replace: true to replace it`);
    return;
  }
  if (!isEmptyDirectory(out))
    throw new UsageError(`report output ${out} is not empty and is not a casebook bundle; refusing to write into it`);
}

function isEmptyDirectory(dir: string): boolean {
  return readdirSync(dir).length === 0;
}

/**
 * Run an evidence report (a shipped one by name, or a YAML file by path) for a period;
 * with `out`, write the verifiable bundle there. A failed section does not throw: it is
 * recorded in the bundle and listed in `failedSections`.
 */
export async function runReport(nameOrPath: string, options: RunReportOptions): Promise<ReportOutcome> {
  const report = loadReport(nameOrPath, { cwd: options.cwd });
  let period: Period;
  try {
    period = parsePeriod(options.period, options.now ?? new Date());
  } catch (err) {
    throw new UsageError(`period: ${(err as Error).message.replace(/^--period:?\s*/, '')}`);
  }
  const out = options.out === undefined ? undefined : resolve(options.cwd ?? process.cwd(), options.out);
  if (out) checkTarget(out, Boolean(options.replace));
  const lake = engineSources.get(options.engine)?.lake;
  if (options.publicKeys && !lake)
    throw new UsageError(
      "publicKeys validates a local lake's log files; this engine reads none (validate the bucket with casebook validate-logs)",
    );
  const keys = options.publicKeys ? publicKeysFromFile(resolve(options.cwd ?? process.cwd(), options.publicKeys)) : undefined;
  const run = await runReportSections(report, period, {
    engine: options.engine,
    signal: options.signal,
    onProgress: options.onProgress,
    coverage: lake ? lakeCoverageProbe(lake) : undefined,
  });
  const logIntegrity = lake ? await lakeIntegrityEvidence({ lake, window: period, keys, signal: options.signal }) : undefined;
  const { files, manifest } = bundleFiles(
    run,
    {
      version: VERSION,
      engine: engineSources.get(options.engine) ?? { name: options.engine.name },
      generatedAt: options.now ?? new Date(),
      generatedBy: whoRan(),
      logIntegrity,
    },
    sourceName(report.file),
  );
  const dir = out ? writeBundle(out, files, { force: options.replace }) : undefined;
  return {
    run,
    manifest,
    files,
    dir,
    manifestSha256: sha256(files.get(MANIFEST)!),
    failedSections: manifest.sections.filter((s) => s.status === 'failed').map((s) => s.query),
    coverage: manifest.coverage,
  };
}

/** A shipped report by its path in the package (as the CLI records it), any other by its absolute path. */
function sourceName(file: string): string {
  const rel = relative(projectRoot(), file);
  return rel.startsWith('..') ? file : rel;
}

function whoRan(): string | undefined {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return undefined;
  }
}

/** Re-hash every file of a bundle against its manifest. Throws NotABundleError for a directory that is not one. */
export async function verifyBundle(dir: string): Promise<VerifyResult> {
  return verifyBundleDir(resolve(dir));
}

/** Write a deterministic sample lake (CloudTrail and flow logs in the S3 layout, with planted incidents). */
export async function writeSampleLake(options: SampleOptions): Promise<SampleSummary> {
  if (!options.out) throw new CasebookError('writeSampleLake needs out: the directory to write');
  const { generateSampleLake } = await import('./sample/generate.js');
  return generateSampleLake({ ...options, out: resolve(options.out) });
}
