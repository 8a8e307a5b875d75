import { lexSql, type Token } from '../sql/lexer.js';

/**
 * Forms of Trino SQL the embedded engine cannot answer as Athena does, refused when the
 * pack is loaded (docs/decisions/0012-engines-agree.md). Trino's regular expressions
 * are Java's; DuckDB's are RE2's, which lacks lookaround, backreferences, possessive
 * quantifiers, atomic groups, Java's named groups and class intersection, and cannot
 * tell a group that took no part in a match (NULL on Trino) from one that matched
 * nothing (''): extracting a group that may not take part is refused too.
 */

const REGEX_FUNCTIONS = new Set([
  'regexp_like',
  'regexp_extract',
  'regexp_extract_all',
  'regexp_replace',
  'regexp_split',
  'regexp_count',
  'regexp_position',
]);

/** Java-only constructs, found in a pattern's text outside escapes. */
const JAVA_ONLY: [RegExp, string][] = [
  [/^\(\?<?[=!]/, 'lookaround'],
  [/^\(\?>/, 'an atomic group'],
  [/^\(\?<[A-Za-z]/, 'a Java named group (write (?:...) or number the groups)'],
  [/^\(\?P</, 'an RE2 named group (Trino does not read it)'],
  [/^[*+?]\+/, 'a possessive quantifier'],
  [/^\{[0-9]+(,[0-9]*)?\}\+/, 'a possessive quantifier'],
  [/^\\[1-9]/, 'a backreference'],
  [/^\\k</, 'a backreference'],
  [/^\\[GZRhHXveu]/, 'an escape RE2 lacks'],
  [/^\\p\{(Is|In|java)/, 'a Java character property'],
  [/^&&/, 'a class intersection'],
];

/** The SQL text of a string literal token. */
function unquote(t: Token): string {
  return t.text.slice(1, -1).replaceAll("''", "'");
}

/** Arguments (token ranges at depth 1) of the call whose `(` is code[open]. */
function callArguments(code: Token[], open: number): Token[][] {
  const args: Token[][] = [[]];
  let depth = 1;
  for (let j = open + 1; j < code.length; j++) {
    const t = code[j]!;
    if (t.text === '(' || t.text === '[') depth++;
    else if ((t.text === ')' || t.text === ']') && --depth === 0) return args;
    if (t.text === ',' && depth === 1) args.push([]);
    else args[args.length - 1]!.push(t);
  }
  return args;
}

/** Java-only constructs in a pattern. */
export function javaOnlyConstructs(pattern: string): string[] {
  const found = new Set<string>();
  for (let i = 0; i < pattern.length; i++) {
    const rest = pattern.slice(i);
    for (const [re, what] of JAVA_ONLY) if (re.test(rest)) found.add(what);
    if (pattern[i] === '\\') i++;
  }
  return [...found];
}

interface Group {
  number?: number;
  parent: number;
  start: number;
  end: number;
  optional: boolean;
  alternation: boolean;
}

/** Whether capturing group `n` may take no part in a match: it or a group around it is optional, or sits in one branch of an alternation. */
export function groupMayNotTakePart(pattern: string, n: number): boolean {
  const groups: Group[] = [{ parent: -1, start: 0, end: pattern.length, optional: false, alternation: false }];
  const stack = [0];
  let count = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (ch === '(') {
      const capturing = pattern[i + 1] !== '?' || /^\(\?<[A-Za-z]/.test(pattern.slice(i)) || pattern.startsWith('(?P<', i);
      groups.push({
        ...(capturing ? { number: ++count } : {}),
        parent: stack[stack.length - 1]!,
        start: i,
        end: -1,
        optional: false,
        alternation: false,
      });
      stack.push(groups.length - 1);
    } else if (ch === ')' && stack.length > 1) {
      const g = groups[stack.pop()!]!;
      g.end = i;
      g.optional = /^(\?|\*|\{0[,}]|\{,)/.test(pattern.slice(i + 1));
    } else if (ch === '|') groups[stack[stack.length - 1]!]!.alternation = true;
  }
  let g = groups.findIndex((x) => x.number === n);
  if (g < 0) return false;
  if (groups[g]!.optional) return true;
  for (let p = groups[g]!.parent; p >= 0; p = groups[p]!.parent) {
    if (groups[p]!.optional || groups[p]!.alternation) return true;
    g = p;
  }
  return false;
}

/** Why the SQL (a template with its partials, or rendered SQL) holds a form the engines answer differently; empty when none. */
export function divergentForms(sql: string, options: { template?: boolean } = {}): string[] {
  const code = lexSql(sql, options).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const out: string[] = [];
  code.forEach((t, i) => {
    const name = t.kind === 'word' ? t.text.toLowerCase() : '';
    if (!REGEX_FUNCTIONS.has(name) || code[i + 1]?.text !== '(') return;
    const args = callArguments(code, i + 1);
    const p = args[1];
    if (p?.length !== 1 || p[0]!.kind !== 'string') return;
    const pattern = unquote(p[0]!);
    for (const what of javaOnlyConstructs(pattern))
      out.push(`${name}(..., '${pattern}'): ${what} reads differently in Java (Athena) and RE2 (the local engine)`);
    const g = args[2];
    if (
      (name === 'regexp_extract' || name === 'regexp_extract_all') &&
      g?.length === 1 &&
      /^[1-9][0-9]*$/.test(g[0]!.text) &&
      groupMayNotTakePart(pattern, Number(g[0]!.text))
    ) {
      out.push(
        `${name}(..., '${pattern}', ${g[0]!.text}): group ${g[0]!.text} may take no part in a match, which is NULL on Athena and '' on the local engine; make the group required or extract a group around it`,
      );
    }
  });
  return out;
}
