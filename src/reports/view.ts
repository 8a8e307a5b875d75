import type { RunStats } from '../engines/engine.js';
import { humanBytes } from '../format/format.js';
import { isoSeconds } from '../params/time.js';
import { drawChart, type ChartImage } from './charts.js';
import { periodDays, periodText } from './period.js';
import type { ReportRun, SectionRun } from './run.js';
import { coverageText, dayRanges, isPartial } from './coverage.js';
import type { IntegrityEvidence } from '../validate/evidence.js';

/** Rows shown in index.html and index.md; the section's CSV and JSON hold them all. */
export const PAGE_ROWS = 100;

/** Where the report ran: the engine and its data source, as recorded in the manifest. */
export interface EngineInfo {
  name: string;
  /** duckdb: the lake directory (absolute). */
  lake?: string;
  /** athena: where the tables and results are. */
  database?: string;
  catalog?: string;
  workgroup?: string;
  region?: string;
  outputLocation?: string;
}

export interface BundleInfo {
  version: string;
  engine: EngineInfo;
  generatedAt: Date;
  /** user@host that ran the report. */
  generatedBy?: string;
  /** The CloudTrail log file integrity validation of the period (local lake), or why none was made. */
  logIntegrity?: IntegrityEvidence;
}

export interface SectionFiles {
  csv: string;
  json: string;
  sql: string;
  charts: string[];
}

export interface SectionView {
  run: SectionRun;
  files: SectionFiles;
  charts: ChartImage[];
}

export interface PageView {
  run: ReportRun;
  info: BundleInfo;
  sections: SectionView[];
  failed: SectionView[];
  /** Sections that ran but whose data leaves days of the period uncovered. */
  partial: SectionView[];
  /** The period reaches past the time the report ran: later events are missing. */
  periodOpen: boolean;
}

export function sectionFiles(run: SectionRun): SectionFiles {
  const stem = `sections/${run.section.key}`;
  return {
    csv: `${stem}.csv`,
    json: `${stem}.json`,
    sql: `${stem}.sql`,
    charts: run.section.charts.map((_, i) => `charts/${run.section.key}${run.section.charts.length > 1 ? `-${i + 1}` : ''}.svg`),
  };
}

export function pageView(run: ReportRun, info: BundleInfo): PageView {
  const days = periodDays(run.period);
  const sections = run.sections.map(
    (s): SectionView => ({
      run: s,
      files: sectionFiles(s),
      charts: s.status === 'ok' ? s.section.charts.map((c) => drawChart(s.rows, c, days)) : [],
    }),
  );
  return {
    run,
    info,
    sections,
    failed: sections.filter((s) => s.run.status === 'failed'),
    partial: sections.filter((s) => s.run.status === 'ok' && isPartial(s.run.coverage)),
    periodOpen: run.period.until.getTime() > info.generatedAt.getTime(),
  };
}

export function engineText(e: EngineInfo): string {
  if (e.name === 'duckdb') return `embedded engine (DuckDB) over the local copy of the log bucket at ${e.lake ?? '(unknown)'}`;
  if (e.name === 'athena') {
    const parts = [
      e.catalog && e.catalog !== 'AwsDataCatalog' ? `catalog ${e.catalog}` : undefined,
      e.database ? `database ${e.database}` : undefined,
      e.workgroup ? `workgroup ${e.workgroup}` : undefined,
      e.region ? `region ${e.region}` : undefined,
    ].filter(Boolean);
    return `Amazon Athena${parts.length ? `, ${parts.join(', ')}` : ''}`;
  }
  const rest = Object.entries(e)
    .filter(([k, v]) => k !== 'name' && v !== undefined)
    .map(([k, v]) => `${k} ${v}`);
  return `${e.name}${rest.length ? ` (${rest.join(', ')})` : ''}`;
}

/** `3 rows · 0.42 s · 12 files (1.2 MB) read` */
export function statsText(s: SectionRun): string {
  const secs = ((s.finishedAt.getTime() - s.startedAt.getTime()) / 1000).toFixed(2);
  const parts = [`${s.rows.length.toLocaleString('en-US')} row${s.rows.length === 1 ? '' : 's'}`, `${secs} s`];
  const st: RunStats | undefined = s.stats;
  if (st?.filesRead !== undefined)
    parts.push(`${st.filesRead} log file${st.filesRead === 1 ? '' : 's'} (${humanBytes(st.bytesRead ?? 0)}) read`);
  if (st?.dataScannedBytes !== undefined) parts.push(`${humanBytes(st.dataScannedBytes)} scanned`);
  if (st?.queryExecutionId) parts.push(`execution ${st.queryExecutionId}`);
  return parts.join(' · ');
}

