import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileStamp, packageCacheDir, readCacheFile, writeCacheFile } from '../cache-dir.js';
import { readYamlCached, yamlCacheFile, flushYamlCache } from '../pack/yaml-cache.js';
import type * as Zod from 'zod';
import { zod } from '../zod-on-demand.js';
import { parseColumnType, type ColumnType } from './column-types.js';
import { projectRoot } from '../paths.js';

/** The schemas of a table definition (schemas/*.yaml), built when one is checked (src/zod-on-demand.ts). */
function tableSchemas(z: typeof Zod = zod()) {
  const ColumnSchema = z
    .object({
      name: z.string().min(1),
      type: z.string().min(1),
      comment: z.string().optional(),
      since: z.number().int().optional(),
      /** The type in AWS's documented text (delimited) table, where it differs from `type` (the Parquet type). */
      text_type: z.string().optional(),
    })
    .strict();

  /** How the files of one storage format are read: SerDe, input/output format, table properties. */
  const StorageFormatSchema = z
    .object({
      serde: z.string().min(1),
      serde_parameters: z.record(z.string(), z.string()).optional(),
      input_format: z.string().min(1),
      output_format: z.string().min(1),
      table_parameters: z.record(z.string(), z.string()).optional(),
      /** `all`: every column, matched by name (JSON, Parquet); `format`: the flow log's fields, in order (delimited text). */
      columns: z.enum(['all', 'format']),
    })
    .strict();

  const StorageSchema = z
    .object({
      /** Default storage format. */
      default_format: z.enum(['json', 'text', 'parquet']),
      formats: z.partialRecord(z.enum(['json', 'text', 'parquet']), StorageFormatSchema),
      /** Fields of the default (version 2) flow-log format, in order. */
      default_fields: z.string().optional(),
      /** Name of the positional column that holds a dropped field in a delimited text table (a dropped field still occupies its place in the line). */
      dropped_field_columns: z.record(z.string(), z.string()).optional(),
    })
    .strict();

  const TableSchema = z
    .object({
      name: z.string().regex(/^[a-z][a-z0-9_]*$/),
      description: z.string(),
      source: z.enum(['cloudtrail', 'vpcflowlogs']),
      columns: z.array(ColumnSchema).min(1),
      dropped_fields: z.array(z.object({ name: z.string(), reason: z.string() }).strict()).optional(),
      partitions: z.array(ColumnSchema).min(1),
      time: z.object({ column: z.string(), kind: z.enum(['iso8601', 'epoch_seconds']) }).strict(),
      storage: StorageSchema.optional(),
    })
    .strict();
  return { ColumnSchema, StorageFormatSchema, StorageSchema, TableSchema };
}

type Schemas = ReturnType<typeof tableSchemas>;
type ColumnSpec = Zod.infer<Schemas['ColumnSchema']>;

export type StorageFormatName = 'json' | 'text' | 'parquet';

export interface StorageFormat {
  serde: string;
  serdeParameters: Record<string, string>;
  inputFormat: string;
  outputFormat: string;
  tableParameters: Record<string, string>;
  columns: 'all' | 'format';
}

/** How Athena reads a table's files (from the `storage:` block of its schema); where AWS writes them is src/layout/. */
export interface TableStorage {
  defaultFormat: StorageFormatName;
  formats: Partial<Record<StorageFormatName, StorageFormat>>;
  defaultFields?: string[];
  droppedFieldColumns: Record<string, string>;
}

export interface Column {
  /** Table column name: lower case, hyphens turned into underscores. */
  name: string;
  /** The name in the source record: the JSON key or the flow-log field name. */
  sourceName: string;
  type: ColumnType;
  typeText: string;
  comment?: string;
  /** Flow-log format version that introduced the field. */
  since?: number;
  /** Type in AWS's documented delimited-text table, where it differs from `type`. */
  textType?: ColumnType;
  textTypeText?: string;
}

export interface TableDefinition {
  name: string;
  description: string;
  source: 'cloudtrail' | 'vpcflowlogs';
  columns: Column[];
  droppedFields: { name: string; reason: string }[];
  partitions: Column[];
  time: { column: string; kind: 'iso8601' | 'epoch_seconds' };
  /** Storage layout and formats; absent for a table that only exists locally. */
  storage?: TableStorage;
  file: string;
}

export function columnName(sourceName: string): string {
  return sourceName.toLowerCase().replace(/-/g, '_');
}

