import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CasebookError, UsageError, errorMessage } from '../errors.js';
import { formatCsv } from '../format/format.js';
import { isoSeconds } from '../params/time.js';
import { svgFile } from './charts.js';
import { sha256 } from './hash.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { ReportRun, SectionRun } from './run.js';
import { pageView, partialWarning, type BundleInfo, type EngineInfo } from './view.js';
import type { SectionCoverage } from './coverage.js';
import type { IntegrityEvidence } from '../validate/evidence.js';

export const BUNDLE_MANIFEST = 'manifest.json';
/** `sha256sum -c SHA256SUMS` checks the bundle (manifest.json included) without casebook. */
export const SUMS = 'SHA256SUMS';
export const BUNDLE_FORMAT = 'casebook-evidence-bundle/1';
/** The report definition, copied into the bundle as it was run. */
export const DEFINITION = 'report.yaml';

export interface ManifestSection {
  index: number;
  key: string;
  query: string;
  title: string;
  status: 'ok' | 'failed';
  error: string | null;
  sql: string;
  params: Record<string, unknown>;
  columns: { name: string; type: string }[];
  rowCount: number | null;
  /** The query's limit parameter when the result reached it (more rows may exist). */
  limitReached: number | null;
  startedAt: string;
  finishedAt: string;
  elapsedMs: number;
  engine: string | null;
  /** Athena: the query execution id and bytes scanned. */
  queryExecutionId: string | null;
  dataScannedBytes: number | null;
  costUsd: number | null;
  /** Local engine: log files and bytes read. */
  filesRead: number | null;
  bytesRead: number | null;
  /** Log files the section left out (`--skip-bad-files`), each with why. */
  skippedFiles: string[];
  /** The days of the period the section's data covers. */
  coverage: SectionCoverage | null;
  files: string[];
}

export interface Manifest {
  format: string;
  tool: { name: 'casebook'; version: string };
  report: {
    name: string;
    title: string;
    description: string;
    controls: string[];
    /** Where the definition was read from, and its copy in this bundle. */
    source: string;
    file: string;
    sha256: string;
    definition: string;
  };
  period: { spec: string; since: string; until: string; timezone: 'UTC'; end: 'exclusive' };
  engine: EngineInfo;
  generatedAt: string;
  generatedBy: string | null;
  startedAt: string;
  finishedAt: string;
  status: 'ok' | 'failed';
  /** complete: every section has data for every day; partial: some days are uncovered (see each section); unchecked: not known. */
  coverage: 'complete' | 'partial' | 'unchecked';
  /** The warning shown on the page when coverage is partial. */
  coverageWarning: string | null;
  /** Local lake: the CloudTrail log file integrity validation of the period, or why none could be made; null when not checked (Athena). */
  logIntegrity: IntegrityEvidence | null;
  sections: ManifestSection[];
  /** SHA-256 and size of every file in the bundle except manifest.json and SHA256SUMS. */
  files: Record<string, { sha256: string; bytes: number }>;
}

function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function sqlFile(run: ReportRun, s: SectionRun): string {
  return (
    `-- casebook report ${run.report.name}, section ${s.section.index}: ${s.section.query.id}\n` +
    `-- period ${run.period.spec}: ${isoSeconds(run.period.since)} to ${isoSeconds(run.period.until)} (UTC, end excluded)\n` +
    `${s.sql.trimEnd()}\n`
  );
}

