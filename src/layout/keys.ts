import { dayPartition } from '../params/time.js';
import { DIGEST_FOLDER, TABLE_KEYS, type LogTable, type PartitionValues, type TableLayout } from './layout.js';

/** The folder every AWS log key starts with, below the bucket's (or trail's) prefix. */
export const AWS_LOGS = 'AWSLogs';

/** The folder under the bucket prefix that holds every file of the table: `AWSLogs/` or `AWSLogs/<org-id>/`. */
export function tableRoot(l: TableLayout): string {
  return l.orgId ? `${AWS_LOGS}/${l.orgId}/` : `${AWS_LOGS}/`;
}

/** The folder of one account that lists its regions: `AWSLogs/[<org-id>/]<account>/CloudTrail/` or `AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/`. */
export function regionsFolder(l: TableLayout, account: string): string {
  const folder = TABLE_KEYS[l.table].folder;
  return l.hivePrefixes ? `${tableRoot(l)}aws-account-id=${account}/aws-service=${folder}/` : `${tableRoot(l)}${account}/${folder}/`;
}

/** The day folder of one partition, below the bucket prefix, with a trailing slash. */
export function dayFolder(l: TableLayout, p: PartitionValues): string {
  if (l.hivePrefixes) {
    const [y, m, d] = p.day.split('/');
    return `${regionsFolder(l, p.account)}aws-region=${p.region}/year=${y}/month=${m}/day=${d}/`;
  }
  return `${regionsFolder(l, p.account)}${p.region}/${p.day}/`;
}

/** The folder of an hour (HH) below its day folder, for hourly layouts ('' otherwise). */
export function hourFolder(l: TableLayout, hour: string): string {
  if (!l.hourly) return '';
  return l.hivePrefixes ? `hour=${hour}/` : `${hour}/`;
}

/** The key of one file below the bucket prefix: its day folder, its hour folder (hourly layouts) and its name. */
export function objectKey(l: TableLayout, p: PartitionValues & { hour?: string }, fileName: string): string {
  if (l.hourly && p.hour === undefined) throw new Error('an hourly layout needs the hour of the file');
  return `${dayFolder(l, p)}${l.hourly ? hourFolder(l, p.hour!) : ''}${fileName}`;
}

/** The delivery day of a time (milliseconds) as its key folders: 'yyyy/MM/dd'. */
export function keyDay(ms: number): string {
  return dayPartition(new Date(ms));
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The delivery minute of a time (milliseconds) as file names carry it: 'YYYYMMDDTHHmmZ'. */
export function keyMinute(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}Z`;
}

/** `<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz` */
export function cloudTrailFileName(account: string, region: string, minute: string, unique: string): string {
  return `${account}_${TABLE_KEYS.cloudtrail.folder}_${region}_${minute}_${unique}${TABLE_KEYS.cloudtrail.formats.json!.suffix}`;
}

/** `<account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash><suffix>` (suffix `.log.gz` or `.log.parquet`). */
export function flowLogFileName(account: string, region: string, flowLogId: string, minute: string, hash: string, suffix: string): string {
  return `${account}_${TABLE_KEYS.vpc_flow_logs.folder}_${region}_${flowLogId}_${minute}_${hash}${suffix}`;
}

/** The service folder of a table, e.g. `CloudTrail`. */
export function serviceFolder(table: LogTable): string {
  return TABLE_KEYS[table].folder;
}

/** The end time of a digest as its file name carries it: 'YYYYMMDDTHHmmssZ'. */
export function keySecond(ms: number): string {
  const d = new Date(ms);
  return `${keyMinute(ms).slice(0, -1)}${pad2(d.getUTCSeconds())}Z`;
}

/** `<account>_CloudTrail-Digest_<region>_<trail>_<home-region>_<YYYYMMDDTHHmmssZ>.json.gz` */
export function digestFileName(account: string, region: string, trail: string, homeRegion: string, endSecond: string): string {
  return `${account}_${DIGEST_FOLDER}_${region}_${trail}_${homeRegion}_${endSecond}.json.gz`;
}

/**
 * The folder of a day's digest files, below the bucket prefix:
 * `AWSLogs/[<org-id>/]<account>/CloudTrail-Digest/<region>/yyyy/MM/dd/`.
 */
export function digestDayFolder(p: PartitionValues & { orgId?: string }): string {
  return `${AWS_LOGS}/${p.orgId ? `${p.orgId}/` : ''}${p.account}/${DIGEST_FOLDER}/${p.region}/${p.day}/`;
}

/** The day folder below a region folder: `yyyy/MM/dd/`, or with Hive prefixes `year=yyyy/month=MM/day=dd/`. */
export function dayBelowRegion(day: string, hivePrefixes: boolean): string {
  if (!hivePrefixes) return `${day}/`;
  const [y, m, d] = day.split('/');
  return `year=${y}/month=${m}/day=${d}/`;
}
