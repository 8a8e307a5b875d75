import { readFileSync } from 'node:fs';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { distance } from 'fastest-levenshtein';
import { CasebookError, UsageError } from '../errors.js';
import { getTable, columnName, type Column, type TableDefinition } from '../tables/model.js';

/**
 * The fields of a VPC flow log, in the order its records carry them. They come from
 * the flow log's format string (`${version} ${vpc-id} ...`, as `aws ec2
 * describe-flow-logs` shows it in LogFormat) or from the header line of one of its
 * text files (`version vpc-id ...`); a delimited text table must list its columns in
 * exactly this order.
 */
export interface FlowFormat {
  fields: string[];
  /** Where the field list came from, for messages. */
  source: string;
}

const FIELD = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

function flowTable(): TableDefinition {
  return getTable('vpc_flow_logs');
}

/** The default (version 2) format, from the schema. */
export function defaultFlowFormat(): FlowFormat {
  const fields = flowTable().storage?.defaultFields;
  if (!fields) throw new Error('schemas/vpc_flow_logs.yaml has no storage.default_fields');
  return { fields: [...fields], source: 'the default format (version 2)' };
}

/**
 * Parse a format string. `${field}` tokens separated by spaces, as AWS writes it;
 * bare field names (a header line) are accepted too. Throws a UsageError naming the
 * bad token.
 */
export function parseFlowFormat(text: string, source = 'the format'): FlowFormat {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0)
    throw new UsageError(`${source} is empty: give the flow log's fields, e.g. '\${version} \${account-id} \${interface-id} ...'`);
  const fields: string[] = [];
  for (const tok of tokens) {
    const m = /^\$\{([^}]*)\}$/.exec(tok);
    const name = m ? m[1]!.trim() : tok;
    if (!FIELD.test(name)) {
      throw new UsageError(
        `${source}: "${tok}" is not a flow-log field: write fields as \${name} separated by single spaces (e.g. \${srcaddr} \${dstaddr})`,
      );
    }
    if (fields.includes(name)) throw new UsageError(`${source} names field ${name} twice`);
    fields.push(name);
  }
  return { fields, source };
}

/** The field list from the header line of a flow-log file (gzip or plain text). */
export function flowFormatFromFile(path: string): FlowFormat {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read --header-from file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let text: string;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      text = gunzipSync(buf.subarray(0, Math.min(buf.length, 1 << 20)), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
    } catch (err) {
      throw new UsageError(`--header-from file ${path} is not a valid gzip file (${(err as Error).message})`);
    }
  } else {
    text = buf.toString('utf8');
  }
  const line = text.split('\n', 1)[0]!.replace(/\r$/, '').trim();
  if (/^\d/.test(line) || line.includes(' ACCEPT ') || line.includes(' REJECT ')) {
    throw new UsageError(
      `--header-from file ${path} starts with a record, not a header line of field names (found "${line.slice(0, 60)}")`,
    );
  }
  return parseFlowFormat(line, `the header line of ${path}`);
}

/** A field of a format mapped to a table column. */
export interface FlowField {
  field: string;
  /** Column name in the table. */
  column: string;
  /** The schema column, when the field is one casebook knows. */
  known?: Column;
  /** The field is stored under another name because a partition takes its own (region). */
  renamed?: boolean;
}

export interface FlowFieldMapping {
  fields: FlowField[];
  /** Fields casebook does not know: kept as string columns. */
  unknown: string[];
}

/**
 * Map a format's fields to table columns. Known fields keep their schema column; a
 * dropped field (region, which the partition replaces) gets its placeholder column;
 * an unknown field becomes a string column, unless it looks like a typo of a known
 * field, which is an error (a misspelt field shifts nothing but hides data).
 */
export function mapFlowFields(format: FlowFormat, table = flowTable()): FlowFieldMapping {
  const byField = new Map(table.columns.map((c) => [c.sourceName, c]));
  const dropped = table.storage?.droppedFieldColumns ?? {};
  const known = [...byField.keys(), ...Object.keys(dropped)];
  const out: FlowField[] = [];
  const unknown: string[] = [];
  for (const field of format.fields) {
    const col = byField.get(field);
    if (col) {
      out.push({ field, column: col.name, known: col });
      continue;
    }
    if (dropped[field]) {
      out.push({ field, column: dropped[field], renamed: true });
      continue;
    }
    let best: string | undefined;
    let bestD = Infinity;
    for (const k of known) {
      const d = distance(field, k);
      if (d < bestD) {
        best = k;
        bestD = d;
      }
    }
    if (best !== undefined && bestD <= 2) {
      throw new UsageError(`${format.source}: unknown flow-log field ${field} (did you mean ${best}?)`);
    }
    unknown.push(field);
    out.push({ field, column: columnName(field) });
  }
  const seen = new Set<string>();
  const partitions = new Set(table.partitions.map((p) => p.name));
  for (const f of out) {
    if (seen.has(f.column) || partitions.has(f.column))
      throw new CasebookError(`${format.source}: field ${f.field} maps to column ${f.column}, which is already taken`);
    seen.add(f.column);
  }
  return { fields: out, unknown };
}

/** `${a} ${b}` form of a field list. */
export function formatString(fields: string[]): string {
  return fields.map((f) => `\${${f}}`).join(' ');
}
