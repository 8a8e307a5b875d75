/** UTC time helpers for the sample lake. All times are Unix seconds. */

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' as midnight UTC; returns undefined if it is not a real date. */
export function parseDay(text: string): number | undefined {
  const m = DAY_RE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / 1000;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** 'YYYY-MM-DD' */
export function dayString(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 10);
}

let prefixDay = NaN;
let prefix = '';

/** CloudTrail eventTime: '2024-01-02T03:04:05Z'. */
export function isoFromUnixSeconds(sec: number): string {
  const day = Math.floor(sec / 86400);
  if (day !== prefixDay) {
    prefixDay = day;
    prefix = new Date(day * 86400000).toISOString().slice(0, 11);
  }
  const s = sec - day * 86400;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${prefix}${pad2(h)}:${pad2(m)}:${pad2(s % 60)}Z`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The Java-style date some services put in responseElements: 'Jan 3, 2022 8:13:57 PM'. */
export function javaDate(sec: number): string {
  const d = new Date(sec * 1000);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h12}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(sec: number): number {
  return new Date(sec * 1000).getUTCDay();
}
