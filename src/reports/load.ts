import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CasebookError, UsageError, errorMessage } from '../errors.js';
import { loadPack, type Pack, type Query } from '../pack/load.js';
import { nearest, prepareQuery } from '../pack/prepare.js';
import { WINDOW_PARAMS } from '../pack/builtin-params.js';
import { projectRoot } from '../paths.js';
import { ReportDefSchema, type ChartSpec, type ReportDefinition, type SectionDef } from './definition.js';

/** A report definition that does not hold together: bad YAML, an unknown query, parameter or column. */
export class ReportError extends CasebookError {}

export interface ReportSection {
  /** 1-based position in the report. */
  index: number;
  /** `01-trail-tampering`: the stem of the section's files in a bundle. */
  key: string;
  query: Query;
  title: string;
  purpose: string;
  review: string;
  params: SectionDef['params'];
  charts: ChartSpec[];
}

export interface Report {
  /** File name without extension. */
  name: string;
  /** Absolute path of the definition. */
  file: string;
  /** The definition's bytes as text, and their SHA-256 (hex). */
  text: string;
  sha256: string;
  definition: ReportDefinition;
  sections: ReportSection[];
}

export function reportsDir(root = projectRoot()): string {
  return join(root, 'reports');
}

/** Names of the shipped reports (file names in reports/ without .yaml), sorted. */
export function reportNames(root = projectRoot()): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(reportsDir(root));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.yaml'))
    .map((n) => n.slice(0, -'.yaml'.length))
    .sort();
}

/** A fixed window used only to check parameter values at load time. */
const CHECK_WINDOW = { since: '2000-01-01T00:00:00Z', until: '2000-01-02T00:00:00Z' };

function checkSection(where: string, def: SectionDef, pack: Pack): Query {
  const query = pack.byId.get(def.query);
  if (!query) {
    const hint = nearest(def.query, pack.byId.keys());
    throw new ReportError(
      `${where}.query: unknown query "${def.query}"${hint ? ` (did you mean ${hint}?)` : ''}; \`casebook list\` shows the pack`,
    );
  }
  for (const name of Object.keys(def.params)) {
    const key = name.replace(/-/g, '_');
    if (key in WINDOW_PARAMS) throw new ReportError(`${where}.params.${name}: the report period sets the time window; remove ${name}`);
    if (!(key in query.params)) {
      const hint = nearest(key, Object.keys(query.params));
      throw new ReportError(
        `${where}.params.${name}: query ${query.id} has no parameter "${name}"${hint ? ` (did you mean ${hint}?)` : ''}`,
      );
    }
  }
  try {
    prepareQuery(query, { ...def.params, ...CHECK_WINDOW });
  } catch (err) {
    throw new ReportError(`${where}.params: ${errorMessage(err)}`);
  }
  const charts = def.chart as ChartSpec[];
  charts.forEach((chart, i) => {
    const columns = chart.type === 'bar' ? [...chart.label, chart.value] : [chart.time, chart.value, chart.series];
    for (const c of columns) {
      if (c !== undefined && !query.columns.includes(c)) {
        const hint = nearest(c, query.columns);
        throw new ReportError(
          `${where}.chart${charts.length > 1 ? `.${i}` : ''}: query ${query.id} has no column "${c}"${hint ? ` (did you mean ${hint}?)` : ''}; its columns are ${query.columns.join(', ')}`,
        );
      }
    }
  });
  return query;
}

/** Parse and check a report definition against the pack: every query, parameter and chart column must exist. */
export function parseReport(name: string, file: string, text: string, pack: Pack = loadPack()): Report {
  const shown = relative(process.cwd(), file) || file;
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ReportError(`report ${shown}: not valid YAML: ${errorMessage(err).split('\n')[0]}`);
  }
  const parsed = ReportDefSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportError(`report ${shown}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  const definition = parsed.data;
  const sections = definition.sections.map((def, i): ReportSection => {
    const query = checkSection(`report ${shown}: sections.${i}`, def, pack);
    const index = i + 1;
    return {
      index,
      key: `${String(index).padStart(2, '0')}-${query.id}`,
      query,
      title: def.title ?? query.title,
      purpose: def.purpose ?? query.description.trim(),
      review: def.review.trim(),
      params: def.params,
      charts: def.chart as ChartSpec[],
    };
  });
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { name, file, text, sha256, definition, sections };
}

/**
 * A report by name (`reports/<name>.yaml`), or by path to a YAML file of your own
 * (anything containing a slash or ending in .yaml).
 */
export function loadReport(nameOrPath: string, opts: { cwd?: string; root?: string } = {}): Report {
  const root = opts.root ?? projectRoot();
  let file: string;
  let name: string;
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.yaml') || nameOrPath.endsWith('.yml')) {
    file = resolve(opts.cwd ?? process.cwd(), nameOrPath);
    if (!existsSync(file)) throw new UsageError(`report file ${nameOrPath} does not exist`);
    name = basename(file).replace(/\.ya?ml$/, '');
  } else {
    const names = reportNames(root);
    if (!names.includes(nameOrPath)) {
      const hint = nearest(nameOrPath, names);
      throw new UsageError(`unknown report "${nameOrPath}"${hint ? ` (did you mean ${hint}?)` : ''}; reports: ${names.join(', ')}`);
    }
    name = nameOrPath;
    file = join(reportsDir(root), `${name}.yaml`);
  }
  return parseReport(name, file, readFileSync(file, 'utf8'), loadPack(root));
}

/** Every shipped report, checked. */
export function loadReports(root = projectRoot()): Report[] {
  return reportNames(root).map((n) => loadReport(n, { root }));
}
