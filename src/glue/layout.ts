import type { StorageFormatName, TableDefinition, TableStorage } from '../tables/model.js';

/**
 * How a table's log files sit in the bucket. Every layout exposes the same three
 * partition columns to queries, with the same meaning: `account` and `region` from
 * the key, and `day`, the delivery day, as 'yyyy/MM/dd'.
 *
 *   cloudtrail            AWSLogs/<account>/CloudTrail/<region>/yyyy/MM/dd/
 *   cloudtrail, org trail AWSLogs/<org-id>/<account>/CloudTrail/<region>/yyyy/MM/dd/
 *   flow logs             AWSLogs/<account>/vpcflowlogs/<region>/yyyy/MM/dd/[HH/]
 *   flow logs, Hive       AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=yyyy/month=MM/day=dd/[hour=HH/]
 *
 * Hour folders are read as part of their day (Athena reads every object under a
 * partition's prefix), so hourly layouts add no partition column.
 */
export interface TableLayout {
  table: 'cloudtrail' | 'vpc_flow_logs';
  format: StorageFormatName;
  /** Organization trail: the o-xxxx folder between AWSLogs/ and the account. */
  orgId?: string;
  /** Flow logs delivered with hourly partitions (HH/ or hour=HH/ below the day). */
  hourly: boolean;
  /** Flow logs delivered with Hive-compatible S3 prefixes. */
  hivePrefixes: boolean;
}

export interface PartitionValues {
  account: string;
  region: string;
  /** yyyy/MM/dd */
  day: string;
}

export function storageOf(t: TableDefinition): TableStorage {
  if (!t.storage) throw new Error(`${t.file}: table ${t.name} has no storage: block`);
  return t.storage;
}

/** A short name for the layout, e.g. `cloudtrail-org`, `vpcflowlogs-parquet-hive-hourly`. */
export function layoutName(l: TableLayout): string {
  if (l.table === 'cloudtrail') return l.orgId ? 'cloudtrail-org' : 'cloudtrail';
  return ['vpcflowlogs', l.format, l.hivePrefixes ? 'hive' : '', l.hourly ? 'hourly' : 'daily'].filter(Boolean).join('-');
}

/** Whether partitions can be projected (the key holds `day` as yyyy/MM/dd) or must be registered one by one. */
export function isProjected(l: TableLayout): boolean {
  return !l.hivePrefixes;
}

/** The folder under the bucket prefix that holds every file of the table: `AWSLogs/` or `AWSLogs/<org-id>/`. */
export function tableRoot(l: TableLayout): string {
  return l.orgId ? `AWSLogs/${l.orgId}/` : 'AWSLogs/';
}

/**
 * The `storage.location.template` below the bucket prefix, for projected layouts:
 * `AWSLogs/${account}/CloudTrail/${region}/${day}`.
 */
export function templatePath(l: TableLayout, storage: TableStorage): string {
  if (!isProjected(l)) throw new Error(`layout ${layoutName(l)} has no projection template`);
  return `${tableRoot(l)}\${account}/${storage.folder}/\${region}/\${day}`;
}

/** The day folder of one partition, below the bucket prefix, with a trailing slash. */
export function dayFolder(l: TableLayout, storage: TableStorage, p: PartitionValues): string {
  if (l.hivePrefixes) {
    const [y, m, d] = p.day.split('/');
    return `${tableRoot(l)}aws-account-id=${p.account}/aws-service=${storage.folder}/aws-region=${p.region}/year=${y}/month=${m}/day=${d}/`;
  }
  return `${tableRoot(l)}${p.account}/${storage.folder}/${p.region}/${p.day}/`;
}

/** The folder of an hour below its day folder, for hourly layouts ('' otherwise). */
export function hourFolder(l: TableLayout, hour: string): string {
  if (!l.hourly) return '';
  return l.hivePrefixes ? `hour=${hour}/` : `${hour}/`;
}

/** The file-name suffix AWS gives the layout's files (`.json.gz`, `.log.gz`, `.log.parquet`). */
export function fileSuffix(l: TableLayout): string {
  if (l.table === 'cloudtrail') return '.json.gz';
  return l.format === 'parquet' ? '.log.parquet' : '.log.gz';
}
