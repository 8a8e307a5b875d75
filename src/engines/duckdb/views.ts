import { getTable, columnName, type TableDefinition } from '../../schemas/model.js';
import { duckdbType } from '../../schemas/types.js';
import { quoteString } from '../../params/literals.js';
import { CasebookError } from '../../errors.js';
import { gzipFirstLine, type LakeFile } from './lake.js';

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function fileList(files: LakeFile[]): string {
  return `[${files.map((f) => quoteString(f.path)).join(', ')}]`;
}

/** Partition columns from the S3 key of each file (the lake's layout), joined by file name. */
function partitionsCte(files: LakeFile[]): string {
  const rows = files.map((f) => `(${quoteString(f.path)}, ${quoteString(f.account)}, ${quoteString(f.region)}, ${quoteString(f.day)})`);
  return `(VALUES ${rows.join(', ')}) AS p(filename, account, region, day)`;
}

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
 * CloudTrail: each file is one `{"Records":[...]}` object. The record struct is declared
 * with the JSON keys' own case (DuckDB's JSON reader matches keys exactly); the view
 * renames columns to the table's lower-case names. Struct fields are reached by name
 * without regard to case, as in Athena.
 */
export function cloudtrailViewSql(files: LakeFile[]): string {
  const t = getTable('cloudtrail');
  if (files.length === 0) return emptyView(t);
  const recordType = `STRUCT(${t.columns.map((c) => `${ident(c.sourceName)} ${duckdbType(c.type)}`).join(', ')})[]`;
  const cols = t.columns.map(jsonColumnSql);
  return [
    `SELECT ${cols.join(', ')}, p.account, p.region, p.day`,
    // A file without a Records array is not a CloudTrail log file: fail rather than drop it.
    `FROM (SELECT unnest(CASE WHEN Records IS NULL THEN error('log file ' || filename || ' is not a CloudTrail log file (no "Records" array)') ELSE Records END) AS casebook_record, filename FROM read_json(${fileList(files)}, columns = {Records: ${quoteString(recordType)}},`,
    `  format = 'unstructured', filename = true, maximum_object_size = 1073741824, compression = 'gzip')) AS x`,
    `JOIN ${partitionsCte(files)} USING (filename)`,
  ].join('\n');
}

/**
 * Flow logs: text files and Parquet files (a lake may hold both, e.g. after a flow
 * log was recreated with another file format).
 */
export function flowLogsViewSql(files: LakeFile[]): string {
  const t = getTable('vpc_flow_logs');
  if (files.length === 0) return emptyView(t);
  const text = files.filter((f) => f.format !== 'parquet');
  const parquet = files.filter((f) => f.format === 'parquet');
  const parts: string[] = [];
  if (text.length) parts.push(flowLogsTextSql(t, text));
  if (parquet.length) parts.push(flowLogsParquetSql(t, parquet));
  return parts.join('\nUNION ALL\n');
}

/**
 * Flow logs, text: files are grouped by their header line (a custom format orders
 * and picks fields as it likes); each group is read with its own column list, and
 * fields the group lacks are NULL. `-` is NULL.
 */
function flowLogsTextSql(t: TableDefinition, files: LakeFile[]): string {
  const groups = new Map<string, LakeFile[]>();
  for (const f of files) {
    const header = gzipFirstLine(f.path).trim();
    const list = groups.get(header);
    if (list) list.push(f);
    else groups.set(header, [f]);
  }
  const byField = new Map(t.columns.map((c) => [c.sourceName, c]));
  const parts: string[] = [];
  for (const [header, group] of groups) {
    const fields = header.split(/\s+/);
    if (!fields.includes('srcaddr') && !fields.includes('start') && !fields.includes('version')) {
      throw new CasebookError(`flow-log file ${group[0]!.path} does not start with a header line of field names (found "${header.slice(0, 60)}")`);
    }
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f)) throw new CasebookError(`flow-log file ${group[0]!.path}: header names field ${f} twice`);
      seen.add(f);
    }
    const columns = fields.map((f) => {
      const c = byField.get(f);
      return `${quoteString(f)}: ${quoteString(c ? duckdbType(c.type) : 'VARCHAR')}`;
    });
    const select = t.columns.map((c) => (seen.has(c.sourceName)
      ? `${ident(c.sourceName)} AS ${ident(c.name)}`
      : `CAST(NULL AS ${duckdbType(c.type)}) AS ${ident(c.name)}`));
    parts.push([
      `SELECT ${select.join(', ')}, p.account, p.region, p.day`,
      `FROM read_csv(${fileList(group)}, delim = ' ', header = true, columns = {${columns.join(', ')}},`,
      `  nullstr = '-', quote = '', escape = '', auto_detect = false, filename = true, compression = 'gzip', strict_mode = true)`,
      `JOIN ${partitionsCte(group)} USING (filename)`,
    ].join('\n'));
  }
  return parts.join('\nUNION ALL\n');
}

/**
 * Flow logs, Parquet: columns are matched by name, as Athena's ParquetHiveSerDe does
 * (AWS names them like the table: account_id, log_status). A typed empty relation is
 * unioned by name with the files, so a column the files lack reads as NULL and every
 * column has the table's type. Hive-style folder names are not read as columns: the
 * partitions come from the key, like every other layout.
 */
function flowLogsParquetSql(t: TableDefinition, files: LakeFile[]): string {
  const typed = t.columns.map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS ${ident(c.name)}`);
  const select = t.columns.map((c) => `CAST(x.${ident(c.name)} AS ${duckdbType(c.type)}) AS ${ident(c.name)}`);
  return [
    `SELECT ${select.join(', ')}, p.account, p.region, p.day`,
    `FROM (SELECT ${typed.join(', ')}, CAST(NULL AS VARCHAR) AS filename WHERE false`,
    `  UNION ALL BY NAME`,
    `  SELECT * FROM read_parquet(${fileList(files)}, filename = true, union_by_name = true, hive_partitioning = false)) AS x`,
    `JOIN ${partitionsCte(files)} USING (filename)`,
  ].join('\n');
}

export function viewSql(table: string, files: LakeFile[]): string {
  switch (table) {
    case 'cloudtrail': return cloudtrailViewSql(files);
    case 'vpc_flow_logs': return flowLogsViewSql(files);
    default: throw new CasebookError(`the local engine has no reader for table ${table}`);
  }
}

export { columnName };
