import type { Column as GlueColumn, Partition, PartitionInput, Table, TableInput } from '@aws-sdk/client-glue';

/**
 * Compare what casebook wants with what Glue holds, on the parts that decide how
 * Athena reads the table. GetTable answers with fields of its own (CreateTime,
 * UpdateTime, VersionId, CatalogId, DatabaseName, CreatedBy,
 * IsRegisteredWithLakeFormation, the storage descriptor's NumberOfBuckets, Compressed,
 * SortColumns, SkewedInfo, ..., and parameters such as transient_lastDdlTime): those
 * are ignored, so a table created by casebook, or by its DDL in the console, compares
 * equal to its definition.
 */

/** Table parameters that change how Athena finds or reads files: compared even when casebook does not set them. */
export function isManagedParameter(key: string): boolean {
  return (
    key.startsWith('projection.') || key === 'storage.location.template' || key === 'skip.header.line.count' || key.startsWith('casebook.')
  );
}

function normType(t: string | undefined): string {
  return (t ?? '').replace(/\s+/g, '').toLowerCase();
}

function show(v: unknown): string {
  return v === undefined ? '(none)' : JSON.stringify(v);
}

function diffColumns(what: string, want: GlueColumn[], have: GlueColumn[], out: string[]): void {
  const haveByName = new Map(have.map((c, i) => [(c.Name ?? '').toLowerCase(), { c, i }]));
  const wantNames = want.map((c) => (c.Name ?? '').toLowerCase());
  want.forEach((c, i) => {
    const name = (c.Name ?? '').toLowerCase();
    const h = haveByName.get(name);
    if (!h) {
      out.push(`${what}: add ${name} ${c.Type}`);
      return;
    }
    if (normType(h.c.Type) !== normType(c.Type)) out.push(`${what}: ${name} type ${h.c.Type} -> ${c.Type}`);
    if ((h.c.Comment ?? '') !== (c.Comment ?? '')) out.push(`${what}: ${name} comment ${show(h.c.Comment)} -> ${show(c.Comment)}`);
    if (h.i !== i) out.push(`${what}: ${name} moves from position ${h.i + 1} to ${i + 1}`);
  });
  for (const c of have) {
    const name = (c.Name ?? '').toLowerCase();
    if (!wantNames.includes(name)) out.push(`${what}: drop ${name} ${c.Type}`);
  }
}

function diffMap(
  what: string,
  want: Record<string, string>,
  have: Record<string, string>,
  out: string[],
  compareExtra: (k: string) => boolean,
): void {
  for (const [k, v] of Object.entries(want)) {
    if (have[k] !== v) out.push(`${what}[${k}]: ${show(have[k])} -> ${show(v)}`);
  }
  for (const [k, v] of Object.entries(have)) {
    if (!(k in want) && compareExtra(k)) out.push(`${what}[${k}]: ${show(v)} -> (none)`);
  }
}

/** SerDe parameters: Athena's DDL adds serialization.format=1 on its own; only a value both sides set is compared for that key. */
function serdeExtra(k: string): boolean {
  return k !== 'serialization.format';
}

/** The differences, one line each; empty when Glue holds the table casebook wants. */
export function diffTable(want: TableInput, have: Table): string[] {
  const out: string[] = [];
  if ((have.TableType ?? '') !== (want.TableType ?? '')) out.push(`TableType: ${show(have.TableType)} -> ${show(want.TableType)}`);
  if ((have.Description ?? '') !== (want.Description ?? ''))
    out.push(`Description: ${show(have.Description)} -> ${show(want.Description)}`);
  diffColumns('PartitionKeys', want.PartitionKeys ?? [], have.PartitionKeys ?? [], out);
  const ws = want.StorageDescriptor ?? {};
  const hs = have.StorageDescriptor ?? {};
  diffColumns('Columns', ws.Columns ?? [], hs.Columns ?? [], out);
  for (const k of ['Location', 'InputFormat', 'OutputFormat'] as const) {
    if ((hs[k] ?? '') !== (ws[k] ?? '')) out.push(`${k}: ${show(hs[k])} -> ${show(ws[k])}`);
  }
  if ((hs.SerdeInfo?.SerializationLibrary ?? '') !== (ws.SerdeInfo?.SerializationLibrary ?? '')) {
    out.push(`SerDe: ${show(hs.SerdeInfo?.SerializationLibrary)} -> ${show(ws.SerdeInfo?.SerializationLibrary)}`);
  }
  diffMap('SerDe parameters', ws.SerdeInfo?.Parameters ?? {}, hs.SerdeInfo?.Parameters ?? {}, out, serdeExtra);
  const wantParams = Object.fromEntries(Object.entries(want.Parameters ?? {}).filter(([k]) => k !== 'EXTERNAL'));
  diffMap('Parameters', wantParams, have.Parameters ?? {}, out, isManagedParameter);
  return out;
}

/**
 * The TableInput for UpdateTable: casebook's definition, keeping the parameters it
 * does not manage (has_encrypted_data, classification, a team's own tags), since
 * UpdateTable replaces the whole definition.
 */
export function mergeForUpdate(want: TableInput, have: Table): TableInput {
  const kept = Object.fromEntries(
    Object.entries(have.Parameters ?? {}).filter(([k]) => !isManagedParameter(k) && k !== 'EXTERNAL' && !(k in (want.Parameters ?? {}))),
  );
  return { ...want, Parameters: { ...kept, ...want.Parameters } };
}

/** A registered partition differs when it points elsewhere or reads its files differently. */
export function partitionDiffers(want: PartitionInput, have: Partition): boolean {
  const w = want.StorageDescriptor ?? {};
  const h = have.StorageDescriptor ?? {};
  if ((w.Location ?? '') !== (h.Location ?? '')) return true;
  if (
    (w.InputFormat ?? '') !== (h.InputFormat ?? '') ||
    (w.SerdeInfo?.SerializationLibrary ?? '') !== (h.SerdeInfo?.SerializationLibrary ?? '')
  )
    return true;
  const wc = (w.Columns ?? []).map((c) => `${(c.Name ?? '').toLowerCase()}:${normType(c.Type)}`).join(',');
  const hc = (h.Columns ?? []).map((c) => `${(c.Name ?? '').toLowerCase()}:${normType(c.Type)}`).join(',');
  return wc !== hc;
}
