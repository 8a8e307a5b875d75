import { isProjected, layoutName, TABLE_KEYS, type TableLayout } from './layout.js';
import { tableRoot } from './keys.js';

/** The value of an enum-or-injected partition: the list of values, or `injected` (every query must name them). */
export type PartitionValuesOption = string[] | 'injected';

/**
 * The `storage.location.template` below the bucket prefix, for projected layouts:
 * `AWSLogs/${account}/CloudTrail/${region}/${day}`.
 */
export function templatePath(l: TableLayout): string {
  if (!isProjected(l)) throw new Error(`layout ${layoutName(l)} has no projection template`);
  return `${tableRoot(l)}\${account}/${TABLE_KEYS[l.table].folder}/\${region}/\${day}`;
}

function valuesProjection(name: string, values: PartitionValuesOption): Record<string, string> {
  if (values === 'injected') return { [`projection.${name}.type`]: 'injected' };
  return { [`projection.${name}.type`]: 'enum', [`projection.${name}.values`]: values.join(',') };
}

/**
 * The partition-projection table parameters of a projected layout: `account` and
 * `region` as enum (or injected) values, `day` as a date from `startDate` (yyyy/MM/dd)
 * to NOW, and the location template under `location` (s3://bucket/prefix/).
 */
export function projectionParameters(
  l: TableLayout,
  o: { location: string; accounts: PartitionValuesOption; regions: PartitionValuesOption; startDate: string },
): Record<string, string> {
  return {
    'projection.enabled': 'true',
    ...valuesProjection('account', o.accounts),
    ...valuesProjection('region', o.regions),
    'projection.day.type': 'date',
    'projection.day.format': 'yyyy/MM/dd',
    'projection.day.range': `${o.startDate},NOW`,
    'projection.day.interval': '1',
    'projection.day.interval.unit': 'DAYS',
    'storage.location.template': `${o.location}${templatePath(l)}`,
  };
}
