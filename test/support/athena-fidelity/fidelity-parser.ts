/**
 * Loads the Trino grammar from `dt-sql-parser` and parses one SQL text with it.
 *
 * Only the Trino slice of the package is imported (lexer, parser, listener and the
 * `TrinoSQL` driver), not its root entry, which pulls in eight other dialects and
 * costs about half a second (several seconds under vitest's transform).
 *
 * Node ESM caveat: dt-sql-parser 4.x ships ES modules without `"type": "module"`
 * and with extension-less relative imports (`from '../SQLParserBase'`). Bundlers and
 * vitest resolve those; Node's own ESM resolver does not. A resolve hook, scoped to
 * relative imports made from inside dt-sql-parser that fail to resolve, retries them
 * with `.js` and `/index.js`. It must be registered before the first import of the
 * package (a failed import is cached), hence the dynamic imports below.
 * See docs/decisions/0003-athena-fidelity.md.
 */
import { register } from 'node:module';
import type { ProgramContext, TrinoSqlParser } from 'dt-sql-parser/dist/lib/trino/TrinoSqlParser.js';
import type { TrinoSqlListener } from 'dt-sql-parser/dist/lib/trino/TrinoSqlListener.js';

const DT_SQL_PARSER_RESOLVE_HOOK = `
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const parent = context.parentURL ?? '';
    if (parent.includes('/node_modules/dt-sql-parser/') && specifier.startsWith('.')) {
      for (const suffix of ['.js', '/index.js']) {
        try { return await nextResolve(specifier + suffix, context); } catch {}
      }
    }
    throw error;
  }
}
`;

register(`data:text/javascript,${encodeURIComponent(DT_SQL_PARSER_RESOLVE_HOOK)}`);

const [{ TrinoSQL }, listenerModule] = await Promise.all([
  import('dt-sql-parser/dist/parser/trino/index.js'),
  import('dt-sql-parser/dist/lib/trino/TrinoSqlListener.js'),
]);

/** Base class for tree listeners (the generated listener with no-op methods). */
export const TrinoListenerBase: typeof TrinoSqlListener = listenerModule.TrinoSqlListener;

/** One syntax error; `column` is 1-based, as Trino and Athena report it. */
export interface SyntaxIssue {
  line: number;
  column: number;
  message: string;
}

export interface ParsedSql {
  tree: ProgramContext;
  errors: SyntaxIssue[];
}

const MAX_EXPECTED = 10;

/**
 * ANTLR lists every token that could follow, which after `FROM` is some 250
 * non-reserved keywords. Keep the message readable: punctuation and token kinds
 * first, keywords after, at most MAX_EXPECTED of them.
 */
export function condenseMessage(message: string): string {
  const match = /^(.*?expecting )\{(.*)\}$/s.exec(message);
  if (!match) return message;
  const [, head, list] = match as unknown as [string, string, string];
  const items = list.split(', ').filter((item) => !/^(QUOTED|BACKQUOTED|DIGIT)_IDENTIFIER$/.test(item));
  const named = items.map((item) => (item === 'IDENTIFIER' ? 'an identifier' : item));
  const isKeyword = (item: string): boolean => /^'[A-Z_0-9]+'$/.test(item);
  const ordered = [...named.filter((i) => !isKeyword(i)), ...named.filter(isKeyword)];
  if (ordered.length <= MAX_EXPECTED) return `${head}${ordered.join(', ')}`;
  const rest = ordered.length - MAX_EXPECTED;
  return `${head}one of ${ordered.slice(0, MAX_EXPECTED).join(', ')} or ${rest} more`;
}

/** `PredictionMode.LL` in antlr4ng (SLL = 0, LL = 1); antlr4ng is not a direct dependency. */
const PREDICTION_MODE_LL = 1;

const trino = new TrinoSQL();

function parseWith(sql: string, mode: 'SLL' | 'LL'): ParsedSql {
  const errors: SyntaxIssue[] = [];
  // The callback receives dt-sql-parser's reworded error and the raw ANTLR one; the raw
  // one is closest to what Trino prints ("mismatched input 'FORM' expecting ...").
  const parser: TrinoSqlParser = trino.createParser(sql, (_friendly, raw) => {
    // dt-sql-parser adds a semantic predicate to column references (for code
    // completion); its failure message means nothing to a query author.
    const message = raw.msg.includes('failed predicate')
      ? `unexpected input '${raw.offendingSymbol?.text ?? ''}'`
      : condenseMessage(raw.msg);
    errors.push({ line: raw.line, column: raw.charPositionInLine + 1, message });
  });
  if (mode === 'LL') parser.interpreter.predictionMode = PREDICTION_MODE_LL;
  parser.buildParseTrees = true;
  const tree = parser.program();
  return { tree, errors };
}

/**
 * Parses `sql` with the Trino grammar. Uses the fast SLL prediction first and, as
 * ANTLR recommends, re-parses with full LL only when SLL reports an error, so a
 * reported error is a real one and not an SLL false alarm.
 */
export function parseTrino(sql: string): ParsedSql {
  const fast = parseWith(sql, 'SLL');
  return fast.errors.length === 0 ? fast : parseWith(sql, 'LL');
}

/** Walks `tree` depth-first, calling the listener's enter/exit methods. */
export function walk(listener: TrinoSqlListener, tree: ProgramContext): void {
  trino.listen(listener, tree);
}
