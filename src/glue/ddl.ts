import type { Column as GlueColumn, PartitionInput, TableInput } from '@aws-sdk/client-glue';

/**
 * Athena (Hive) DDL text from a Glue TableInput: the statement a user can paste into
 * the Athena console to get the same table `casebook setup` creates.
 */

/** A Hive string literal: single quotes, with backslash and quote escaped. */
export function hiveString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function ident(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

function columnLine(c: GlueColumn): string {
  return `  ${ident(c.Name!)} ${c.Type}${c.Comment ? ` COMMENT ${hiveString(c.Comment)}` : ''}`;
}

function properties(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([k, v]) => `  ${hiveString(k)}=${hiveString(v)}`)
    .join(',\n');
}

export interface DdlOptions {
  /** Qualify the table name with this database. */
  database?: string;
}

export function renderCreateTable(input: TableInput, options: DdlOptions = {}): string {
  const sd = input.StorageDescriptor ?? {};
  const name = options.database ? `${ident(options.database)}.${ident(input.Name!)}` : ident(input.Name!);
  const lines = [`CREATE EXTERNAL TABLE ${name} (`, (sd.Columns ?? []).map(columnLine).join(',\n'), ')'];
  if (input.Description) lines.push(`COMMENT ${hiveString(input.Description)}`);
  if (input.PartitionKeys?.length) lines.push('PARTITIONED BY (', input.PartitionKeys.map(columnLine).join(',\n'), ')');
  lines.push(`ROW FORMAT SERDE ${hiveString(sd.SerdeInfo?.SerializationLibrary ?? '')}`);
  const serdeParams = sd.SerdeInfo?.Parameters ?? {};
  if (Object.keys(serdeParams).length) lines.push('WITH SERDEPROPERTIES (', properties(serdeParams), ')');
  lines.push(`STORED AS INPUTFORMAT ${hiveString(sd.InputFormat ?? '')}`, `OUTPUTFORMAT ${hiveString(sd.OutputFormat ?? '')}`);
  lines.push(`LOCATION ${hiveString(sd.Location ?? '')}`);
  // EXTERNAL is what CREATE EXTERNAL TABLE says; every other parameter is a table property.
  const props = Object.fromEntries(Object.entries(input.Parameters ?? {}).filter(([k]) => k !== 'EXTERNAL'));
  if (Object.keys(props).length) lines.push('TBLPROPERTIES (', properties(props), ')');
  return `${lines.join('\n')};\n`;
}

/**
 * ALTER TABLE ... ADD IF NOT EXISTS PARTITION statements for registered partitions,
 * `perStatement` partitions each (Athena takes several in one statement).
 */
export function renderAddPartitions(
  table: string,
  partitionKeys: string[],
  partitions: PartitionInput[],
  options: DdlOptions & { perStatement?: number } = {},
): string[] {
  const per = options.perStatement ?? 100;
  const name = options.database ? `${ident(options.database)}.${ident(table)}` : ident(table);
  const out: string[] = [];
  for (let i = 0; i < partitions.length; i += per) {
    const chunk = partitions.slice(i, i + per).map((p) => {
      const spec = partitionKeys.map((k, j) => `${ident(k)} = ${hiveString(p.Values![j]!)}`).join(', ');
      return `  PARTITION (${spec}) LOCATION ${hiveString(p.StorageDescriptor!.Location!)}`;
    });
    out.push(`ALTER TABLE ${name} ADD IF NOT EXISTS\n${chunk.join('\n')};\n`);
  }
  return out;
}
