import type { JsonValue } from '../engines/engine.js';

/** What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number: a spreadsheet reads it as a number, never a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A CSV cell that a spreadsheet cannot run. Log fields are attacker-controlled: a value
 * starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with a single quote, as OWASP
 * advises, so Excel, LibreOffice and Google Sheets show it as text. Numbers (JSON
 * numbers, and strings that are nothing but a decimal number such as `-5` or `+1.5e3`)
 * are written as they are; JSON and NDJSON output keeps every value raw.
 */
export function csvCell(v: JsonValue): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v !== 'string') return String(v);
  return FORMULA_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v;
}

/** csv-stringify options: a cell holding a bare CR is quoted too, so no reader splits the row there. */
export const CSV_QUOTE = { quoted_match: /\r/ } as const;
