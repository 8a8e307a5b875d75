/**
 * The column type language of table definitions: Hive's type syntax
 * (`struct<a:string, b:array<int>>`), plus `json` for a string column that holds
 * JSON text. Field names keep the case of the source (JSON keys); Hive names are
 * lower-cased when rendered for Glue, and DuckDB needs the original case to read JSON.
 */
export type ColumnType =
  | { kind: 'primitive'; name: PrimitiveName }
  | { kind: 'json' }
  | { kind: 'struct'; fields: { name: string; type: ColumnType }[] }
  | { kind: 'array'; element: ColumnType }
  | { kind: 'map'; key: ColumnType; value: ColumnType };

export const PRIMITIVES = ['string', 'int', 'bigint', 'boolean', 'double', 'date', 'timestamp'] as const;
export type PrimitiveName = (typeof PRIMITIVES)[number];

export function parseColumnType(text: string): ColumnType {
  const tokens = text.match(/[A-Za-z_][A-Za-z0-9_]*|[<>:,]/g) ?? [];
  const rest = text.replace(/[A-Za-z_][A-Za-z0-9_]*|[<>:,]|\s+/g, '');
  if (rest !== '') throw new Error(`unexpected characters "${rest}" in type "${text}"`);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (t: string) => {
    if (tokens[pos] !== t) throw new Error(`expected "${t}" at token ${pos} of type "${text}", found "${tokens[pos] ?? 'end'}"`);
    pos++;
  };
  const parse = (): ColumnType => {
    const word = tokens[pos++];
    if (word === undefined) throw new Error(`type "${text}" ends too early`);
    const lower = word.toLowerCase();
    if (lower === 'json') return { kind: 'json' };
    if ((PRIMITIVES as readonly string[]).includes(lower)) return { kind: 'primitive', name: lower as PrimitiveName };
    if (lower === 'array') {
      expect('<');
      const element = parse();
      expect('>');
      return { kind: 'array', element };
    }
    if (lower === 'map') {
      expect('<');
      const key = parse();
      expect(',');
      const value = parse();
      expect('>');
      return { kind: 'map', key, value };
    }
    if (lower === 'struct') {
      expect('<');
      const fields: { name: string; type: ColumnType }[] = [];
      for (;;) {
        const name = tokens[pos++];
        if (name === undefined || !/^[A-Za-z_]/.test(name)) throw new Error(`expected a field name in type "${text}"`);
        expect(':');
        fields.push({ name, type: parse() });
        if (peek() === ',') {
          pos++;
          continue;
        }
        expect('>');
        return { kind: 'struct', fields };
      }
    }
    throw new Error(`unknown type "${word}" in "${text}"`);
  };
  const type = parse();
  if (pos !== tokens.length) throw new Error(`unexpected "${tokens[pos]}" after the end of type "${text}"`);
  return type;
}

/** Hive / Glue / Athena DDL spelling: lower-case names, `json` becomes `string`. */
export function hiveType(t: ColumnType): string {
  switch (t.kind) {
    case 'primitive':
      return t.name;
    case 'json':
      return 'string';
    case 'array':
      return `array<${hiveType(t.element)}>`;
    case 'map':
      return `map<${hiveType(t.key)},${hiveType(t.value)}>`;
    case 'struct':
      return `struct<${t.fields.map((f) => `${f.name.toLowerCase()}:${hiveType(f.type)}`).join(',')}>`;
  }
}

const DUCK_PRIMITIVE: Record<PrimitiveName, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  boolean: 'BOOLEAN',
  double: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

/** DuckDB spelling, keeping the source's field names (the JSON reader matches keys by case). */
export function duckdbType(t: ColumnType): string {
  switch (t.kind) {
    case 'primitive':
      return DUCK_PRIMITIVE[t.name];
    case 'json':
      return 'JSON';
    case 'array':
      return `${duckdbType(t.element)}[]`;
    case 'map':
      return `MAP(${duckdbType(t.key)}, ${duckdbType(t.value)})`;
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `"${f.name}" ${duckdbType(f.type)}`).join(', ')})`;
  }
}
