/**
 * Terminal escaping: log fields, file names and manifest text are written by whoever
 * produced them, so nothing casebook prints to a terminal may carry a control
 * sequence. Every character a terminal could act on is shown as a visible escape:
 * C0 controls (`\x1b`, with `\n`, `\r`, `\t` spelt as such), DEL and C1 controls
 * (`\x7f`, `\x9b`), the line and paragraph separators (`\u2028`, `\u2029`) and the
 * bidirectional overrides and isolates (`\u202e`, `\u2066`...) that reorder what is shown.
 * A backslash is left as it is: the escapes are for the reader, not a round-trip encoding.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_KEEP_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One value (a cell, a file name, a manifest field) as terminal-safe text: every control character a visible escape, newlines included. */
export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Multi-line text (messages, listings) as terminal-safe text: line breaks kept, every other control character a visible escape. */
export function escapeTerminalLines(text: string): string {
  return text.replace(UNSAFE_KEEP_NEWLINE, visible);
}

/**
 * The one control sequence casebook itself writes to stderr: return to the start of the
 * line and clear it (a live progress line on a terminal). Kept as is by safeStderr.
 */
export const CLEAR_LINE = '\r\x1b[2K';

/**
 * Everything written to stderr (errors, progress, statistics) is human text: keep line
 * breaks and casebook's own clear-line sequence, escape every other control character.
 */
export function safeStderr(text: string): string {
  return text.split(CLEAR_LINE).map(escapeTerminalLines).join(CLEAR_LINE);
}
