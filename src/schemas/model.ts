import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseColumnType, type ColumnType } from './types.js';
import { projectRoot } from '../paths.js';

const ColumnSchema = z.object({
  name: z.string().min(1),
  type: z.string().min(1),
  comment: z.string().optional(),
  since: z.number().int().optional(),
}).strict();

const TableSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  description: z.string(),
  source: z.enum(['cloudtrail', 'vpcflowlogs']),
  columns: z.array(ColumnSchema).min(1),
  dropped_fields: z.array(z.object({ name: z.string(), reason: z.string() }).strict()).optional(),
  partitions: z.array(ColumnSchema).min(1),
  time: z.object({ column: z.string(), kind: z.enum(['iso8601', 'epoch_seconds']) }).strict(),
}).strict();

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
}

export interface TableDefinition {
  name: string;
  description: string;
  source: 'cloudtrail' | 'vpcflowlogs';
  columns: Column[];
  droppedFields: { name: string; reason: string }[];
  partitions: Column[];
  time: { column: string; kind: 'iso8601' | 'epoch_seconds' };
  file: string;
}

export function columnName(sourceName: string): string {
  return sourceName.toLowerCase().replace(/-/g, '_');
}

function toColumn(c: z.infer<typeof ColumnSchema>, file: string): Column {
  let type: ColumnType;
  try {
    type = parseColumnType(c.type);
  } catch (err) {
    throw new Error(`${file}: column ${c.name}: ${(err as Error).message}`);
  }
  return { name: columnName(c.name), sourceName: c.name, type, typeText: c.type, comment: c.comment, since: c.since };
}

export function loadTableFile(file: string): TableDefinition {
  const raw = parseYaml(readFileSync(file, 'utf8'));
  const parsed = TableSchema.safeParse(raw);
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
  const seen = new Set<string>();
  for (const c of [...table.columns, ...table.partitions]) {
    if (seen.has(c.name)) throw new Error(`${file}: column ${c.name} is defined twice`);
    seen.add(c.name);
  }
  if (!seen.has(table.time.column)) throw new Error(`${file}: time column ${table.time.column} is not a column`);
  return table;
}

let cache: Map<string, TableDefinition> | undefined;

/** Every table definition in `schemas/`, by name. */
export function loadTables(dir = join(projectRoot(), 'schemas')): Map<string, TableDefinition> {
  if (cache && dir === join(projectRoot(), 'schemas')) return cache;
  const tables = new Map<string, TableDefinition>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const t = loadTableFile(join(dir, f));
    tables.set(t.name, t);
  }
  if (dir === join(projectRoot(), 'schemas')) cache = tables;
  return tables;
}

export function getTable(name: string): TableDefinition {
  const t = loadTables().get(name);
  if (!t) throw new Error(`unknown table ${name}`);
  return t;
}
