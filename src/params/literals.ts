/**
 * SQL literals for rendered templates. A parameter reaches SQL only as one of these
 * objects: its string form is a complete, correctly quoted literal in both Athena
 * (Trino) and DuckDB syntax. Templates never see the raw text.
 */
export class SqlLiteral {
  constructor(
    readonly sql: string,
    readonly value: unknown,
  ) {}
  toString(): string {
    return this.sql;
  }
}

/** `'text'`, with quotes doubled. Standard SQL strings: no backslash escapes in either engine. */
export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A LIKE pattern that matches `text` literally, with `\` as the escape character. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function stringLiteral(text: string): SqlLiteral {
  return new SqlLiteral(quoteString(text), text);
}

export function numberLiteral(n: number): SqlLiteral {
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${n}`);
  return new SqlLiteral(String(n), n);
}

export function booleanLiteral(b: boolean): SqlLiteral {
  return new SqlLiteral(b ? 'TRUE' : 'FALSE', b);
}

/** A list renders as the comma-separated literals, ready for `IN ({{list}})`. */
export class SqlList extends Array<SqlLiteral> {
  override toString(): string {
    return this.map((v) => v.sql).join(', ');
  }
  plainValues(): unknown[] {
    return this.map((v) => v.value);
  }
}

export function listLiteral(items: SqlLiteral[]): SqlList {
  const list = new SqlList();
  list.push(...items);
  return list;
}