export function periodLine(v: PageView): string {
  return `${v.run.period.spec}: ${periodText(v.run.period)}, UTC`;
}

export function generatedLine(v: PageView): string {
  return `${isoSeconds(new Date(Math.floor(v.info.generatedAt.getTime() / 1000) * 1000))}${v.info.generatedBy ? ` by ${v.info.generatedBy}` : ''} with casebook ${v.info.version}`;
}

export function statusLine(v: PageView): string {
  const n = v.sections.length;
  if (v.failed.length === 0 && v.partial.length === 0) {
    const unchecked = v.sections.some((s) => !s.run.coverage?.checked);
    return `All ${n} section${n === 1 ? '' : 's'} ran${unchecked ? '' : ' with data for every day of the period'}.`;
  }
  if (v.failed.length === 0)
    return `All ${n} section${n === 1 ? '' : 's'} ran, but ${v.partial.length} ${v.partial.length === 1 ? 'has' : 'have'} no data for part of the period: ${v.partial.map((s) => s.run.section.query.id).join(', ')}. This report is incomplete.`;
  return `${v.failed.length} of ${n} section${n === 1 ? '' : 's'} FAILED: ${v.failed.map((s) => s.run.section.query.id).join(', ')}. This report is incomplete.`;
}

/** Parameters worth showing (the window is in the header). */
export function shownParams(s: SectionRun): [string, unknown][] {
  return Object.entries(s.params).filter(([k]) => k !== 'since' && k !== 'until');
}

export function paramText(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  if (Array.isArray(v)) return v.length ? v.map(String).join(', ') : '(none)';
  return String(v);
}

export function truncationNote(s: SectionView): string | undefined {
  const n = s.run.rows.length;
  const notes: string[] = [];
  if (n > PAGE_ROWS)
    notes.push(`Showing the first ${PAGE_ROWS} of ${n.toLocaleString('en-US')} rows; all rows are in ${s.files.csv} and ${s.files.json}.`);
  if (s.run.limitReached !== undefined)
    notes.push(
      `The query stopped at its limit of ${s.run.limitReached.toLocaleString('en-US')} rows: there may be more. Raise the section's limit parameter in the report definition to see them all.`,
    );
  return notes.length ? notes.join(' ') : undefined;
}

/** `Data: ...` for a section, or undefined when coverage is unknown. */
export function coverageLine(s: SectionRun): string | undefined {
  return s.coverage ? `Data: ${coverageText(s.coverage)}` : undefined;
}

/** The warning of a report whose period is partly uncovered, or undefined. */
export function partialWarning(v: PageView): string | undefined {
  if (v.partial.length === 0) return undefined;
  const missing = [...new Set(v.partial.flatMap((s) => s.run.coverage!.missing))];
  return `WARNING: the data does not cover the whole period: ${v.partial.length} of ${v.sections.length} sections lack data for some of its ${v.partial[0]!.run.coverage!.days} days (${dayRanges(missing)} in at least one). No data is not evidence that nothing happened on those days.`;
}

/** `Log file integrity: ...` for the page and index.md, or undefined when the report made no such check (Athena). */
export function integrityLine(v: PageView): string | undefined {
  const e = v.info.logIntegrity;
  if (!e) return undefined;
  const trails = [...new Set((e.chains ?? []).map((c) => c.trail))];
  const extra = [
    trails.length ? `trail${trails.length === 1 ? '' : 's'} ${trails.join(', ')}` : undefined,
    e.publicKeys ? `public keys from ${e.publicKeys}` : undefined,
  ].filter(Boolean);
  const problems =
    e.status === 'problems' && e.problems?.length
      ? `; first problem: ${e.problems[0]!.key} ${e.problems[0]!.status}${e.problems[0]!.detail ? ` (${e.problems[0]!.detail})` : ''}; all are listed by casebook validate-logs`
      : '';
  return `Log file integrity: ${e.summary}${extra.length ? ` (${extra.join('; ')})` : ''}${e.reason ? `; ${e.reason}` : ''}${problems}`;
}
