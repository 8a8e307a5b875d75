import type { JsonValue, QueryResult, Row } from '../engines/engine.js';
import { cellText, humanBytes } from './format.js';
import { renderTable, type TableLayoutOptions } from './table.js';

/**
 * The table view of a cost answer: bytes in human units, dollars as dollars with the
 * basis of the price beside them when the traffic's category was inferred from
 * addresses, and a total line. CSV, JSON and NDJSON keep the raw numbers.
 */
const SUMMED = (name: string) =>
  name === 'flows' ||
  name === 'bytes' ||
  name === 'gb' ||
  (name.endsWith('_gb') && name !== 'price_per_gb') ||
  name === 'estimated_cost_usd' ||
  name === 'inferred_flows' ||
  name === 'interfaces';

function num(v: JsonValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
}

export function dollars(v: number): string {
  if (v === 0) return '$0';
  if (Math.abs(v) < 0.01) return `$${Number(v.toPrecision(2))}`;
  return `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function gbText(v: number): string {
  return v === 0 ? '0' : Math.abs(v) < 0.01 ? String(Number(v.toPrecision(2))) : v.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** What the price rests on, shown next to the dollars; '' when read from flow-log fields. */
function basisNote(r: Row): string {
  const basis = r.basis;
  if (typeof basis === 'string' && /infer/i.test(basis)) return ' (inferred)';
  const inferred = num(r.inferred_flows);
  const flows = num(r.flows);
  if (inferred !== undefined && inferred > 0)
    return flows !== undefined && inferred !== flows ? ` (${inferred}/${flows} inferred)` : ' (inferred)';
  return '';
}

function cell(name: string, v: JsonValue | undefined, r: Row | undefined): JsonValue {
  const n = num(v);
  if (n === undefined) return v ?? null;
  if (name === 'bytes' || name.endsWith('_bytes')) return humanBytes(n);
  if (name === 'estimated_cost_usd') return `${dollars(n)}${r && n !== 0 ? basisNote(r) : ''}`;
  if (name === 'gb' || name.endsWith('_gb')) return name === 'price_per_gb' ? dollars(n) : gbText(n);
  return v ?? null;
}

/** Whether a result is a cost answer this view applies to (it prices bytes). */
export function isCostResult(result: QueryResult): boolean {
  return result.columns.some((c) => c.name === 'estimated_cost_usd') && result.columns.some((c) => c.name === 'bytes' || c.name === 'gb');
}

/** The cost answer for a table: human units, the price's basis, and a TOTAL row. */
export function costTableView(result: QueryResult): QueryResult {
  const cols = result.columns.map((c) => c.name);
  const rows: Row[] = result.rows.map((r) => Object.fromEntries(cols.map((c) => [c, cell(c, r[c], r)])));
  if (result.rows.length > 1) {
    const total: Row = {};
    const inferred = result.rows.some((r) => basisNote(r) !== '' && num(r.estimated_cost_usd) !== 0);
    cols.forEach((c, i) => {
      if (i === 0) {
        total[c] = `TOTAL (${result.rows.length} rows)`;
        return;
      }
      if (!SUMMED(c)) {
        total[c] = '';
        return;
      }
      const sum = result.rows.reduce((s, r) => s + (num(r[c]) ?? 0), 0);
      total[c] =
        c === 'estimated_cost_usd'
          ? `${dollars(sum)}${inferred ? ' (part inferred)' : ''}`
          : cell(c, Math.round(sum * 1e6) / 1e6, undefined);
    });
    rows.push(total);
  }
  return {
    ...result,
    columns: result.columns.map((c) => (SUMMED(c.name) || c.name === 'price_per_gb' ? { ...c, type: 'varchar' } : c)),
    rows,
  };
}

/** Left out first when the table does not fit: the columns the dollars already speak for. */
const DROP_ORDER = ['inferred_flows', 'price_per_gb', 'gb', 'flows'];

/** The cost answer as a box table fitted to the width; `hidden` names the columns left out to fit. */
export function formatCostTable(result: QueryResult, layout: TableLayoutOptions = {}): { text: string; hidden: string[] } {
  if (result.rows.length === 0) return { text: '(no rows)\n', hidden: [] };
  const view = costTableView(result);
  const names = view.columns.map((c) => c.name);
  const rows = view.rows.map((row) => names.map((n) => cellText(row[n] ?? null)));
  const align = names.map((n) => (SUMMED(n) || n === 'price_per_gb' ? ('right' as const) : ('left' as const)));
  const drop = DROP_ORDER.map((n) => names.indexOf(n)).filter((i) => i >= 0);
  const t = renderTable(names, rows, { align, drop, ...layout });
  return { text: t.text, hidden: t.hidden };
}
