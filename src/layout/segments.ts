import { REGION } from '../aws/region.js';
/**
 * Reading a log key one folder name at a time: the walks over a local lake (readdir)
 * and over a bucket (ListObjectsV2 with Delimiter '/') and parseKey all read names
 * through these.
 *
 * Two readings:
 * - lenient (a local copy of a bucket, test lakes, anonymised samples): any folder name
 *   is an account or a region, Hive keys in any case, and the Transit Gateway spellings
 *   `service=` and `region=` beside `aws-service=` and `aws-region=`;
 * - strict (a real bucket, which may hold other folders): exactly what AWS writes:
 *   12-digit accounts, region-shaped names, the `aws-` Hive keys as written.
 */

export const ACCOUNT_ID = /^\d{12}$/;
export const ORG_ID = /^o-[a-z0-9]{10,32}$/;
/** A Hive `aws-region=` value of a strictly read bucket. */
const HIVE_REGION_VALUE = /^[a-z0-9-]+$/;
const HOUR = /^(hour=)?(\d{2})$/;

export interface ReadOptions {
  strict?: boolean;
}

/** `key=value` folder name: the value, when the key is one of `keys` (any case unless strict, then only the first key as written). */
function hiveValue(name: string, keys: string[], o: ReadOptions): string | undefined {
  const eq = name.indexOf('=');
  if (eq < 0) return undefined;
  const key = name.slice(0, eq);
  const known = o.strict ? key === keys[0] : keys.includes(key.toLowerCase());
  return known ? name.slice(eq + 1) : undefined;
}

/** A folder directly under AWSLogs/. */
export type TopFolder = { org: string } | { account: string; hive: boolean };

/** A folder directly under AWSLogs/: an organization (o-xxxx), a Hive account (aws-account-id=<account>) or an account. */
export function readTopFolder(name: string, o: ReadOptions = {}): TopFolder | undefined {
  const hiveAccount = hiveValue(name, ['aws-account-id'], o);
  if (hiveAccount !== undefined) return !o.strict || ACCOUNT_ID.test(hiveAccount) ? { account: hiveAccount, hive: true } : undefined;
  if (ORG_ID.test(name)) return { org: name };
  return !o.strict || ACCOUNT_ID.test(name) ? { account: name, hive: false } : undefined;
}

/** An account folder under an organization's folder. */
export function readOrgAccountFolder(name: string, o: ReadOptions = {}): string | undefined {
  return !o.strict || ACCOUNT_ID.test(name) ? name : undefined;
}

/** The service folder under an account: `CloudTrail`, or with Hive prefixes `aws-service=vpcflowlogs`; the service's name. */
export function readServiceFolder(name: string, hive: boolean, o: ReadOptions = {}): string | undefined {
  return hive ? hiveValue(name, ['aws-service', 'service'], o) : name;
}

/** A region folder under a service folder: `us-east-1`, or with Hive prefixes `aws-region=us-east-1`. */
export function readRegionFolder(name: string, hive: boolean, o: ReadOptions = {}): string | undefined {
  const region = hive ? hiveValue(name, ['aws-region', 'region'], o) : name;
  if (region === undefined || !o.strict) return region;
  return (hive ? HIVE_REGION_VALUE : REGION).test(region) ? region : undefined;
}

/** A date folder: `2024` or, with Hive prefixes, `year=2024` (likewise month and day); its digits. */
export function readDateFolder(name: string, hive: boolean, unit: 'year' | 'month' | 'day', o: ReadOptions = {}): string | undefined {
  const value = hive ? hiveValue(name, [unit], o) : name;
  return value !== undefined && /^\d+$/.test(value) ? value : undefined;
}

/** An hour folder below a day (hourly partitions): `13` or `hour=13`; the hour. */
export function readHourFolder(name: string): string | undefined {
  return HOUR.exec(name)?.[2];
}