function toColumn(c: ColumnSpec, file: string): Column {
  let type: ColumnType;
  try {
    type = parseColumnType(c.type);
  } catch (err) {
    throw new Error(`${file}: column ${c.name}: ${(err as Error).message}`);
  }
  let textType: ColumnType | undefined;
  if (c.text_type !== undefined) {
    try {
      textType = parseColumnType(c.text_type);
    } catch (err) {
      throw new Error(`${file}: column ${c.name}: text_type: ${(err as Error).message}`);
    }
  }
  const col: Column = { name: columnName(c.name), sourceName: c.name, type, typeText: c.type, comment: c.comment, since: c.since };
  if (textType) {
    col.textType = textType;
    col.textTypeText = c.text_type;
  }
  return col;
}

function toStorage(s: Zod.infer<Schemas['StorageSchema']>, file: string): TableStorage {
  const formats: Partial<Record<StorageFormatName, StorageFormat>> = {};
  for (const [name, f] of Object.entries(s.formats) as [StorageFormatName, Zod.infer<Schemas['StorageFormatSchema']>][]) {
    formats[name] = {
      serde: f.serde,
      serdeParameters: f.serde_parameters ?? {},
      inputFormat: f.input_format,
      outputFormat: f.output_format,
      tableParameters: f.table_parameters ?? {},
      columns: f.columns,
    };
  }
  if (!formats[s.default_format]) throw new Error(`${file}: storage.default_format ${s.default_format} is not one of storage.formats`);
  return {
    defaultFormat: s.default_format,
    formats,
    defaultFields: s.default_fields?.trim().split(/\s+/),
    droppedFieldColumns: s.dropped_field_columns ?? {},
  };
}

let schemas: Schemas | undefined;

export function loadTableFile(file: string): TableDefinition {
  const raw = readYamlCached(file, yamlCacheFile(projectRoot()));
  schemas ??= tableSchemas();
  const parsed = schemas.TableSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const d = parsed.data;
  const table: TableDefinition = {
    name: d.name,
    description: d.description,
    source: d.source,
    columns: d.columns.map((c) => toColumn(c, file)),
    droppedFields: d.dropped_fields ?? [],
    partitions: d.partitions.map((c) => toColumn(c, file)),
    time: d.time,
    file,
  };
  if (d.storage) table.storage = toStorage(d.storage, file);
  const seen = new Set<string>();
  for (const c of [...table.columns, ...table.partitions]) {
    if (seen.has(c.name)) throw new Error(`${file}: column ${c.name} is defined twice`);
    seen.add(c.name);
  }
  if (!seen.has(table.time.column)) throw new Error(`${file}: time column ${table.time.column} is not a column`);
  return table;
}

let cache: Map<string, TableDefinition> | undefined;

/**
 * The checked table definitions, kept as JSON beside the pack cache (src/cache-dir.ts)
 * while every file in schemas/ and this code are unchanged, so that rendering a query
 * neither parses YAML nor loads zod.
 */
const TABLES_CACHE_FORMAT = 'casebook-tables/1';

interface TablesCache {
  format: string;
  fingerprint: string;
  tables: TableDefinition[];
}

/** Every table definition in `schemas/`, by name. */
export function loadTables(dir = join(projectRoot(), 'schemas')): Map<string, TableDefinition> {
  const packaged = dir === join(projectRoot(), 'schemas');
  if (cache && packaged) return cache;
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort();
  const cacheFile = join(packageCacheDir(projectRoot()), 'tables.json');
  const fingerprint = packaged ? [fileURLToPath(import.meta.url), ...files.map((f) => join(dir, f))].map(fileStamp).join('|') : '';
  const hit = packaged ? readCacheFile<TablesCache>(cacheFile, TABLES_CACHE_FORMAT) : undefined;
  let list = hit?.fingerprint === fingerprint ? hit.tables : undefined;
  if (!list) {
    list = files.map((f) => loadTableFile(join(dir, f)));
    flushYamlCache();
    if (packaged) writeCacheFile(cacheFile, { format: TABLES_CACHE_FORMAT, fingerprint, tables: list } satisfies TablesCache);
  }
  const tables = new Map(list.map((t) => [t.name, t]));
  if (packaged) cache = tables;
  return tables;
}

export function getTable(name: string): TableDefinition {
  const t = loadTables().get(name);
  if (!t) throw new Error(`unknown table ${name}`);
  return t;
}
