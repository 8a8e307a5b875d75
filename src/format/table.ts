/**
 * Result tables that fit the terminal. Cells arrive already as text (escaped for the
 * terminal by the caller); this module only lays them out.
 *
 * - Not a terminal (piped, redirected): one box table with every cell whole, whatever
 *   the width: stable output that does not depend on the window it was run from.
 * - A terminal: the same table when it fits the width; otherwise one block per record,
 *   a `column  value` line per column in the query's order (its most useful columns come
 *   first), so no row wraps into box-drawing debris and no value is cut.
 * - `wide`: the table, whatever the width (for `less -S`).
 */

export type Align = 'left' | 'right';

export interface TableLayoutOptions {
  /** Terminal width in columns; undefined when output is not a terminal. */
  width?: number;
  /** Always the table, however wide. */
  wide?: boolean;
  /** Alignment per column (default left). */
  align?: Align[];
  /** Columns of prose (titles, descriptions) that may wrap onto several lines to fit; values to copy never do. */
  wrap?: boolean[];
  /** Columns that may be left out to fit, least useful first (the caller says so on stderr). */
  drop?: number[];
}

export interface RenderedTable {
  text: string;
  layout: 'table' | 'records';
  /** Columns left out to fit the width. */
  hidden: string[];
}

/** Word-wrap prose to `width` (a word longer than the width is broken). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/ +/)) {
    while (displayWidth(word) > width) {
      if (line) {
        lines.push(line);
        line = '';
      }
      const chars = [...word];
      let head = '';
      while (chars.length && displayWidth(head + chars[0]) <= width) head += chars.shift();
      lines.push(head);
      word = chars.join('');
    }
    if (!line) line = word;
    else if (displayWidth(`${line} ${word}`) <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** Width of text as a terminal shows it: one cell per code point, two for East Asian wide and emoji ranges. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x300 && c < 0x370) || c === 0x200b || c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f))
      continue;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff) ||
      (c >= 0x20000 && c <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

function pad(s: string, width: number, align: Align = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** Width of the box table with these column widths: `│ a │ b │`. */
export function tableWidth(widths: number[]): number {
  return widths.reduce((s, w) => s + w, 0) + 3 * widths.length + 1;
}

function naturalWidths(columns: string[], rows: string[][]): number[] {
  return columns.map((c, i) => Math.max(displayWidth(c), ...rows.map((r) => displayWidth(r[i] ?? ''))));
}

function boxTable(columns: string[], rows: string[][], align: Align[], widths = naturalWidths(columns, rows)): string {
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const lines = (cells: string[], al: Align[]) => {
    const parts = cells.map((c, i) => (displayWidth(c) > widths[i]! ? wrapText(c, widths[i]!) : [c]));
    const height = Math.max(...parts.map((p) => p.length));
    return Array.from({ length: height }, (_, k) => `│ ${parts.map((p, i) => pad(p[k] ?? '', widths[i]!, al[i])).join(' │ ')} │`);
  };
  const out = [rule('┌', '┬', '┐'), ...lines(columns, []), rule('├', '┼', '┤')];
  for (const r of rows) out.push(...lines(r, align));
  out.push(rule('└', '┴', '┘'));
  return `${out.join('\n')}\n`;
}

/**
 * Column widths that fit `width`, shrinking only the prose columns (to no less than
 * MIN_PROSE or their header); undefined when that is not enough.
 */
const MIN_PROSE = 20;
function fitWidths(columns: string[], rows: string[][], wrap: boolean[], width: number): number[] | undefined {
  const widths = naturalWidths(columns, rows);
  let over = tableWidth(widths) - width;
  if (over <= 0) return widths;
  const prose = widths
    .map((_, i) => i)
    .filter((i) => wrap[i])
    .sort((a, b) => widths[b]! - widths[a]!);
  for (const i of prose) {
    const min = Math.min(widths[i]!, Math.max(MIN_PROSE, displayWidth(columns[i]!)));
    const take = Math.min(over, widths[i]! - min);
    widths[i]! -= take;
    over -= take;
    if (over <= 0) return widths;
  }
  return undefined;
}

function records(columns: string[], rows: string[][], width: number): string {
  const label = Math.max(...columns.map(displayWidth));
  const out: string[] = [];
  rows.forEach((r, n) => {
    const head = `─[ ${n + 1} of ${rows.length} ]`;
    out.push(`${head}${'─'.repeat(Math.max(0, Math.min(width, label + 42) - displayWidth(head)))}`);
    // Each value whole on its own line: a long one is wrapped by the terminal, never cut.
    columns.forEach((c, i) => {
      out.push(`${pad(c, label)}  ${r[i] ?? ''}`.trimEnd());
    });
  });
  return `${out.join('\n')}\n`;
}

/** Lay out a result: `columns` names, `rows` cells as text. */
export function renderTable(columns: string[], rows: string[][], options: TableLayoutOptions = {}): RenderedTable {
  const align = options.align ?? [];
  if (options.width === undefined || options.wide) return { text: boxTable(columns, rows, align), layout: 'table', hidden: [] };
  const wrap = options.wrap ?? [];
  const drop = options.drop ?? [];
  for (let k = 0; k <= drop.length; k++) {
    const gone = new Set(drop.slice(0, k));
    const keep = columns.map((_, i) => i).filter((i) => !gone.has(i));
    const pick = <T>(xs: T[]) => keep.map((i) => xs[i]!);
    const widths = fitWidths(pick(columns), rows.map(pick), pick(columns.map((_, i) => Boolean(wrap[i]))), options.width);
    if (widths) {
      return {
        text: boxTable(pick(columns), rows.map(pick), pick(columns.map((_, i) => align[i] ?? 'left')), widths),
        layout: 'table',
        hidden: [...gone].map((i) => columns[i]!),
      };
    }
  }
  return { text: records(columns, rows, options.width), layout: 'records', hidden: [] };
}
