/**
 * A small lexer for Athena (Trino) SQL text: it splits the text into string literals,
 * comments, quoted identifiers, words and punctuation, so that code which reads or
 * rewrites SQL (the local engine's Trino adaptations, its projection pushdown, the pack's
 * table checks) sees only what SQL reads as code, never the inside of a literal or a
 * comment. The tokens cover the text exactly: joining their `text` gives it back.
 *
 * It is a lexer, not a parser (the Trino grammar in dt-sql-parser takes over a second to
 * load, which every `casebook run` would pay). With `template: true` it also reads
 * Handlebars tags (`{{...}}`) as tokens of their own, for checks over query templates.
 */

export type TokenKind =
  /** White space. */
  | 'space'
  /** `-- ...` to the end of the line, or `/* ... *\/` (Trino does not nest them). */
  | 'comment'
  /** `'...'`, with `''` for a quote inside. */
  | 'string'
  /** `"..."` with `""` for a quote inside (or `` `...` ``, which Trino rejects but lexes). */
  | 'quoted'
  /** A run of letters, digits, `_` and `$`: an identifier, a keyword or a number. */
  | 'word'
  /** A Handlebars tag, `{{...}}`, `{{{...}}}` or `{{!-- ... --}}` (template text only). */
  | 'tag'
  /** Any other single character: punctuation and operators. */
  | 'symbol';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the first character in the scanned text. */
  start: number;
}

export interface LexOptions {
  /** Read Handlebars tags as `tag` tokens (for query templates, before rendering). */
  template?: boolean;
}

/** Letters, digits, `_`, `$` and any non-ASCII character (the lexer never splits a word in two). */
function isWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36 || code >= 128
  );
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code >= 128 && /\s/.test(String.fromCharCode(code)));
}

/** The end (exclusive) of a quoted run opened at `start` by `quote`; a doubled quote stays inside. */
function quotedEnd(text: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const close = text.indexOf(quote, i);
    if (close < 0) return text.length;
    if (text[close + 1] !== quote) return close + 1;
    i = close + 2;
  }
}

/** The end (exclusive) of the text that closes with `close`, searched from `from`; the text's end if it never closes. */
function closedBy(text: string, from: number, close: string): number {
  const at = text.indexOf(close, from);
  return at < 0 ? text.length : at + close.length;
}

function tagEnd(text: string, start: number): number {
  if (text.startsWith('{{!--', start)) return closedBy(text, start + 5, '--}}');
  if (text.startsWith('{{{', start)) return closedBy(text, start + 3, '}}}');
  return closedBy(text, start + 2, '}}');
}

/** Split `text` into tokens. An unterminated literal, comment or tag runs to the end of the text. */
export function lexSql(text: string, options: LexOptions = {}): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    const ch = text[i]!;
    let kind: TokenKind;
    if (options.template && text.startsWith('{{', i)) {
      kind = 'tag';
      i = tagEnd(text, i);
    } else if (ch === "'") {
      kind = 'string';
      i = quotedEnd(text, i, "'");
    } else if (ch === '"' || ch === '`') {
      kind = 'quoted';
      i = quotedEnd(text, i, ch);
    } else if (text.startsWith('--', i)) {
      kind = 'comment';
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (text.startsWith('/*', i)) {
      kind = 'comment';
      i = closedBy(text, i + 2, '*/');
    } else if (isSpace(text.charCodeAt(i))) {
      kind = 'space';
      while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    } else if (isWordChar(text.charCodeAt(i))) {
      kind = 'word';
      while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
    } else {
      kind = 'symbol';
      i++;
    }
    tokens.push({ kind, text: text.slice(start, i), start });
  }
  return tokens;
}

/** The tokens SQL reads: white space and comments dropped. */
export function codeTokens(text: string, options: LexOptions = {}): Token[] {
  return lexSql(text, options).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}

/**
 * The name a token gives as an identifier, lower-case (Trino and Athena match
 * identifiers without regard to case, quoted or not), or undefined when the token is
 * not an identifier (a literal, a number, punctuation).
 */
export function identifierName(token: Token | undefined): string | undefined {
  if (!token) return undefined;
  if (token.kind === 'word') return /^[0-9]/.test(token.text) ? undefined : token.text.toLowerCase();
  if (token.kind === 'quoted' && token.text.length >= 2 && token.text.endsWith(token.text[0]!)) {
    const q = token.text[0]!;
    return token.text
      .slice(1, -1)
      .replaceAll(q + q, q)
      .toLowerCase();
  }
  return undefined;
}

/** Whether the SQL names the table (as an identifier, possibly qualified or quoted) outside literals and comments. */
export function namesTable(sql: string, table: string, options: LexOptions = {}): boolean {
  const name = table.toLowerCase();
  return codeTokens(sql, options).some((t) => identifierName(t) === name);
}

/** The Handlebars tags of a template that are SQL code: those inside a SQL literal or comment are left out. */
export function templateTags(template: string): string[] {
  return lexSql(template, { template: true })
    .filter((t) => t.kind === 'tag')
    .map((t) => t.text);
}
