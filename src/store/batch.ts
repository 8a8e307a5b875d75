/**
 * Batched conversion for `casebook import`. DuckDB's readers pay a set-up cost per file,
 * and a conversion statement pays one per statement (both measured in bench/RESULTS.md),
 * so a run of partitions is converted by ONE statement:
 *
 * 1. Merge, in one pass over the bytes that is also the input pre-check: each small gzip
 *    file is inflated once in Node, scanned as the engine's pre-check scans it (nesting
 *    depth, record size, decompressed size; an unsafe file stops the import with the
 *    pre-check's own message), and its bytes are appended to the partition's merged file
 *    as a stored (level 0) gzip member, which DuckDB reads back without inflating again.
 *    CloudTrail files (one JSON document each) become one document per line; flow-log
 *    text files are grouped by header line, each group one file under its header.
 * 2. Convert: one `COPY ... (PARTITION_BY ...)` over every merged file of the batch, rows
 *    sorted by partition, then time, then principal or address, zstd.
 * 3. Check: DuckDB's partitioned writer does not keep the query's order within a file, so
 *    the order of every written file is checked (one statement over all of them) and a
 *    file out of order, or a partition written as several files, is rewritten sorted from
 *    its own Parquet rows. Each file is then renamed to the name the manifest gives it.
 *
 * If the batch statement fails, every partition of the batch is converted on its own,
 * from its original files if need be, so the error names the file at fault.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import * as zlib from 'node:zlib';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteString } from '../params/literals.js';
import type { LakeFile } from '../engines/duckdb/lake.js';
import { guardLimits, inflateSmallGzipFile, scanGzipFile, unsafeFileError, type GuardLimits } from '../engines/duckdb/guard.js';
import { INLINE_FILES, jsonObjectLimit, viewSql } from '../engines/duckdb/views.js';

/** A batch holds at most this many decompressed bytes (bounds the sort's and the writers' memory)... */
export const BATCH_BYTES = 64 * 1024 * 1024;
/** ...and at most this many partitions (one open Parquet writer each). */
export const BATCH_PARTITIONS = 96;

/** Sort order of a table's Parquet files: event time, then the principal or the address the common predicates name. */
export const SORT_KEYS: Record<string, string[]> = {
  cloudtrail: ['"eventtime"', '"useridentity"."arn"', '"eventid"'],
  vpc_flow_logs: ['"start"', '"srcaddr"', '"dstaddr"'],
};

/** One partition of a batch: its original files, and their merged form (undefined: convert it from the originals). */
export interface BatchPartition<T> {
  item: T;
  files: LakeFile[];
  merged?: LakeFile[];
}

export interface Batch<T> {
  dir: string;
  parts: BatchPartition<T>[];
  bytes: number;
}

/** A stored gzip member holding one newline: ends a merged CloudTrail line whether or not the file ended with one. */
const NEWLINE_MEMBER = gzipSync('\n', { level: 0 });
const NEWLINE = Buffer.from('\n');

const crc32 = (zlib as { crc32?: (data: Buffer, value?: number) => number }).crc32;
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
const STORED_BLOCK = 65535;

/**
 * The bytes as one gzip member of stored (uncompressed) deflate blocks: what gzip level 0
 * writes, built here without a zlib stream per file (its set-up cost more than the copy).
 */
export function storedGzipMember(data: Buffer, suffix?: Buffer): Buffer[] {
  const body = suffix ? [data, suffix] : [data];
  if (!crc32) return body.map((b) => gzipSync(b, { level: 0 }));
  const total = body.reduce((n, b) => n + b.length, 0);
  const out: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let written = 0;
  const block = (chunk: Buffer) => {
    written += chunk.length;
    const head = Buffer.alloc(5);
    head[0] = written >= total ? 1 : 0;
    head.writeUInt16LE(chunk.length, 1);
    head.writeUInt16LE(~chunk.length & 0xffff, 3);
    out.push(head, chunk);
  };
  for (const b of body) {
    crc = crc32(b, crc);
    for (let offset = 0; offset < b.length; offset += STORED_BLOCK) block(b.subarray(offset, offset + STORED_BLOCK));
  }
  if (total === 0) block(Buffer.alloc(0));
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(crc >>> 0, 0);
  tail.writeUInt32LE(total >>> 0, 4);
  out.push(tail);
  return out;
}

/**
 * Merge one partition's files into the batch folder, checking each as the input
 * pre-check does; throws the pre-check's error for an unsafe file (nothing of the
 * partition is left in the batch then).
 */
