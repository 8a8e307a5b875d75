import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flushYamlCache, readYamlCached, yamlCacheFile } from './yaml-cache.js';
import { projectRoot } from '../paths.js';
import { fileStamp, packageCacheDir, readCacheFile, writeCacheFile } from '../cache-dir.js';
import { queryMetaSchema, type QueryMeta } from './query-meta.js';
import { WINDOW_PARAMS } from './builtin-params.js';
import { compileTemplate, registerPartials, templatePartials, templateVariables, type CompiledTemplate } from '../render/render.js';
import type { ParamSpec } from '../params/types.js';
import { namesTable, templateTags } from '../sql/lexer.js';
import { divergentForms } from './trino-forms.js';

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
    } else if (name.endsWith('.yaml') && !name.endsWith('.test.yaml')) out.push(p);
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
    raw = readYamlCached(metaFile, yamlCacheFile(root));
  } catch (err) {
    throw new PackError(`${rel}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = queryMetaSchema().safeParse(raw);
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
    if (!namesTable(fullText, t, { template: true })) throw new PackError(`${rel}: table ${t} is declared but the template never reads it`);
    if (!templateTags(fullText).some((tag) => new RegExp(`^\\{\\{\\s*(window|partition_filter)\\s+"${t}"`).test(tag))) {
      throw new PackError(`${relative(root, sqlFile)}: reads ${t} without a partition predicate ({{window "${t}"}})`);
    }
  }
  const divergent = divergentForms(fullText, { template: true });
  if (divergent.length) throw new PackError(`${relative(root, sqlFile)}: ${divergent[0]}`);
  const group = relative(join(root, 'queries'), metaFile).split(/[\\/]/).slice(0, -1).join('/') || 'general';
  return { meta, group, sqlFile, metaFile, template };
}

/** What the pack cache keeps of a validated query. */
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
  const render: CompiledTemplate = (context) => {
    compiled ??= compileTemplate(c.template);
    return compiled(context);
  };
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
      for (const v of info.vars) out.add(v);
      texts.push(info.text);
      visit(info.partials);
    }
  };
  visit(templatePartials(template));
  return out;
}

export function loadPack(root = projectRoot()): Pack {
  if (cached && root === projectRoot()) return cached;
  const fingerprint = packFingerprint(root);
  const hit = readPackCache(root, fingerprint);
  let checked: CheckedQuery[];
  if (hit) {
    registerPartials(hit.partials);
    checked = hit.queries;
  } else {
    const partials = loadPartials(root);
    checked = listYaml(join(root, 'queries')).map((f) => checkQueryFile(f, root));
    flushYamlCache();
    writePackCache(root, { format: PACK_CACHE_FORMAT, fingerprint, partials, queries: checked });
  }
  const queries = checked.map(makeQuery);
  const byId = new Map<string, Query>();
  for (const q of queries) {
    const prior = byId.get(q.id);
    if (prior)
      throw new PackError(`query id "${q.id}" is defined twice: ${relative(root, prior.metaFile)} and ${relative(root, q.metaFile)}`);
    byId.set(q.id, q);
  }
  // Ids and groups are kebab-case ASCII: code-unit order is the locale's order here, and
  // does not load the collation tables (the first localeCompare: about 10 ms of start-up).
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  queries.sort((a, b) => order(a.group, b.group) || order(a.id, b.id));
  const pack = { queries, byId };
  if (root === projectRoot()) cached = pack;
  return pack;
}

/*
 * The pack cache: the checked pack as JSON in .casebook/cache/ (gitignored; src/cache-dir.ts), used while
 * every file under queries/ (test cases aside: no command reads them) and the checking
 * code itself are unchanged (same paths, sizes and modification times), so `casebook
 * list` and `render` skip YAML parsing and template validation, which without the cache
 * about double their start-up.
 */
const PACK_CACHE_FORMAT = 'casebook-pack-cache/1';

interface PackCache {
  format: string;
  fingerprint: string;
  partials: Record<string, string>;
  queries: CheckedQuery[];
}

function packFingerprint(root: string): string {
  const parts: string[] = [];
  const code = [
    fileURLToPath(import.meta.url),
    fileURLToPath(new URL('./query-meta.js', import.meta.url)),
    fileURLToPath(new URL('../params/types.js', import.meta.url)),
    fileURLToPath(new URL('./trino-forms.js', import.meta.url)),
  ];
  parts.push(...code.map(fileStamp));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (!name.endsWith('.test.yaml')) parts.push(`${relative(root, p)}:${st.size}:${st.mtimeMs}`);
    }
  };
  walk(join(root, 'queries'));
  return parts.join('|');
}

function packCacheFile(root: string): string {
  return join(packageCacheDir(root), 'pack.json');
}

function readPackCache(root: string, fingerprint: string): PackCache | undefined {
  const data = readCacheFile<PackCache>(packCacheFile(root), PACK_CACHE_FORMAT);
  return data?.fingerprint === fingerprint ? data : undefined;
}

function writePackCache(root: string, data: PackCache): void {
  writeCacheFile(packCacheFile(root), data);
}
