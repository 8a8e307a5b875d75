import type { JsonValue, Row } from '../engines/engine.js';
import { humanBytes } from '../format/format.js';
import type { BarChartSpec, ChartSpec, PerDayChartSpec } from './definition.js';

/**
 * Static SVG charts, drawn here rather than by a browser library: the page must open
 * with no network and no script, and the same rows must give the same bytes.
 */

export type ValueFormat = 'number' | 'bytes' | 'usd';

const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];
const OTHER_COLOR = '#9ca3af';
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"';

export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Round to 2 decimals for coordinates, so output is short and stable. */
function r(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export function numeric(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v.trim())) return Number(v);
  return undefined;
}

export function inferFormat(column: string | undefined, given?: ValueFormat): ValueFormat {
  if (given) return given;
  if (column && /bytes/i.test(column)) return 'bytes';
  if (column && /(usd|cost|dollars)/i.test(column)) return 'usd';
  return 'number';
}

/** A value for an axis or a bar end: short. */
export function shortValue(n: number, f: ValueFormat): string {
  if (f === 'bytes') return humanBytes(n);
  if (f === 'usd') return n >= 1000 ? `$${compact(n)}` : n !== 0 && Math.abs(n) < 1 ? `$${Number(n.toPrecision(2))}` : `$${n.toFixed(2)}`;
  return compact(n);
}

/** A value in full, for a tooltip. */
export function fullValue(n: number, f: ValueFormat): string {
  const grouped = n.toLocaleString('en-US', { maximumFractionDigits: f === 'usd' ? 2 : 6 });
  if (f === 'bytes') return `${grouped} bytes (${humanBytes(n)})`;
  if (f === 'usd') return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return grouped;
}

function compact(n: number): string {
  const a = Math.abs(n);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [v, u] of units)
    if (a >= v) {
      const x = n / v;
      return `${x >= 100 ? Math.round(x) : Number(x.toFixed(1))}${u}`;
    }
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2)));
}

