/**
 * One kind of error the user sees: a short, single-line message that names what is
 * wrong (the query, the parameter, the file). Anything else reaching the CLI is a bug
 * and is reported as such.
 */
export class CasebookError extends Error {
  /** Process exit code: 2 for usage mistakes, 1 for everything else. */
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CasebookError';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** A mistake in how the command was called (unknown query, bad parameter). */
export class UsageError extends CasebookError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** A parameter value a query refuses (or a parameter it does not have); names both. */
export class ParameterError extends UsageError {
  /** The query's id. */
  readonly query: string;
  /** The parameter's name as the query declares it (`source_ip`). */
  readonly parameter: string;
  constructor(message: string, query: string, parameter: string) {
    super(message);
    this.name = 'ParameterError';
    this.query = query;
    this.parameter = parameter;
  }
}

/** A query id the pack does not have; `suggestion` is the closest id, when one is close. */
export class UnknownQueryError extends UsageError {
  readonly query: string;
  readonly suggestion?: string;
  constructor(message: string, query: string, suggestion?: string) {
    super(message);
    this.name = 'UnknownQueryError';
    this.query = query;
    this.suggestion = suggestion;
  }
}

/** First line of a message, trimmed: errors from engines can be multi-line. */
export function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? text;
  return line.trim();
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
