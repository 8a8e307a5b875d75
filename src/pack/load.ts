import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from '../paths.js';
import { QueryMetaSchema, type QueryMeta } from './schema.js';
import { WINDOW_PARAMS } from './builtin-params.js';
import { compileTemplate, registerPartials, templatePartials, templateVariables, type CompiledTemplate } from '../render/render.js';
import type { ParamSpec } from '../params/types.js';

export interface Query extends QueryMeta {
  /** Folder under queries/: the question group. */
  group: string;
  /** Own parameters plus since/until. */
  allParams: Record<string, ParamSpec>;
  sqlFile: string;
  metaFile: string;
  template: string;
  render: CompiledTemplate;
}

export class PackError extends Error {}

/** Query metadata files: `*.yaml` except the test cases (`*.test.yaml`), which only the tests read. */
function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!name.startsWith('_')) out.push(...listYaml(p));
    }
    else if (name.endsWith('.yaml') && !name.endsWith('.test.yaml')) out.push(p);
  }
  return out;
}

/** Load and check one query from its metadata file and the SQL template beside it. */
export function loadQueryFile(metaFile: string, root: string): Query {
  return makeQuery(checkQueryFile(metaFile, root));
}

function checkQueryFile(metaFile: string, root: string): CheckedQuery {
  const rel = relative(root, metaFile);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(metaFile, 'utf8'), { merge: true });
  } catch (err) {
    throw new PackError(`${rel}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = QueryMetaSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PackError(`${rel}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  const meta = parsed.data;
  const fileId = basename(metaFile, '.yaml');
  if (meta.id !== fileId) throw new PackError(`${rel}: id "${meta.id}" does not match the file name "${fileId}"`);
  for (const reserved of Object.keys(WINDOW_PARAMS)) {
    if (reserved in meta.params) throw new PackError(`${rel}: parameter "${reserved}" is built in; do not declare it`);
  }
  const sqlFile = metaFile.replace(/\.yaml$/, '.sql');
  let template: string;
  try {
    template = readFileSync(sqlFile, 'utf8');
  } catch {
    throw new PackError(`${rel}: no SQL template ${relative(root, sqlFile)}`);
  }
  const allParams: Record<string, ParamSpec> = { ...meta.params, ...WINDOW_PARAMS };
  let used: Set<string>;
  const included: string[] = [];
  try {
    used = new Set([...templateVariables(template), ...partialVariables(template, relative(root, sqlFile), included)]);
  } catch (err) {
    throw new PackError(`${relative(root, sqlFile)}: ${(err as Error).message.split('\n')[0]}`);
  }
  for (const name of used) {
    if (!(name in allParams)) throw new PackError(`${relative(root, sqlFile)}: uses {{${name}}}, which is not a declared parameter`);
  }
  for (const name of Object.keys(meta.params)) {
    if (!used.has(name)) throw new PackError(`${rel}: parameter "${name}" is declared but the template never uses it`);
  }
  // The SQL as rendered reads what the template and the partials it includes say.
  const fullText = [template, ...included].join('\n');
  for (const t of meta.tables) {
    if (!new RegExp(`\\b${t}\\b`).test(fullText)) throw new PackError(`${rel}: table ${t} is declared but the template never reads it`);
    if (!new RegExp(`\\{\\{\\s*(window|partition_filter)\\s+"${t}"`).test(fullText)) {
      throw new PackError(`${relative(root, sqlFile)}: reads ${t} without a partition predicate ({{window "${t}"}})`);
    }
  }
  const group = relative(join(root, 'queries'), metaFile).split(/[\\/]/).slice(0, -1).join('/') || 'general';
  return { meta, group, sqlFile, metaFile, template };
}

/** A validated query, before its template is compiled. */
interface CheckedQuery {
  meta: QueryMeta;
  group: string;
  sqlFile: string;
  metaFile: string;
  template: string;
}

function makeQuery(c: CheckedQuery): Query {
  const allParams: Record<string, ParamSpec> = { ...c.meta.params, ...WINDOW_PARAMS };
  // Compiled on first use: listing the pack need not compile every template.
  let compiled: CompiledTemplate | undefined;
  const render: CompiledTemplate = (context) => (compiled ??= compileTemplate(c.template))(context);
  return { ...c.meta, group: c.group, allParams, sqlFile: c.sqlFile, metaFile: c.metaFile, template: c.template, render };
}

export interface Pack {
  queries: Query[];
  byId: Map<string, Query>;
}

let cached: Pack | undefined;

/** Parameters and nested partials of each shared fragment, by name. */
const partialInfo = new Map<string, { vars: Set<string>; partials: Set<string>; text: string }>();

/**
 * Register `queries/_partials/*.sql`. A partial may read parameters; every query that
 * includes it (directly or through another partial) must then declare them.
 */
export function loadPartials(root: string): Record<string, string> {
  const dir = join(root, 'queries', '_partials');
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.sql'));
  } catch {
    return {};
  }
  const partials: Record<string, string> = {};
  partialInfo.clear();
  for (const n of names) {
    const sql = readFileSync(join(dir, n), 'utf8');
    const name = basename(n, '.sql');
    try {
      partialInfo.set(name, { vars: templateVariables(sql), partials: templatePartials(sql), text: sql });
    } catch (err) {
      throw new PackError(`queries/_partials/${n}: ${(err as Error).message.split('\n')[0]}`);
    }
    partials[name] = sql;
  }
  registerPartials(partials);
  return partials;
}

/** Parameters a template reads through the partials it includes, recursively, and their text. */
function partialVariables(template: string, file: string, texts: string[] = []): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (names: Set<string>) => {
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      const info = partialInfo.get(name);
      if (!info) throw new PackError(`${file}: includes {{> ${name}}}, which is not a file in queries/_partials/`);
      info.vars.forEach((v) => out.add(v));
      texts.push(info.text);
      visit(info.partials);
    }
  };
  visit(templatePartials(template));
  return out;
}

export function loadPack(root = projectRoot()): Pack {
  if (cached && root === projectRoot()) return cached;
  loadPartials(root);
  const queries = listYaml(join(root, 'queries')).map((f) => makeQuery(checkQueryFile(f, root)));
  const byId = new Map<string, Query>();
  for (const q of queries) {
    const prior = byId.get(q.id);
    if (prior) throw new PackError(`query id "${q.id}" is defined twice: ${relative(root, prior.metaFile)} and ${relative(root, q.metaFile)}`);
    byId.set(q.id, q);
  }
  queries.sort((a, b) => a.group.localeCompare(b.group) || a.id.localeCompare(b.id));
  const pack = { queries, byId };
  if (root === projectRoot()) cached = pack;
  return pack;
}
