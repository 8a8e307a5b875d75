import { getTable, type TableDefinition } from '../../tables/model.js';
import { duckdbType } from '../../tables/column-types.js';
import { quoteString } from '../../params/literals.js';
import { CasebookError } from '../../errors.js';
import { gzipFirstLine, literalPath, type LakeFile } from './lake.js';
import { prunedType, type ColumnNeeds } from './projection.js';
import type { SpooledFlowFile } from './flow-spool.js';

/** How the JSON reader splits a CloudTrail file: AWS writes one line per file. */
export type JsonFormat = 'newline_delimited' | 'unstructured';

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function fileList(files: LakeFile[]): string {
  return `[${files.map((f) => quoteString(literalPath(f.path))).join(', ')}]`;
}

/** Partition columns from the S3 key of each file (the lake's layout), joined by file name. */
function partitionsCte(files: LakeFile[]): string {
  const rows = files.map((f) => `(${quoteString(f.path)}, ${quoteString(f.account)}, ${quoteString(f.region)}, ${quoteString(f.day)})`);
  return `(VALUES ${rows.join(', ')}) AS p(filename, account, region, day)`;
}

/**
 * How a view names its files: the file list a reader takes, and the relation
 * `p(filename, account, region, day)` of their partition values. Inline literals by
 * default; the engine binds them instead (a DuckDB variable and a temporary table),
 * because parsing and binding tens of thousands of literal paths cost more than
 * reading small files (measured in bench/RESULTS.md).
 */
export interface FileBinder {
  list(files: LakeFile[]): string;
  parts(files: LakeFile[]): string;
}

export const INLINE_FILES: FileBinder = { list: fileList, parts: partitionsCte };