export async function addPartition<T>(
  batch: Batch<T>,
  table: string,
  item: T,
  files: LakeFile[],
  limits: GuardLimits = guardLimits(),
): Promise<void> {
  const index = batch.parts.length;
  const dir = join(batch.dir, `p${index}`);
  mkdirSync(dir, { recursive: true });
  const part = { account: files[0]!.account, region: files[0]!.region, day: files[0]!.day };
  const merged: LakeFile[] = files.filter((f) => f.format === 'parquet');
  const writers = new Map<string, { fd: number; path: string; size: number }>();
  const write = (group: string, name: string, ...chunks: Buffer[]) => {
    let w = writers.get(group);
    if (!w) {
      const path = join(dir, `merged-${writers.size}${name}`);
      w = { fd: openSync(path, 'w'), path, size: 0 };
      writers.set(group, w);
    }
    for (const chunk of chunks) {
      writeSync(w.fd, chunk);
      w.size += chunk.length;
    }
  };
  let inflated = 0;
  let mergeable = true;
  try {
    for (const f of files) {
      if (f.format === 'parquet') continue;
      const json = f.format === 'json';
      const r = inflateSmallGzipFile(f.path, json, limits);
      let data: Buffer | undefined;
      if (r === 'stream') {
        // A large file: scanned as it streams, then appended as it is (DuckDB inflates it).
        const problem = await scanGzipFile(f.path, json, limits);
        if (problem) throw unsafeFileError(f.path, problem);
        if (!json) {
          mergeable = false;
          break;
        }
        write('', '.json.gz', readFileSync(f.path));
        write('', '.json.gz', NEWLINE_MEMBER);
        inflated += f.size * 8;
        continue;
      }
      if (r.problem) throw unsafeFileError(f.path, r.problem);
      data = r.data;
      if (!data) {
        // Not valid gzip: the partition is converted from its original files, so the engine names this one.
        mergeable = false;
        break;
      }
      inflated += data.length;
      if (json && spansLines(data)) {
        // A document over several lines is not one line of the merged file: read on its own, with the general reader.
        mergeable = false;
        break;
      }
      if (json) {
        write('', '.json.gz', ...storedGzipMember(data, NEWLINE));
        continue;
      }
      let nl = data.indexOf(10);
      if (nl < 0) nl = data.length;
      const header = data.subarray(0, nl).toString('utf8').replace(/\r$/, '').trim();
      let body = data.subarray(Math.min(nl + 1, data.length));
      if (body.length && body[body.length - 1] !== 10) body = Buffer.concat([body, Buffer.from('\n')]);
      if (!writers.has(header)) write(header, '.log.gz', ...storedGzipMember(Buffer.from(`${header}\n`)));
      if (body.length) write(header, '.log.gz', ...storedGzipMember(body));
    }
  } catch (err) {
    for (const w of writers.values()) closeSync(w.fd);
    writers.clear();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    for (const w of writers.values()) closeSync(w.fd);
  }
  if (!mergeable) {
    rmSync(dir, { recursive: true, force: true });
    batch.parts.push({ item, files });
    return;
  }
  for (const w of writers.values()) merged.push({ path: w.path, ...part, size: w.size, format: table === 'cloudtrail' ? 'json' : 'text' });
  batch.parts.push({ item, files, merged });
  batch.bytes += inflated;
}

/** A line break before the document's trailing white space. */
function spansLines(data: Buffer): boolean {
  let end = data.length;
  while (end > 0 && (data[end - 1] === 10 || data[end - 1] === 13 || data[end - 1] === 32 || data[end - 1] === 9)) end--;
  const nl = data.indexOf(10);
  const cr = data.indexOf(13);
  return (nl >= 0 && nl < end) || (cr >= 0 && cr < end);
}

/** What the batch wrote for one partition: its Parquet file (at the target given) and row count. */
export interface Written {
  rows: number;
  bytes: number;
}

/**
 * Convert every mergeable partition of the batch with one statement; each written file is
 * renamed to targetOf(item). Returns the partitions converted (the others, and all of them
 * if the statement fails, are left to the caller's one-partition path).
 */
