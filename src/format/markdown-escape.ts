import { escapeTerminal } from './escape.js';

/**
 * Text for one cell of a Markdown table, inert whatever it holds: HTML is written as
 * entities (`&lt;script&gt;` shows as text, never runs or renders), the characters that
 * end a cell, open a code span or a link are backslash-escaped, a line break (LF, CRLF
 * or a bare CR) becomes `<br>` so a row is never split, and any other control
 * character is a visible escape (`\x1b`).
 */
export function mdCell(text: string): string {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((part) =>
      escapeTerminal(
        part
          .replace(/&/g, '&amp;')
          .replace(/</g, '&lt;')
          .replace(/>/g, '&gt;')
          .replace(/[\\|`[\]]/g, (c) => `\\${c}`),
      ),
    )
    .join('<br>');
}

/** Inline Markdown text (a title, an error message) on one line: as a cell, with line breaks as spaces. */
export function mdInline(text: string): string {
  return mdCell(text.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' '));
}