/** A typed, empty relation with the table's columns, for a window with no files. */
function emptyView(t: TableDefinition): string {
  const cols = [...t.columns, ...t.partitions].map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS ${ident(c.name)}`);
  return `SELECT ${cols.join(', ')} WHERE false`;
}

function jsonColumnSql(c: { name: string; sourceName: string; type: { kind: string } }): string {
  const ref = `casebook_record.${ident(c.sourceName)}`;
  return c.type.kind === 'json' ? `CAST(${ref} AS VARCHAR) AS ${ident(c.name)}` : `${ref} AS ${ident(c.name)}`;
}

/**
 * The JSON reader's maximum_object_size for these files. DuckDB allocates two buffers of
 * this size per thread, so a fixed 1 GB needs 4 GB of memory on two cores; the limit
 * follows the largest file instead (CloudTrail JSON compresses about 6-20x), from 16 MB
 * up to 1 GB. A file beyond it makes the engine retry with 1 GB.
 */
export function jsonObjectLimit(files: LakeFile[]): number {
  const largest = files.reduce((m, f) => Math.max(m, f.size), 0);
  let limit = 16 * 1024 * 1024;
  while (limit < largest * 32 && limit < MAX_JSON_OBJECT) limit *= 2;
  return limit;
}

export const MAX_JSON_OBJECT = 1024 * 1024 * 1024;

/**
 * CloudTrail: each file is one `{"Records":[...]}` object. The record struct is declared
 * with the JSON keys' own case (DuckDB's JSON reader matches keys exactly); the view
 * renames columns to the table's lower-case names. Struct fields are reached by name
 * without regard to case, as in Athena.
 *
 * Speed (measured in bench/RESULTS.md): only the columns (and struct fields) the query
 * reads are declared, so the reader converts nothing else; AWS writes each file as one
 * line, so the newline-delimited reader is used (a file spread over several lines makes
 * the engine retry with `format = 'unstructured'`); and the partition columns are joined
 * to the one row per file before the records are unnested, not to every record.
 */
export function cloudtrailViewSql(
  files: LakeFile[],
  needs: ColumnNeeds = 'all',
  format: JsonFormat = 'newline_delimited',
  bind: FileBinder = INLINE_FILES,
  objectLimit = jsonObjectLimit(files),
): string {
  const t = getTable('cloudtrail');
  if (files.length === 0) return emptyView(t);
  const columns = needs === 'all' ? t.columns : t.columns.filter((c) => needs.has(c.name));
  // At least one field, so the struct is well-formed even for a query that reads none (count(*)).
  const declared = columns.length ? columns : t.columns.filter((c) => c.name === t.time.column);
  const recordType = `STRUCT(${declared.map((c) => `${ident(c.sourceName)} ${duckdbType(needs === 'all' ? c.type : prunedType(c.type, needs.get(c.name) ?? true))}`).join(', ')})[]`;
  const cols = declared.map(jsonColumnSql);
  return [
    `SELECT ${[...cols, 'x.account', 'x.region', 'x.day'].join(', ')}`,
    // A file without a Records array is not a CloudTrail log file: fail rather than drop it.
    `FROM (SELECT unnest(CASE WHEN Records IS NULL THEN error('log file ' || filename || ' is not a CloudTrail log file (no "Records" array)') ELSE Records END) AS casebook_record, p.account, p.region, p.day`,
    `  FROM read_json(${bind.list(files)}, columns = {Records: ${quoteString(recordType)}},`,
    `    format = ${quoteString(format)}, filename = true, maximum_object_size = ${objectLimit}, compression = 'gzip')`,
    `  JOIN ${bind.parts(files)} USING (filename)) AS x`,
  ].join('\n');
}

/**
 * Flow logs: text files and Parquet files (a lake may hold both, e.g. after a flow
 * log was recreated with another file format).
 */
export function flowLogsViewSql(files: LakeFile[], bind: FileBinder = INLINE_FILES, spooled: SpooledFlowFile[] = []): string {
  const t = getTable('vpc_flow_logs');
  if (files.length === 0 && spooled.length === 0) return emptyView(t);
  const text = files.filter((f) => f.format !== 'parquet');
  const parquet = files.filter((f) => f.format === 'parquet');
  const parts: string[] = [];
  if (spooled.length) parts.push(flowLogsSpooledSql(t, spooled, bind));
  if (text.length) parts.push(flowLogsTextSql(t, text, bind));
  if (parquet.length) parts.push(flowLogsParquetSql(t, parquet, bind));
  return parts.join('\nUNION ALL\n');
}

/** The flow-log id in an AWS flow-log file name: `<acct>_vpcflowlogs_<region>_<fl-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz`. */
const FLOW_LOG_ID = /_vpcflowlogs_[^_/]+_(fl-[0-9A-Za-z]+)_\d{8}T\d{4}Z_[^_/]+\.log\.gz$/;

/**
 * Flow logs, text: files are grouped by their header line (a custom format orders
 * and picks fields as it likes); each group is read with its own column list, and
 * fields the group lacks are NULL. `-` is NULL.
 */
function flowLogsTextSql(t: TableDefinition, files: LakeFile[], bind: FileBinder): string {
  const groups = new Map<string, LakeFile[]>();
  // A flow log's format is fixed when it is created, so the files of one flow log (its
  // id is in the file name) share a header line: read it once per flow log.
  const headerOf = new Map<string, string>();
  for (const f of files) {
    const flowLogId = FLOW_LOG_ID.exec(f.path)?.[1];
    const key = flowLogId ? `${f.account}|${f.region}|${flowLogId}` : f.path;
    let header = headerOf.get(key);
    if (header === undefined) {
      header = gzipFirstLine(f.path).trim();
      headerOf.set(key, header);
    }
    const list = groups.get(header);
    if (list) list.push(f);
    else groups.set(header, [f]);
  }
  const parts: string[] = [];
  // buffer_size: flow-log files are many and small; the default 16 MB buffer per file
  // cost a quarter of the read time (lines are far shorter than 256 KB).
  for (const [header, group] of groups)
    parts.push(flowLogsCsvSql(t, header, group[0]!.path, group, bind, `header = true, compression = 'gzip', buffer_size = 262144`));
  return parts.join('\nUNION ALL\n');
}

/** Flow logs, spooled (flow-spool.ts): uncompressed files of records without their header line, grouped by it. */
function flowLogsSpooledSql(t: TableDefinition, files: SpooledFlowFile[], bind: FileBinder): string {
  const groups = new Map<string, SpooledFlowFile[]>();
  for (const f of files) {
    const list = groups.get(f.header);
    if (list) list.push(f);
    else groups.set(f.header, [f]);
  }
  const parts: string[] = [];
  for (const [header, group] of groups)
    parts.push(flowLogsCsvSql(t, header, group[0]!.source, group, bind, `header = false, compression = 'none'`));
  return parts.join('\nUNION ALL\n');
}

/** One read_csv of flow-log files sharing a header line; `source` is the file an error about the header names. */
function flowLogsCsvSql(t: TableDefinition, header: string, source: string, group: LakeFile[], bind: FileBinder, options: string): string {
  const byField = new Map(t.columns.map((c) => [c.sourceName, c]));
  const fields = header.split(/\s+/);
  if (!fields.includes('srcaddr') && !fields.includes('start') && !fields.includes('version')) {
    throw new CasebookError(`flow-log file ${source} does not start with a header line of field names (found "${header.slice(0, 60)}")`);
  }
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f)) throw new CasebookError(`flow-log file ${source}: header names field ${f} twice`);
    seen.add(f);
  }
  const columns = fields.map((f) => {
    const c = byField.get(f);
    return `${quoteString(f)}: ${quoteString(c ? duckdbType(c.type) : 'VARCHAR')}`;
  });
  const select = t.columns.map((c) =>
    seen.has(c.sourceName) ? `${ident(c.sourceName)} AS ${ident(c.name)}` : `CAST(NULL AS ${duckdbType(c.type)}) AS ${ident(c.name)}`,
  );
  return [
    `SELECT ${select.join(', ')}, p.account, p.region, p.day`,
    `FROM read_csv(${bind.list(group)}, delim = ' ', ${options}, columns = {${columns.join(', ')}},`,
    `  nullstr = '-', quote = '', escape = '', auto_detect = false, filename = true, strict_mode = true)`,
    `JOIN ${bind.parts(group)} USING (filename)`,
  ].join('\n');
}

/**
 * Flow logs, Parquet: columns are matched by name, as Athena's ParquetHiveSerDe does
 * (AWS names them like the table: account_id, log_status). A typed empty relation is
 * unioned by name with the files, so a column the files lack reads as NULL and every
 * column has the table's type. Hive-style folder names are not read as columns: the
 * partitions come from the key, like every other layout.
 */
function flowLogsParquetSql(t: TableDefinition, files: LakeFile[], bind: FileBinder): string {
  const typed = t.columns.map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS ${ident(c.name)}`);
  const select = t.columns.map((c) => `CAST(x.${ident(c.name)} AS ${duckdbType(c.type)}) AS ${ident(c.name)}`);
  return [
    `SELECT ${select.join(', ')}, p.account, p.region, p.day`,
    `FROM (SELECT ${typed.join(', ')}, CAST(NULL AS VARCHAR) AS filename WHERE false`,
    `  UNION ALL BY NAME`,
    `  SELECT * FROM read_parquet(${bind.list(files)}, filename = true, union_by_name = true, hive_partitioning = false)) AS x`,
    `JOIN ${bind.parts(files)} USING (filename)`,
  ].join('\n');
}

export function viewSql(
  table: string,
  files: LakeFile[],
  needs: ColumnNeeds = 'all',
  jsonFormat: JsonFormat = 'newline_delimited',
  bind: FileBinder = INLINE_FILES,
  objectLimit?: number,
  spooled: SpooledFlowFile[] = [],
): string {
  switch (table) {
    case 'cloudtrail':
      return cloudtrailViewSql(files, needs, jsonFormat, bind, objectLimit);
    case 'vpc_flow_logs':
      return flowLogsViewSql(files, bind, spooled);
    default:
      throw new CasebookError(`the local engine has no reader for table ${table}`);
  }
}
