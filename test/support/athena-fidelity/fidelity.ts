/**
 * Athena fidelity checker: proves a rendered query is Athena engine version 3 SQL.
 *
 * Tests run the templates on DuckDB through a compatibility layer, which would happily
 * accept DuckDB-only syntax and functions. This check closes that gap without an AWS
 * account: the SQL must parse under the Trino grammar (dt-sql-parser's Trino 450
 * grammar) as exactly one statement, and every function it calls, read from the parse
 * tree, must be in `athena-v3-functions.json`.
 * See docs/decisions/0003-athena-fidelity.md.
 */
import type {
  BackQuotedIdentifierContext,
  DigitIdentifierContext,
  FunctionCallContext,
  IdentifierContext,
  ProgramContext,
  QualifiedNameContext,
  TableFunctionCallContext,
} from 'dt-sql-parser/dist/lib/trino/TrinoSqlParser.js';
import athenaV3 from './athena-v3-functions.json' with { type: 'json' };
import { parseTrino, TrinoListenerBase, walk, type SyntaxIssue } from './fidelity-parser.js';

export interface FidelityReport {
  ok: boolean;
  /** "line L:C message", 1-based line and column. */
  syntaxErrors: string[];
  /** Distinct lower-case names of the functions called, sorted. */
  functions: string[];
  /** The subset of `functions` that Athena engine version 3 does not have, sorted. */
  unknownFunctions: string[];
}

const ATHENA_FUNCTIONS: ReadonlySet<string> = new Set(athenaV3.functions);

/** Navigation and match functions that exist only inside row pattern recognition. */
const PATTERN_FUNCTIONS: ReadonlySet<string> = new Set(athenaV3.patternRecognitionFunctions);

/** Functions Athena engine version 3 provides (lower-case), from athena-v3-functions.json. */
export function athenaFunctions(): ReadonlySet<string> {
  return ATHENA_FUNCTIONS;
}

interface Position {
  line: number;
  column: number;
}

interface Located {
  start: { line: number; column: number } | null;
}

function positionOf(ctx: Located): Position {
  // antlr columns are 0-based; Trino and Athena print them 1-based.
  return { line: ctx.start?.line ?? 1, column: (ctx.start?.column ?? 0) + 1 };
}

/**
 * The canonical name of one identifier: Trino matches function names
 * case-insensitively, quoted or not, so `"Lower"` and `LOWER` both name `lower`.
 */
function identifierName(ctx: IdentifierContext): string {
  const text = ctx.getText();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replaceAll('""', '"').toLowerCase();
  }
  return text.toLowerCase();
}

function qualifiedName(ctx: QualifiedNameContext): string {
  return ctx.identifier().map(identifierName).join('.');
}

interface Call {
  name: string;
  inPattern: boolean;
}

/**
 * Collects function calls from the parse tree. Besides ordinary calls
 * (`name(...)`, including `count(*)`, `count(DISTINCT x)`, `f(...) OVER (...)`,
 * `if`, `nullif`, `try`) the Trino grammar gives some functions their own syntax;
 * those that are documented functions are reported under their function name.
 * CAST/TRY_CAST, EXTRACT, CASE, ARRAY[...], ROW(...), lambdas, literals and
 * current_date-style keywords are grammar, not calls.
 */
class CallCollector extends TrinoListenerBase {
  readonly calls: Call[] = [];
  readonly issues: SyntaxIssue[] = [];
  private patternDepth = 0;

  private add(name: string): void {
    this.calls.push({ name, inPattern: this.patternDepth > 0 });
  }

  private reject(ctx: Located, message: string): void {
    this.issues.push({ ...positionOf(ctx), message });
  }

  override enterFunctionCall = (ctx: FunctionCallContext): void => {
    this.add(qualifiedName(ctx.functionName().qualifiedName()));
  };

  override enterTableFunctionCall = (ctx: TableFunctionCallContext): void => {
    this.add(qualifiedName(ctx.functionName().qualifiedName()));
  };

  override enterCoalesce = (): void => this.add('coalesce');
  override enterTrim = (): void => this.add('trim');
  override enterSubstring = (): void => this.add('substring');
  override enterPosition = (): void => this.add('position');
  override enterNormalize = (): void => this.add('normalize');
  override enterListAgg = (): void => this.add('listagg');
  override enterJsonExists = (): void => this.add('json_exists');
  override enterJsonValue = (): void => this.add('json_value');
  override enterJsonQuery = (): void => this.add('json_query');
  override enterJsonObject = (): void => this.add('json_object');
  override enterJsonArray = (): void => this.add('json_array');

  // MATCH_RECOGNIZE, and MEASURES / DEFINE in a window frame, allow prev(), first(), ...
  override enterPatternRecognition = (): void => {
    this.patternDepth++;
  };
  override exitPatternRecognition = (): void => {
    this.patternDepth--;
  };
  override enterWindowFrame = (): void => {
    this.patternDepth++;
  };
  override exitWindowFrame = (): void => {
    this.patternDepth--;
  };

  // The grammar lexes these so that Trino can reject them with a helpful message; so do we.
  override enterBackQuotedIdentifier = (ctx: BackQuotedIdentifierContext): void =>
    this.reject(ctx, `backquoted identifiers are not supported; use double quotes to quote identifiers: ${ctx.getText()}`);
  override enterDigitIdentifier = (ctx: DigitIdentifierContext): void =>
    this.reject(ctx, `identifiers must not start with a digit; surround the identifier with double quotes: ${ctx.getText()}`);
}

function statementIssues(tree: ProgramContext): SyntaxIssue[] {
  const statements = tree.statements();
  if (statements.length === 0) return [{ line: 1, column: 1, message: 'empty query: expected one SQL statement' }];
  return statements.slice(1).map((extra) => ({
    ...positionOf(extra),
    message: 'only one statement is allowed per query; remove the text after the first statement',
  }));
}

function format(issue: SyntaxIssue): string {
  return `line ${issue.line}:${issue.column} ${issue.message}`;
}

function byPosition(a: SyntaxIssue, b: SyntaxIssue): number {
  return a.line - b.line || a.column - b.column;
}

/**
 * Checks that `sql` is a single Athena engine version 3 (Trino) statement that calls
 * only functions Athena provides. Never throws for bad SQL: problems are reported.
 */
export function checkAthenaSql(sql: string): FidelityReport {
  const { tree, errors } = parseTrino(sql);
  const collector = new CallCollector();
  walk(collector, tree);

  // Statement-count problems are only meaningful once the text parses.
  const issues = [...errors, ...collector.issues, ...(errors.length === 0 ? statementIssues(tree) : [])];
  const syntaxErrors = [...new Set(issues.sort(byPosition).map(format))];

  const functions = new Set<string>();
  const unknown = new Set<string>();
  for (const { name, inPattern } of collector.calls) {
    functions.add(name);
    const known = ATHENA_FUNCTIONS.has(name) || (inPattern && PATTERN_FUNCTIONS.has(name));
    if (!known) unknown.add(name);
  }

  const unknownFunctions = [...unknown].sort();
  return {
    ok: syntaxErrors.length === 0 && unknownFunctions.length === 0,
    syntaxErrors,
    functions: [...functions].sort(),
    unknownFunctions,
  };
}