export async function convertBatch<T>(
  c: DuckDBConnection,
  table: string,
  batch: Batch<T>,
  targetOf: (item: T) => string,
): Promise<Map<BatchPartition<T>, Written>> {
  const done = new Map<BatchPartition<T>, Written>();
  const parts = batch.parts.filter((p) => p.merged && p.merged.length > 0);
  if (parts.length === 0) return done;
  const keys = SORT_KEYS[table]!;
  const out = join(batch.dir, 'out');
  const files = parts.flatMap((p) => p.merged!);
  const objectLimit = jsonObjectLimit(parts.flatMap((p) => p.files));
  const values = parts.map(
    (p, i) => `(${quoteString(p.files[0]!.account)}, ${quoteString(p.files[0]!.region)}, ${quoteString(p.files[0]!.day)}, ${i})`,
  );
  const view = viewSql(table, files, 'all', 'newline_delimited', INLINE_FILES, objectLimit);
  try {
    await c.run(
      [
        `COPY (SELECT v.*, k.casebook_part FROM (${view}) AS v`,
        `  JOIN (VALUES ${values.join(', ')}) AS k(account, region, day, casebook_part)`,
        `  ON v.account = k.account AND v.region = k.region AND v.day = k.day`,
        `  ORDER BY k.casebook_part, ${keys.join(', ')})`,
        `TO ${quoteString(out)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880, PARTITION_BY (casebook_part))`,
      ].join('\n'),
    );
  } catch {
    return done;
  }
  // The files each partition was written as (normally one).
  const written = new Map<number, string[]>();
  for (const entry of readdirSync(out, { withFileTypes: true })) {
    const m = /^casebook_part=(\d+)$/.exec(entry.name);
    if (!m || !entry.isDirectory()) continue;
    const dir = join(out, entry.name);
    written.set(
      Number(m[1]),
      readdirSync(dir)
        .filter((n) => n.endsWith('.parquet'))
        .sort()
        .map((n) => join(dir, n)),
    );
  }
  const all = [...written.values()].flat();
  const checked = await checkOrder(c, table, all);
  for (const [i, p] of parts.entries()) {
    const pieces = written.get(i) ?? [];
    // No rows (e.g. CloudTrail files with empty Records lists): the one-partition path writes the empty file.
    if (pieces.length === 0) continue;
    const target = targetOf(p.item);
    mkdirSync(dirname(target), { recursive: true });
    const first = checked.get(pieces[0]!);
    if (pieces.length === 1 && first?.sorted) {
      renameSync(pieces[0]!, target);
      done.set(p, { rows: first.rows, bytes: statSync(target).size });
      continue;
    }
    const tmp = `${target}.tmp`;
    const reader = await c.runAndReadAll(
      `COPY (SELECT * FROM read_parquet([${pieces.map((f) => quoteString(f)).join(', ')}]) ORDER BY ${keys.join(', ')}) TO ${quoteString(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
    );
    renameSync(tmp, target);
    done.set(p, { rows: Number(reader.getRowsJS()[0]?.[0] ?? 0), bytes: statSync(target).size });
  }
  return done;
}

/** Each Parquet file's row count, and whether its rows are in the order import sorts them (one statement for all). */
export async function checkOrder(
  c: DuckDBConnection,
  table: string,
  files: string[],
): Promise<Map<string, { rows: number; sorted: boolean }>> {
  const keys = SORT_KEYS[table]!;
  const checked = new Map<string, { rows: number; sorted: boolean }>();
  if (files.length === 0) return checked;
  const reader = await c.runAndReadAll(
    [
      `SELECT filename, count(*), bool_and(NOT coalesce(out_of_order, false)) FROM (`,
      `  SELECT filename, ${outOfOrder(keys)} AS out_of_order`,
      `  FROM (SELECT filename, file_row_number, ${keys.map((k, i) => `${k} AS k${i}`).join(', ')}`,
      `    FROM read_parquet([${files.map((f) => quoteString(f)).join(', ')}], filename = true, file_row_number = true))`,
      `  WINDOW w AS (PARTITION BY filename ORDER BY file_row_number))`,
      `GROUP BY filename`,
    ].join('\n'),
  );
  for (const [filename, rows, sorted] of reader.getRowsJS()) checked.set(String(filename), { rows: Number(rows), sorted: sorted === true });
  return checked;
}

/**
 * True where a row sorts before the row above it in the file, under ORDER BY's rules
 * (ascending, NULLs last): the columns k0..kn compared with the previous row's, in order.
 */
function outOfOrder(keys: string[]): string {
  const prev = (i: number) => `lag(k${i}) OVER w`;
  // The previous row's key i sorts after this row's: a NULL after a value, or a larger value.
  const after = (i: number) => `((${prev(i)} IS NULL AND k${i} IS NOT NULL) OR ${prev(i)} > k${i})`;
  const same = (i: number) => `${prev(i)} IS NOT DISTINCT FROM k${i}`;
  let expr = after(keys.length - 1);
  for (let i = keys.length - 2; i >= 0; i--) expr = `(${after(i)} OR (${same(i)} AND ${expr}))`;
  // The first row of a file has no previous row: never out of order.
  return `(file_row_number > 0 AND ${expr})`;
}
