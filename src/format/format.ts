import { stringify } from 'csv-stringify/sync';
import type { JsonValue, QueryResult } from '../engines/engine.js';
import { renderTable, type TableLayoutOptions } from './table.js';
import { escapeTerminal } from './escape.js';
import { CSV_QUOTE, csvCell } from './csv-safe.js';
import { mdCell } from './markdown-escape.js';

export const FORMATS = ['table', 'csv', 'json', 'ndjson', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

/** A cell as text: objects and arrays as compact JSON, null as empty. */
export function cellText(v: JsonValue): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const NUMERIC = /^(tinyint|smallint|integer|int|bigint|hugeint|double|real|float|decimal|ubigint|uinteger|usmallint|utinyint)/;

/**
 * A box table of every cell, whole. `layout.width` (the terminal's) fits it: see
 * src/format/table.ts. Numbers are right-aligned.
 */
export function formatTable(result: QueryResult, layout: TableLayoutOptions = {}): string {
  const names = result.columns.map((c) => c.name);
  if (result.rows.length === 0) return '(no rows)\n';
  // Cells are log fields: control characters are shown as escapes, never sent to the terminal.
  const rows = result.rows.map((row) => names.map((n) => escapeTerminal(cellText(row[n] ?? null))));
  const align = result.columns.map((c) => (NUMERIC.test(c.type.toLowerCase()) ? ('right' as const) : ('left' as const)));
  return renderTable(names.map(escapeTerminal), rows, { align, ...layout }).text;
}

export function formatCsv(result: QueryResult): string {
  const names = result.columns.map((c) => c.name);
  return stringify(
    result.rows.map((r) => names.map((n) => csvCell(r[n] ?? null))),
    { header: true, columns: names, record_delimiter: '\n', ...CSV_QUOTE },
  );
}

export function formatJson(result: QueryResult): string {
  return `${JSON.stringify(result.rows, null, 2)}\n`;
}

export function formatNdjson(result: QueryResult): string {
  return result.rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

export function formatMarkdown(result: QueryResult): string {
  const names = result.columns.map((c) => c.name);
  const lines = [`| ${names.map(mdCell).join(' | ')} |`, `| ${names.map(() => '---').join(' | ')} |`];
  for (const row of result.rows) lines.push(`| ${names.map((n) => mdCell(cellText(row[n] ?? null))).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

export function formatResult(result: QueryResult, format: Format, layout: TableLayoutOptions = {}): string {
  switch (format) {
    case 'table':
      return formatTable(result, layout);
    case 'csv':
      return formatCsv(result);
    case 'json':
      return formatJson(result);
    case 'ndjson':
      return formatNdjson(result);
    case 'markdown':
      return formatMarkdown(result);
  }
}

export function humanBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}
