import { CasebookError } from '../errors.js';
import { lintSpec, lintTableInput } from './lint.js';
import { buildTable, type BuiltTable, type TableSpec } from './table-input.js';

/** Build and lint every table; throws one CasebookError listing every lint error, before any call to Glue. */
export function planTables(specs: TableSpec[], now: Date, warn: (line: string) => void = () => {}): BuiltTable[] {
  const errors: string[] = [];
  const built: BuiltTable[] = [];
  for (const spec of specs) {
    const fromSpec = lintSpec(spec, now);
    errors.push(...fromSpec.errors);
    for (const w of fromSpec.warnings) warn(`warning: ${w}`);
    if (fromSpec.errors.length) continue;
    const b = buildTable(spec);
    const fromInput = lintTableInput(b.input, now);
    errors.push(...fromInput.errors);
    for (const w of fromInput.warnings) warn(`warning: ${w}`);
    for (const n of b.notes) warn(`note: ${b.input.Name}: ${n}`);
    built.push(b);
  }
  if (errors.length === 1) throw new CasebookError(errors[0]!);
  if (errors.length > 1) throw new CasebookError(`${errors.length} problems, nothing written: ${errors.join('; ')}`);
  return built;
}