/** Every file of the bundle (path relative to the bundle → content), manifest.json and SHA256SUMS included. */
export function bundleFiles(run: ReportRun, info: BundleInfo, source: string): { files: Map<string, string>; manifest: Manifest } {
  const view = pageView(run, info);
  const files = new Map<string, string>();
  files.set(DEFINITION, run.report.text);
  const sections: ManifestSection[] = [];
  for (const sv of view.sections) {
    const s = sv.run;
    const own: string[] = [];
    const put = (path: string, text: string) => {
      files.set(path, text);
      own.push(path);
    };
    if (s.status === 'ok') {
      put(sv.files.csv, formatCsv({ columns: s.columns, rows: s.rows, stats: s.stats! }));
      put(sv.files.json, jsonText(s.rows));
    }
    if (s.sql) put(sv.files.sql, sqlFile(run, s));
    sv.charts.forEach((c, i) => {
      if (c.svg) put(sv.files.charts[i]!, svgFile(c.svg));
    });
    const st = s.stats;
    sections.push({
      index: s.section.index,
      key: s.section.key,
      query: s.section.query.id,
      title: s.section.title,
      status: s.status,
      error: s.error ?? null,
      sql: s.sql,
      params: s.params,
      columns: s.columns.map((c) => ({ name: c.name, type: c.type })),
      rowCount: s.status === 'ok' ? s.rows.length : null,
      limitReached: s.limitReached ?? null,
      startedAt: s.startedAt.toISOString(),
      finishedAt: s.finishedAt.toISOString(),
      elapsedMs: s.finishedAt.getTime() - s.startedAt.getTime(),
      engine: st?.engine ?? null,
      queryExecutionId: st?.queryExecutionId ?? null,
      dataScannedBytes: st?.dataScannedBytes ?? null,
      costUsd: st?.costUsd ?? null,
      filesRead: st?.filesRead ?? null,
      bytesRead: st?.bytesRead ?? null,
      coverage: s.coverage ?? null,
      skippedFiles: (st?.notes ?? [])
        .filter((n) => n.startsWith('skipped bad log file '))
        .map((n) => n.slice('skipped bad log file '.length)),
      files: own.sort(),
    });
  }
  files.set('index.html', renderHtml(view));
  files.set('index.md', renderMarkdown(view));
  const hashes: Manifest['files'] = {};
  for (const path of [...files.keys()].sort()) {
    const text = files.get(path)!;
    hashes[path] = { sha256: sha256(text), bytes: Buffer.byteLength(text) };
  }
  const def = run.report.definition;
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    tool: { name: 'casebook', version: info.version },
    report: {
      name: run.report.name,
      title: def.title,
      description: def.description.trim(),
      controls: def.controls,
      source,
      file: DEFINITION,
      sha256: run.report.sha256,
      definition: run.report.text,
    },
    period: {
      spec: run.period.spec,
      since: isoSeconds(run.period.since),
      until: isoSeconds(run.period.until),
      timezone: 'UTC',
      end: 'exclusive',
    },
    engine: info.engine,
    generatedAt: info.generatedAt.toISOString(),
    generatedBy: info.generatedBy ?? null,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
    status: view.failed.length ? 'failed' : 'ok',
    coverage: view.partial.length ? 'partial' : view.sections.every((sv) => sv.run.coverage?.checked) ? 'complete' : 'unchecked',
    coverageWarning: partialWarning(view) ?? null,
    logIntegrity: info.logIntegrity ?? null,
    sections,
    files: hashes,
  };
  const manifestText = jsonText(manifest);
  files.set(BUNDLE_MANIFEST, manifestText);
  const sums = [...files.keys()]
    .sort()
    .map((p) => `${sha256(files.get(p)!)}  ${p}\n`)
    .join('');
  files.set(SUMS, sums);
  return { files, manifest };
}

/** Is the directory absent or empty? */
function isEmptyDir(dir: string): boolean {
  return readdirSync(dir).length === 0;
}

/** A directory casebook wrote: it holds a manifest of ours. */
export function isBundle(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, BUNDLE_MANIFEST), 'utf8')) as { format?: unknown };
    return typeof m.format === 'string' && m.format.startsWith('casebook-evidence-bundle/');
  } catch {
    return false;
  }
}

/**
 * Check, before any query runs, that the bundle may be written to `out`: absent or an
 * empty directory; with `force`, also an earlier bundle (never any other directory).
 */
export function checkOut(out: string, force: boolean): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out} exists and is not a directory`);
  if (isEmptyDir(out)) return;
  if (!force) throw new UsageError(`--out ${out} is not empty; choose a new directory, or add --force to replace the bundle in it`);
  if (!isBundle(out))
    throw new UsageError(
      `--out ${out} is not empty and is not a casebook bundle (no ${BUNDLE_MANIFEST}); refusing to replace it, even with --force`,
    );
  const foreign = foreignFiles(out);
  if (foreign.length) {
    throw new UsageError(
      `--out ${out} holds ${foreign.length} file${foreign.length === 1 ? '' : 's'} the earlier bundle did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); --force replaces only casebook's own files: move them out first`,
    );
  }
}

/** Files in an earlier bundle that its manifest does not list (a signature, review notes): never deleted by --force. */
function foreignFiles(out: string): string[] {
  let listed: Set<string>;
  try {
    const m = JSON.parse(readFileSync(join(out, BUNDLE_MANIFEST), 'utf8')) as { files?: Record<string, unknown> };
    listed = new Set([...Object.keys(m.files ?? {}), BUNDLE_MANIFEST, SUMS]);
  } catch {
    listed = new Set([BUNDLE_MANIFEST, SUMS]);
  }
  const found: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(dir, e.name), rel);
      else if (!listed.has(rel)) found.push(rel);
    }
  };
  walk(out, '');
  return found.sort();
}

/**
 * Write the bundle into a temporary directory beside `out`, then rename it into place,
 * so `out` never holds a half-written bundle. With `force`, an earlier bundle is renamed
 * away first and deleted once the new one is in place.
 */
export function writeBundle(out: string, files: Map<string, string>, opts: { force?: boolean } = {}): string {
  const target = resolve(out);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  checkOut(target, Boolean(opts.force));
  const tmp = mkdtempSync(join(parent, `.${basename(target)}.partial-`));
  let old: string | undefined;
  try {
    for (const [path, text] of files) {
      const file = join(tmp, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    if (existsSync(target)) {
      checkOut(target, Boolean(opts.force));
      if (isEmptyDir(target)) rmdirSync(target);
      else {
        old = join(parent, `.${basename(target)}.old-${randomBytes(4).toString('hex')}`);
        renameSync(target, old);
      }
    }
    try {
      renameSync(tmp, target);
    } catch (err) {
      if (old) renameSync(old, target);
      old = undefined;
      throw err;
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (err instanceof CasebookError) throw err;
    throw new CasebookError(`cannot write the bundle to ${out}: ${errorMessage(err)}`, { cause: err });
  }
  if (old) rmSync(old, { recursive: true, force: true });
  return target;
}
