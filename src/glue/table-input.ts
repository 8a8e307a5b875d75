import type { Column as GlueColumn, PartitionInput, StorageDescriptor, TableInput } from '@aws-sdk/client-glue';
import { getTable, type TableDefinition, type TableStorage } from '../tables/model.js';
import { hiveType } from '../tables/column-types.js';
import { defaultFlowFormat, mapFlowFields, type FlowFormat } from './flow-format.js';
import { isProjected, layoutName, type TableLayout } from '../layout/layout.js';
import { dayFolder, tableRoot } from '../layout/keys.js';
import { projectionParameters, type PartitionValuesOption } from '../layout/projection.js';

/** What only the user knows: where the logs are, which accounts and regions, since when. */
export interface DeploymentOptions {
  /** s3://bucket/prefix/: the folder that holds AWSLogs/ (with a trailing slash). */
  location: string;
  accounts: PartitionValuesOption;
  regions: PartitionValuesOption;
  /** First day of logs, yyyy/MM/dd: the start of the day projection, or the first registered partition. */
  startDate: string;
  /** Text flow logs: the flow log's fields in order (default: the version 2 format). */
  flowFormat?: FlowFormat;
  /** Layouts with registered partitions: the last day to register, yyyy/MM/dd. */
  partitionsUntil?: string;
}

/** One table to define: which table, laid out how, where. */
export interface TableSpec {
  layout: TableLayout;
  options: DeploymentOptions;
}

export interface BuiltTable {
  spec: TableSpec;
  input: TableInput;
  /** Informational lines (e.g. unknown flow-log fields kept as strings). */
  notes: string[];
}

/** Glue table parameter naming the layout, so a reader of the catalog (and `casebook setup`) knows what the table expects. */
export const LAYOUT_PARAMETER = 'casebook.layout';

function definitionOf(l: TableLayout): TableDefinition {
  return getTable(l.table);
}

function storageOf(t: TableDefinition): TableStorage {
  if (!t.storage) throw new Error(`${t.file}: table ${t.name} has no storage: block`);
  return t.storage;
}

function glueColumns(spec: TableSpec, t: TableDefinition, notes: string[]): GlueColumn[] {
  const storage = storageOf(t);
  const format = storage.formats[spec.layout.format];
  if (!format) throw new Error(`table ${t.name} has no ${spec.layout.format} storage format`);
  const col = (name: string, type: string, comment?: string): GlueColumn =>
    comment ? { Name: name, Type: type, Comment: comment } : { Name: name, Type: type };
  if (format.columns === 'format') {
    const flow = spec.options.flowFormat ?? defaultFlowFormat();
    const mapping = mapFlowFields(flow, t);
    if (mapping.unknown.length) notes.push(`fields casebook does not know, kept as string columns: ${mapping.unknown.join(', ')}`);
    return mapping.fields.map((f) => {
      if (f.known) return col(f.column, hiveType(f.known.textType ?? f.known.type), f.known.comment);
      if (f.renamed) return col(f.column, 'string', `The ${f.field} field of the record (the ${f.field} partition is the key's)`);
      return col(f.column, 'string', `Flow-log field ${f.field}`);
    });
  }
  const cols = t.columns.map((c) => col(c.name, hiveType(c.type), c.comment));
  if (spec.options.flowFormat) {
    const mapping = mapFlowFields(spec.options.flowFormat, t);
    for (const f of mapping.fields) {
      if (!f.known && !f.renamed) cols.push(col(f.column, 'string', `Flow-log field ${f.field}`));
    }
    if (mapping.unknown.length) notes.push(`fields casebook does not know, kept as string columns: ${mapping.unknown.join(', ')}`);
  }
  return cols;
}

/** The table's storage descriptor (columns, location, SerDe, formats). */
function storageDescriptor(spec: TableSpec, t: TableDefinition, notes: string[]): StorageDescriptor {
  const format = storageOf(t).formats[spec.layout.format]!;
  return {
    Columns: glueColumns(spec, t, notes),
    Location: `${spec.options.location}${tableRoot(spec.layout)}`,
    InputFormat: format.inputFormat,
    OutputFormat: format.outputFormat,
    SerdeInfo: {
      SerializationLibrary: format.serde,
      ...(Object.keys(format.serdeParameters).length ? { Parameters: { ...format.serdeParameters } } : {}),
    },
  };
}

/**
 * The Glue TableInput for a table in a layout: the single definition that
 * `casebook setup` writes and `casebook ddl` prints.
 */
export function buildTable(spec: TableSpec): BuiltTable {
  const t = definitionOf(spec.layout);
  const storage = storageOf(t);
  const format = storage.formats[spec.layout.format];
  if (!format) throw new Error(`table ${t.name} has no ${spec.layout.format} storage format`);
  const notes: string[] = [];
  const parameters: Record<string, string> = {
    EXTERNAL: 'TRUE',
    [LAYOUT_PARAMETER]: layoutName(spec.layout),
    ...format.tableParameters,
  };
  if (isProjected(spec.layout)) Object.assign(parameters, projectionParameters(spec.layout, spec.options));
  const input: TableInput = {
    Name: t.name,
    Description: `${t.description} Layout: ${layoutName(spec.layout)}.`,
    TableType: 'EXTERNAL_TABLE',
    Parameters: parameters,
    PartitionKeys: t.partitions.map((p) =>
      p.comment ? { Name: p.name, Type: hiveType(p.type), Comment: p.comment } : { Name: p.name, Type: hiveType(p.type) },
    ),
    StorageDescriptor: storageDescriptor(spec, t, notes),
  };
  return { spec, input, notes };
}

/** Every day from `first` through `last` (yyyy/MM/dd), inclusive. */
export function daysBetween(first: string, last: string): string[] {
  const out: string[] = [];
  const toDate = (d: string) => new Date(`${d.replace(/\//g, '-')}T00:00:00Z`);
  for (let d = toDate(first); d <= toDate(last); d = new Date(d.getTime() + 86_400_000)) {
    out.push(d.toISOString().slice(0, 10).replace(/-/g, '/'));
  }
  return out;
}

/** Default horizon of registered partitions: a year after today. */
export function defaultPartitionsUntil(now: Date): string {
  return new Date(now.getTime() + 365 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/');
}

/**
 * Layouts whose keys cannot be projected onto `day` = 'yyyy/MM/dd' (Hive-compatible
 * prefixes) get their partitions registered one by one: every account, region and
 * day from the start date through `partitionsUntil`, each pointing at its day folder.
 */
export function registeredPartitions(built: BuiltTable, now: Date): PartitionInput[] {
  const { layout, options } = built.spec;
  if (isProjected(layout)) return [];
  if (options.accounts === 'injected' || options.regions === 'injected') {
    throw new Error('registered partitions need account and region lists');
  }
  const sd = built.input.StorageDescriptor!;
  const out: PartitionInput[] = [];
  for (const account of options.accounts) {
    for (const region of options.regions) {
      for (const day of daysBetween(options.startDate, options.partitionsUntil ?? defaultPartitionsUntil(now))) {
        out.push({
          Values: [account, region, day],
          StorageDescriptor: { ...sd, Location: `${options.location}${dayFolder(layout, { account, region, day })}` },
        });
      }
    }
  }
  return out;
}
