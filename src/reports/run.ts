import type { Engine, JsonValue, ResultColumn, Row, RunStats } from '../engines/engine.js';
import { CasebookError, errorMessage, firstLine } from '../errors.js';
import { isoSeconds } from '../params/time.js';
import { prepare, runPrepared } from '../pipeline.js';
import type { Report, ReportSection } from './load.js';
import type { Period } from './period.js';
import { coverageShort, isPartial, uncheckedCoverage, type CoverageProbe, type SectionCoverage } from './coverage.js';

export interface SectionRun {
  section: ReportSection;
  /** Rendered Athena SQL ('' when the parameters did not validate). */
  sql: string;
  /** Validated parameters, since/until included. */
  params: Record<string, unknown>;
  status: 'ok' | 'failed';
  error?: string;
  columns: ResultColumn[];
  rows: Row[];
  stats?: RunStats;
  startedAt: Date;
  finishedAt: Date;
  /** The query's `limit` parameter, when the result has exactly that many rows (there may be more). */
  limitReached?: number;
  /** The days of the period the section's data covers. */
  coverage?: SectionCoverage;
}

export interface ReportRun {
  report: Report;
  period: Period;
  sections: SectionRun[];
  startedAt: Date;
  finishedAt: Date;
}

const FLOAT_TYPES = new Set(['double', 'float', 'real', 'float4', 'float8']);

/**
 * Floating-point sums can differ in their last bits from run to run (parallel
 * aggregation adds in a different order). Twelve significant digits is far past any
 * meaning such a value has (bytes, dollars), and keeps section files byte-identical.
 */
export function stableFloat(v: JsonValue): JsonValue {
  return typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v;
}

/** Rows with their keys in column order (and floats steadied), whatever the engine returned. */
export function orderedRows(columns: ResultColumn[], rows: Row[]): Row[] {
  const floats = new Set(columns.filter((c) => FLOAT_TYPES.has(c.type.toLowerCase())).map((c) => c.name));
  return rows.map((r) => {
    const out: Row = {};
    for (const c of columns) {
      const v = r[c.name] ?? null;
      out[c.name] = floats.has(c.name) ? stableFloat(v) : v;
    }
    return out;
  });
}

export interface RunReportOptions {
  engine: Engine;
  signal?: AbortSignal;
  /** One line per section as it starts and ends. */
  onProgress?: (message: string) => void;
  now?: () => Date;
  /** Finds the days of the period each section's data covers (default: not checked). */
  coverage?: CoverageProbe;
}

async function runSection(section: ReportSection, period: Period, opts: RunReportOptions): Promise<SectionRun> {
  const clock = opts.now ?? (() => new Date());
  const startedAt = clock();
  const window = { since: isoSeconds(period.since), until: isoSeconds(period.until) };
  const declared: ResultColumn[] = section.query.columns.map((name) => ({ name, type: '' }));
  let sql = '';
  let params: Record<string, unknown> = { ...section.params, ...window };
  let coverage: SectionCoverage;
  try {
    coverage = opts.coverage ? opts.coverage(section.query.tables, period) : uncheckedCoverage(period, 'not checked on this engine');
  } catch (err) {
    coverage = uncheckedCoverage(period, `not checked: ${firstLine(errorMessage(err))}`);
  }
  try {
    const prepared = prepare(section.query, { ...section.params, ...window }, { now: startedAt });
    sql = prepared.sql;
    params = prepared.params;
    if (coverage.checked && coverage.covered.length === 0) {
      throw new CasebookError(
        `the ${coverage.source ?? 'data'} holds no ${section.query.tables.join(' or ')} log files for any day of the period ${period.spec}${coverage.available ? `; the data holds ${coverage.available}: choose a --period within it` : ''} (a month such as 2024-05, FROM..TO, or last-7d)`,
      );
    }
    const result = await runPrepared(opts.engine, prepared, {
      signal: opts.signal,
      // The local engine's live progress is for a terminal line; a report prints a line per section instead.
      onProgress: opts.onProgress && opts.engine.name !== 'duckdb' ? (m) => opts.onProgress!(`  ${m}`) : undefined,
    });
    const limit = typeof params.limit === 'number' ? params.limit : undefined;
    return {
      section,
      sql,
      params,
      status: 'ok',
      columns: result.columns,
      rows: orderedRows(result.columns, result.rows),
      stats: result.stats,
      startedAt,
      finishedAt: clock(),
      limitReached: limit !== undefined && result.rows.length >= limit ? limit : undefined,
      coverage,
    };
  } catch (err) {
    if (opts.signal?.aborted) throw new CasebookError('report cancelled; no bundle written');
    return {
      section,
      sql,
      params,
      status: 'failed',
      error: firstLine(errorMessage(err)),
      columns: declared,
      rows: [],
      startedAt,
      finishedAt: clock(),
      coverage,
    };
  }
}

/** Run every section of a report over the period, one after the other; a failed section is recorded, not thrown. */
export async function runReport(report: Report, period: Period, opts: RunReportOptions): Promise<ReportRun> {
  const clock = opts.now ?? (() => new Date());
  const startedAt = clock();
  const sections: SectionRun[] = [];
  const n = report.sections.length;
  for (const section of report.sections) {
    if (opts.signal?.aborted) throw new CasebookError('report cancelled; no bundle written');
    opts.onProgress?.(`[${section.index}/${n}] ${section.query.id} ...`);
    const run = await runSection(section, period, opts);
    const secs = ((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(2);
    opts.onProgress?.(
      run.status === 'ok'
        ? `[${section.index}/${n}] ${section.query.id}: ${run.rows.length} row${run.rows.length === 1 ? '' : 's'}, ${secs} s${isPartial(run.coverage) ? `; PARTIAL: ${coverageShort(run.coverage!)}` : ''}`
        : `[${section.index}/${n}] ${section.query.id}: FAILED: ${run.error}`,
    );
    sections.push(run);
  }
  return { report, period, sections, startedAt, finishedAt: clock() };
}
