/**
 * `casebook compact --engine athena`: the Athena side of the Parquet store. For a range
 * of delivery days it copies the raw table's partitions into a Parquet (zstd) table
 * with the same name, columns and partitions (account, region, day) in another
 * database, so the pack runs unchanged against it by pointing `--database` at that
 * database, and scans only the columns a query reads instead of whole gzipped JSON.
 *
 * The first run creates the table with CTAS; later runs INSERT INTO it. One statement
 * per day (Athena writes at most 100 partitions per statement: accounts x regions of a
 * day), or per day and account with `accounts`. A day the target already holds is
 * skipped, so re-running a range never duplicates rows.
 *
 * Runs on any Engine (the Athena engine in the CLI; a mocked client in tests).
 */
import { CasebookError } from '../errors.js';
import { getTable } from '../tables/model.js';
import { quoteString } from '../params/literals.js';
import type { Engine } from '../engines/engine.js';

export interface CompactOptions {
  table: string;
  /** Database of the raw table (the one `casebook setup` made). */
  sourceDatabase: string;
  /** Database of the Parquet table (same table name). */
  targetDatabase: string;
  /** s3:// prefix the Parquet table's files go under (CTAS external_location, per table). */
  location: string;
  /** Delivery days, yyyy/MM/dd. */
  days: string[];
  /** One statement per day and account (for estates with more than 100 account-region pairs). */
  accounts?: string[];
}

export interface CompactStatement {
  day: string;
  account?: string;
  kind: 'ctas' | 'insert';
  sql: string;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Every column of the table, partitions last in their order (CTAS with partitioned_by requires it). */
function selectList(table: string): string {
  const t = getTable(table);
  return [...t.columns, ...t.partitions].map((c) => ident(c.name)).join(', ');
}

function where(day: string, account?: string): string {
  return `WHERE day = ${quoteString(day)}${account ? ` AND account = ${quoteString(account)}` : ''}`;
}

export function tableLocation(location: string, table: string): string {
  if (!/^s3:\/\/[^/]+/.test(location)) throw new CasebookError(`--location ${location} is not an s3:// prefix`);
  return `${location.replace(/\/+$/, '')}/${table}/`;
}

/** The CTAS that creates the Parquet table from one day (or day and account) of the raw table. */
export function ctasSql(o: CompactOptions, day: string, account?: string): string {
  const t = getTable(o.table);
  return [
    `CREATE TABLE ${ident(o.targetDatabase)}.${ident(o.table)}`,
    'WITH (',
    "  format = 'PARQUET',",
    "  write_compression = 'ZSTD',",
    `  external_location = ${quoteString(tableLocation(o.location, o.table))},`,
    `  partitioned_by = ARRAY[${t.partitions.map((p) => quoteString(p.name)).join(', ')}]`,
    ') AS',
    `SELECT ${selectList(o.table)}`,
    `FROM ${ident(o.sourceDatabase)}.${ident(o.table)}`,
    where(day, account),
  ].join('\n');
}

/** The INSERT INTO that adds one day (or day and account) to the Parquet table. */
export function insertSql(o: CompactOptions, day: string, account?: string): string {
  return [
    `INSERT INTO ${ident(o.targetDatabase)}.${ident(o.table)}`,
    `SELECT ${selectList(o.table)}`,
    `FROM ${ident(o.sourceDatabase)}.${ident(o.table)}`,
    where(day, account),
  ].join('\n');
}

export function existsSql(o: CompactOptions): string {
  return `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = ${quoteString(o.targetDatabase)} AND table_name = ${quoteString(o.table)}`;
}

export function heldSql(o: CompactOptions, day: string, account?: string): string {
  return `SELECT count(*) AS n FROM ${ident(o.targetDatabase)}.${ident(o.table)} ${where(day, account)}`;
}

/** The statements for the range, given whether the target table exists yet. */
export function compactStatements(o: CompactOptions, exists: boolean): CompactStatement[] {
  const out: CompactStatement[] = [];
  for (const day of o.days) {
    for (const account of o.accounts?.length ? o.accounts : [undefined]) {
      const kind = exists || out.length > 0 ? 'insert' : 'ctas';
      out.push({ day, account, kind, sql: kind === 'ctas' ? ctasSql(o, day, account) : insertSql(o, day, account) });
    }
  }
  return out;
}

export interface CompactSummary {
  statements: number;
  written: { day: string; account?: string; kind: 'ctas' | 'insert'; scannedBytes?: number }[];
  skipped: { day: string; account?: string }[];
  scannedBytes: number;
}

/** Run the compaction on an engine; days the target already holds are skipped. */
export async function compact(
  engine: Engine,
  o: CompactOptions,
  onProgress: (m: string) => void = () => undefined,
  signal?: AbortSignal,
): Promise<CompactSummary> {
  if (o.sourceDatabase === o.targetDatabase)
    throw new CasebookError(`the Parquet table needs its own database (--target-database), not ${o.sourceDatabase}`);
  const n = (r: { rows: Record<string, unknown>[] }) => Number(r.rows[0]?.n ?? 0);
  let exists = n(await engine.run(existsSql(o), { signal })) > 0;
  const summary: CompactSummary = { statements: 0, written: [], skipped: [], scannedBytes: 0 };
  for (const day of o.days) {
    for (const account of o.accounts?.length ? o.accounts : [undefined]) {
      const label = `${o.table} ${day}${account ? ` ${account}` : ''}`;
      if (exists && n(await engine.run(heldSql(o, day, account), { signal })) > 0) {
        onProgress(`${label}: already in ${o.targetDatabase}.${o.table}, skipped`);
        summary.skipped.push({ day, account });
        continue;
      }
      const kind = exists ? 'insert' : 'ctas';
      const sql = kind === 'ctas' ? ctasSql(o, day, account) : insertSql(o, day, account);
      onProgress(`${label}: ${kind === 'ctas' ? 'CREATE TABLE AS' : 'INSERT INTO'} ${o.targetDatabase}.${o.table} ...`);
      const r = await engine.run(sql, { signal, onProgress });
      summary.statements++;
      const scanned = r.stats.dataScannedBytes;
      summary.scannedBytes += scanned ?? 0;
      summary.written.push({ day, account, kind, scannedBytes: scanned });
      exists = true;
    }
  }
  return summary;
}

/** Delivery days of a [since, until) range of dates: every day the range touches. */
export function compactDays(since: Date, until: Date): string[] {
  const days: string[] = [];
  const start = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = start; t < until.getTime(); t += 86_400_000) {
    const d = new Date(t).toISOString();
    days.push(`${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}`);
  }
  if (days.length === 0) throw new CasebookError('the range holds no day: --since must be before --until');
  if (days.length > 3660) throw new CasebookError(`the range holds ${days.length} days; compact at most ten years at once`);
  return days;
}
