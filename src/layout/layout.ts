import type { StorageFormatName } from '../tables/model.js';

/**
 * The bucket layouts AWS writes log files in, and their names. Every layout exposes the
 * same three partition columns to queries, with the same meaning: `account` and
 * `region` from the key, and `day`, the delivery day, as 'yyyy/MM/dd'.
 *
 *   cloudtrail            AWSLogs/<account>/CloudTrail/<region>/yyyy/MM/dd/
 *   cloudtrail, org trail AWSLogs/<org-id>/<account>/CloudTrail/<region>/yyyy/MM/dd/
 *   flow logs             AWSLogs/<account>/vpcflowlogs/<region>/yyyy/MM/dd/[HH/]
 *   flow logs, Hive       AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=yyyy/month=MM/day=dd/[hour=HH/]
 *
 * A custom prefix (a trail's or flow log's S3 key prefix) sits in front of `AWSLogs/`
 * and is part of the location, not of the layout. Hour folders are read as part of
 * their day (Athena reads every object under a partition's prefix), so hourly layouts
 * add no partition column. The key grammar is in keys.ts (build) and segments.ts (read).
 */

/** The tables whose files AWS delivers to S3. */
export type LogTable = 'cloudtrail' | 'vpc_flow_logs';

export interface TableLayout {
  table: LogTable;
  format: StorageFormatName;
  /** Organization trail: the o-xxxx folder between AWSLogs/ and the account. */
  orgId?: string;
  /** Flow logs delivered with hourly partitions (HH/ or hour=HH/ below the day). */
  hourly: boolean;
  /** Flow logs delivered with Hive-compatible S3 prefixes. */
  hivePrefixes: boolean;
}

/** The partition one day folder holds. */
export interface PartitionValues {
  account: string;
  region: string;
  /** yyyy/MM/dd */
  day: string;
}

interface FileFormat {
  /** The suffix AWS gives the files (what casebook writes). */
  suffix: string;
  /** The suffix that marks a file of this format when reading a lake. */
  match: string;
}

/**
 * Per table: the service folder under each account (also the Hive `aws-service=`
 * value and the second word of every file name), and the file formats AWS writes.
 */
export const TABLE_KEYS: Record<LogTable, { folder: string; formats: Partial<Record<StorageFormatName, FileFormat>> }> = {
  cloudtrail: { folder: 'CloudTrail', formats: { json: { suffix: '.json.gz', match: '.json.gz' } } },
  vpc_flow_logs: {
    folder: 'vpcflowlogs',
    formats: { text: { suffix: '.log.gz', match: '.log.gz' }, parquet: { suffix: '.log.parquet', match: '.parquet' } },
  },
};

/** CloudTrail's hourly digest files: a sibling of the CloudTrail folder, read by no table. */
export const DIGEST_FOLDER = 'CloudTrail-Digest';

export function isLogTable(name: string): name is LogTable {
  return Object.hasOwn(TABLE_KEYS, name);
}

/** The table whose files sit in a service folder (`CloudTrail`, `vpcflowlogs`), if any. */
export function tableOfFolder(folder: string): LogTable | undefined {
  return (Object.keys(TABLE_KEYS) as LogTable[]).find((t) => TABLE_KEYS[t].folder.toLowerCase() === folder.toLowerCase());
}

/** A short name for the layout, e.g. `cloudtrail-org`, `vpcflowlogs-parquet-hive-hourly` (the Glue table's `casebook.layout`). */
export function layoutName(l: TableLayout): string {
  if (l.table === 'cloudtrail') return l.orgId ? 'cloudtrail-org' : 'cloudtrail';
  return ['vpcflowlogs', l.format, l.hivePrefixes ? 'hive' : '', l.hourly ? 'hourly' : 'daily'].filter(Boolean).join('-');
}

/**
 * The name `casebook estimate` reports for a layout: the shape of its day prefixes as a
 * listing shows them, which cannot tell text from Parquet (`flowlogs-text` stands for
 * both) nor, with Hive prefixes, daily from hourly.
 */
export function prefixShapeName(l: TableLayout): string {
  if (l.table === 'cloudtrail') return l.orgId ? 'cloudtrail-org' : 'cloudtrail';
  if (l.hivePrefixes) return 'flowlogs-parquet-hive';
  return l.hourly ? 'flowlogs-text-hourly' : 'flowlogs-text';
}

/** Whether partitions can be projected (the key holds `day` as yyyy/MM/dd) or must be registered one by one. */
export function isProjected(l: TableLayout): boolean {
  return !l.hivePrefixes;
}

/** The file-name suffix AWS gives the layout's files (`.json.gz`, `.log.gz`, `.log.parquet`). */
export function fileSuffix(l: TableLayout): string {
  const f = TABLE_KEYS[l.table].formats[l.format];
  if (!f) throw new Error(`table ${l.table} has no ${l.format} files`);
  return f.suffix;
}

/** The format of a file of the table, from its name; undefined when the name is not one of the table's files. */
export function formatOfFile(table: LogTable, name: string): StorageFormatName | undefined {
  for (const [format, f] of Object.entries(TABLE_KEYS[table].formats) as [StorageFormatName, FileFormat][]) {
    if (name.endsWith(f.match)) return format;
  }
  return undefined;
}
