/**
 * Projection pushdown for the local engine: which columns (and which fields of a
 * struct column) a query reads, so the JSON reader converts only those. DuckDB cannot
 * push a projection into the `Records` array of a CloudTrail file by itself: without
 * this, every field of every record is converted (the `json` columns serialised back
 * to text) whatever the query reads.
 *
 * The analysis reads the SQL as tokens (sql/lexer.ts) and is conservative: a column is
 * kept when its name appears as an identifier anywhere in the SQL (string literals and
 * comments do not count), and a struct column is narrowed to some of its fields only
 * when every mention of it is a `col.field...` path. A query that selects `*` keeps
 * every column. If the engine still finds a column missing it retries with the whole
 * table (see engine.ts), so a wrong guess costs time, not answers.
 */
import type { Column } from '../../tables/model.js';
import type { ColumnType } from '../../tables/column-types.js';
import { codeTokens, identifierName, type Token } from '../../sql/lexer.js';

/** Fields of a struct column a query reads: `true` for the whole value, or the fields by lower-case name. */
export type FieldNeed = true | Map<string, FieldNeed>;

/** Needed columns by table column name, or 'all'. */
export type ColumnNeeds = Map<string, FieldNeed> | 'all';

/** `SELECT *`, `SELECT DISTINCT *`, `, *` and `alias.*` read every column (`count(*)` does not). */
function selectsEverything(code: Token[]): boolean {
  return code.some((t, i) => {
    if (t.text !== '*') return false;
    const before = code[i - 1]?.text.toLowerCase();
    if (before === ',' || before === '.' || before === 'select') return true;
    return (before === 'all' || before === 'distinct') && code[i - 2]?.text.toLowerCase() === 'select';
  });
}

function merge(into: Map<string, FieldNeed>, name: string, path: string[]): void {
  const have = into.get(name);
  if (have === true) return;
  if (path.length === 0) {
    into.set(name, true);
    return;
  }
  const sub = have ?? new Map<string, FieldNeed>();
  into.set(name, sub);
  merge(sub, path[0]!, path.slice(1));
}

/** What of `columns` the SQL reads. */
export function neededColumns(sql: string, columns: Column[]): ColumnNeeds {
  const code = codeTokens(sql);
  if (selectsEverything(code)) return 'all';
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const needs = new Map<string, FieldNeed>();
  code.forEach((t, i) => {
    const c = byName.get(identifierName(t) ?? '');
    if (!c) return;
    const path: string[] = [];
    for (let j = i + 1; code[j]?.text === '.'; j += 2) {
      const field = identifierName(code[j + 1]);
      if (field === undefined) break;
      path.push(field);
    }
    // A subscript or a call on the path (`col.f[1]`, `col.f(...)`) takes the value whole at that point.
    if (c.type.kind !== 'struct') path.length = 0;
    merge(needs, c.name, path);
  });
  return needs;
}

/** The column's type narrowed to the fields needed (struct fields matched without regard to case). */
export function prunedType(type: ColumnType, need: FieldNeed): ColumnType {
  if (need === true || type.kind !== 'struct') return type;
  const fields: { name: string; type: ColumnType }[] = [];
  for (const f of type.fields) {
    const sub = need.get(f.name.toLowerCase());
    if (sub !== undefined) fields.push({ name: f.name, type: prunedType(f.type, sub) });
  }
  // A path naming no known field (a typo the engine will report): keep the struct whole.
  return fields.length ? { kind: 'struct', fields } : type;
}