/** A round upper bound for an axis and its tick step. */
function niceScale(max: number, ticks = 4, integral = false): { top: number; step: number } {
  if (max <= 0) return { top: ticks, step: 1 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  if (integral) step = Math.max(1, Math.ceil(step));
  return { top: step * Math.ceil(max / step), step };
}

export interface ChartImage {
  /** Title shown above the chart. */
  title: string;
  /** The SVG element, or undefined when there is nothing to draw. */
  svg?: string;
  /** Why there is no chart, or a note on what it shows. */
  note?: string;
}

interface Bar {
  label: string;
  value: number;
}

export function barData(rows: Row[], spec: BarChartSpec): Bar[] {
  const out: Bar[] = [];
  for (const row of rows) {
    if (out.length >= spec.top) break;
    const value = numeric(row[spec.value]);
    if (value === undefined || value === 0) continue;
    const label = spec.label
      .map((c) => {
        const v = row[c];
        return v === null || v === undefined ? '(none)' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      })
      .join(spec.join);
    out.push({ label, value });
  }
  return out;
}

export function barChart(rows: Row[], spec: BarChartSpec): ChartImage {
  const fmt = inferFormat(spec.value, spec.format);
  const title = spec.title ?? `${spec.value} by ${spec.label.join(spec.join)} (top ${spec.top})`;
  const bars = barData(rows, spec);
  if (bars.length === 0)
    return { title, note: rows.length ? `Nothing to chart: no row has a ${spec.value} above 0.` : 'Nothing to chart: no rows.' };
  const width = 760;
  const labelW = 300;
  const valueW = 90;
  const barH = 20;
  const gap = 8;
  const top = 8;
  const height = top + bars.length * (barH + gap) + 4;
  const max = Math.max(...bars.map((b) => b.value), 0);
  const scale = max > 0 ? (width - labelW - valueW - 10) / max : 0;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bar" role="img" aria-label="${xml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ${FONT} font-size="12">`,
  );
  parts.push(`<title>${xml(title)}</title>`);
  bars.forEach((b, i) => {
    const y = top + i * (barH + gap);
    const w = Math.max(b.value * scale, b.value > 0 ? 1 : 0);
    parts.push(
      `<g class="bar"><title>${xml(`${b.label}: ${fullValue(b.value, fmt)}`)}</title>` +
        `<text x="${labelW - 8}" y="${r(y + barH / 2 + 4)}" text-anchor="end" fill="#1f2937">${xml(clip(b.label, 44))}</text>` +
        `<rect class="bar-rect" x="${labelW}" y="${y}" width="${r(w)}" height="${barH}" rx="2" fill="${PALETTE[0]}"/>` +
        `<text x="${r(labelW + w + 6)}" y="${r(y + barH / 2 + 4)}" fill="#374151">${xml(shortValue(b.value, fmt))}</text></g>`,
    );
  });
  parts.push(`<line x1="${labelW}" y1="${top - 4}" x2="${labelW}" y2="${height - 2}" stroke="#9ca3af"/>`);
  parts.push('</svg>');
  return { title, svg: parts.join('\n') };
}

/** The UTC day (YYYY-MM-DD) of a time value: ISO-8601 text, a day, or epoch seconds/milliseconds. */
export function utcDay(v: JsonValue | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') {
    const ms = Math.abs(v) < 1e11 ? v * 1000 : v;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
  }
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  if (/^\d{4}\/\d{2}\/\d{2}$/.test(t)) return t.replace(/\//g, '-');
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(t)) return t.slice(0, 10);
  const d = new Date(t.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}

export interface DaySeries {
  name: string;
  values: number[];
}

const MAX_SERIES = 6;

export function perDayData(rows: Row[], spec: PerDayChartSpec, days: string[]): DaySeries[] {
  const index = new Map(days.map((d, i) => [d, i]));
  const byName = new Map<string, number[]>();
  const total = spec.series ? undefined : 'total';
  for (const row of rows) {
    const day = utcDay(row[spec.time]);
    const i = day === undefined ? undefined : index.get(day);
    if (i === undefined) continue;
    const add = spec.value ? (numeric(row[spec.value]) ?? 0) : 1;
    const sv = spec.series ? row[spec.series] : undefined;
    const name = total ?? (sv === null || sv === undefined ? '(none)' : String(sv));
    let values = byName.get(name);
    if (!values) {
      values = days.map(() => 0);
      byName.set(name, values);
    }
    values[i]! += add;
  }
  if (total) return [{ name: total, values: byName.get(total) ?? days.map(() => 0) }];
  const series = [...byName.entries()]
    .map(([name, values]) => ({ name, values, sum: values.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.sum - a.sum || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const kept: DaySeries[] = series.slice(0, MAX_SERIES).map(({ name, values }) => ({ name, values }));
  const rest = series.slice(MAX_SERIES);
  if (rest.length > 0)
    kept.push({ name: `other (${rest.length})`, values: days.map((_, i) => rest.reduce((s, x) => s + x.values[i]!, 0)) });
  return kept;
}

interface LegendItem {
  name: string;
  color: string;
  x: number;
  y: number;
}

/** Legend entries laid out left to right, wrapping onto new rows. */
function legendLayout(series: DaySeries[], colors: string[], left: number, maxX: number): { items: LegendItem[]; height: number } {
  if (series.length < 2) return { items: [], height: 0 };
  const items: LegendItem[] = [];
  let x = left;
  let y = 4;
  series.forEach((s, i) => {
    const name = clip(s.name, 32);
    const w = 24 + name.length * 6.4;
    if (x > left && x + w > maxX) {
      x = left;
      y += 18;
    }
    items.push({ name, color: colors[i]!, x, y });
    x += w;
  });
  return { items, height: y + 18 };
}

function seriesColors(series: DaySeries[]): string[] {
  return series.map((s, i) => (s.name.startsWith('other (') ? OTHER_COLOR : PALETTE[i % PALETTE.length]!));
}

export function perDayChart(rows: Row[], spec: PerDayChartSpec, days: string[]): ChartImage {
  const fmt = inferFormat(spec.value, spec.format);
  const what = spec.value ? `${spec.value} per day` : 'rows per day';
  const title = spec.title ?? `${what}${spec.series ? ` by ${spec.series}` : ''} (UTC)`;
  if (days.length === 0) return { title, note: 'Nothing to chart: the period has no days.' };
  const series = perDayData(rows, spec, days);
  const colors = seriesColors(series);
  const width = 760;
  const left = 64;
  const right = 16;
  const legend = legendLayout(series, colors, left, width - right);
  const topPad = 12 + legend.height;
  const bottom = 36;
  const height = 230 + legend.height;
  const plotW = width - left - right;
  const plotH = height - topPad - bottom;
  const columns = (spec.style ?? 'columns') === 'columns';
  const totals = days.map((_, i) => series.reduce((a, s) => a + s.values[i]!, 0));
  const max = columns ? Math.max(0, ...totals) : Math.max(0, ...series.flatMap((s) => s.values));
  const integral = series.every((s) => s.values.every((v) => Number.isInteger(v)));
  const { top: yTop, step } = niceScale(max, 4, integral);
  const band = plotW / days.length;
  const x = columns
    ? (i: number) => left + band * (i + 0.5)
    : (i: number) => left + (days.length === 1 ? plotW / 2 : (i * plotW) / (days.length - 1));
  const y = (v: number) => topPad + plotH - (v / yTop) * plotH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-per-day" role="img" aria-label="${xml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ${FONT} font-size="11">`,
  );
  parts.push(`<title>${xml(title)}</title>`);
  for (let v = 0; v <= yTop + step / 2; v += step) {
    parts.push(
      `<line class="grid" x1="${left}" y1="${r(y(v))}" x2="${width - right}" y2="${r(y(v))}" stroke="#e5e7eb"/>` +
        `<text x="${left - 6}" y="${r(y(v) + 4)}" text-anchor="end" fill="#4b5563">${xml(shortValue(v, fmt))}</text>`,
    );
  }
  const tickEvery = Math.max(1, Math.ceil(days.length / 8));
  days.forEach((d, i) => {
    const last = i === days.length - 1;
    if (i % tickEvery !== 0 && !last) return;
    if (last && i % tickEvery !== 0 && i % tickEvery < tickEvery / 2) return;
    parts.push(
      `<line x1="${r(x(i))}" y1="${topPad + plotH}" x2="${r(x(i))}" y2="${topPad + plotH + 4}" stroke="#9ca3af"/>` +
        `<text x="${r(x(i))}" y="${topPad + plotH + 17}" text-anchor="middle" fill="#4b5563">${days.length > 62 ? d : d.slice(5)}</text>`,
    );
  });
  parts.push(`<line x1="${left}" y1="${topPad + plotH}" x2="${width - right}" y2="${topPad + plotH}" stroke="#9ca3af"/>`);
  if (columns) {
    const bw = Math.max(1, band * 0.78);
    const base = days.map(() => 0);
    series.forEach((s, si) => {
      parts.push(`<g class="series" data-series="${xml(s.name)}">`);
      s.values.forEach((v, i) => {
        if (v <= 0) return;
        const y0 = y(base[i]!);
        const y1 = y(base[i]! + v);
        base[i]! += v;
        const label = `${days[i]}: ${fullValue(v, fmt)}${s.name === 'total' ? '' : ` ${s.name}`}`;
        parts.push(
          `<rect class="day-bar" x="${r(x(i) - bw / 2)}" y="${r(y1)}" width="${r(bw)}" height="${r(Math.max(y0 - y1, 0.5))}" fill="${colors[si]}"><title>${xml(label)}</title></rect>`,
        );
      });
      parts.push('</g>');
    });
  } else {
    series.forEach((s, si) => {
      const points = s.values.map((v, i) => `${r(x(i))},${r(y(v))}`).join(' ');
      parts.push(`<g class="series" data-series="${xml(s.name)}"><title>${xml(s.name === 'total' ? what : s.name)}</title>`);
      if (days.length > 1)
        parts.push(
          `<polyline class="line" points="${points}" fill="none" stroke="${colors[si]}" stroke-width="2" stroke-linejoin="round"/>`,
        );
      if (days.length <= 62) {
        s.values.forEach((v, i) => {
          parts.push(
            `<circle class="point" cx="${r(x(i))}" cy="${r(y(v))}" r="${v > 0 ? 3 : 1.5}" fill="${colors[si]}"><title>${days[i]}: ${xml(fullValue(v, fmt))}${s.name === 'total' ? '' : ` (${xml(s.name)})`}</title></circle>`,
          );
        });
      }
      parts.push('</g>');
    });
  }
  for (const item of legend.items) {
    parts.push(
      `<g class="legend"><rect x="${r(item.x)}" y="${item.y}" width="10" height="10" fill="${item.color}"/><text x="${r(item.x + 14)}" y="${item.y + 9}" fill="#1f2937">${xml(item.name)}</text></g>`,
    );
  }
  parts.push('</svg>');
  const sum = totals.reduce((a, b) => a + b, 0);
  return { title, svg: parts.join('\n'), note: sum === 0 ? 'No rows fall on any day of the period.' : undefined };
}

export function drawChart(rows: Row[], spec: ChartSpec, days: string[]): ChartImage {
  return spec.type === 'bar' ? barChart(rows, spec) : perDayChart(rows, spec, days);
}

/** A standalone SVG file (for the Markdown page and anyone who wants the picture alone). */
export function svgFile(svg: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
