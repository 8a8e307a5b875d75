import type { TableInput } from '@aws-sdk/client-glue';
import type { TableSpec } from './table-input.js';
import { isProjected } from '../layout/layout.js';
import { ACCOUNT_ID, ORG_ID } from '../layout/segments.js';
import { REGION } from '../aws/region.js';

/**
 * Projection lint: the mistakes that make Athena return nothing (or fail every
 * query), caught before anything is written. Errors stop `casebook setup` and
 * `casebook ddl`; warnings are printed.
 */

/** What a lint found: errors (the table would not work) and warnings. */
export interface LintResult {
  errors: string[];
  warnings: string[];
}

export { REGION };
const DAY = /^(\d{4})\/(\d{2})\/(\d{2})$/;
/** S3 bucket names: 3-63 characters of a-z, 0-9, dots and hyphens, starting and ending with a letter or digit. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function today(now: Date): string {
  return now.toISOString().slice(0, 10).replace(/-/g, '/');
}

/** Check an S3 folder location (s3://bucket/prefix/). `what` names the option for messages. */
export function lintLocation(location: string, what: string, errors: string[]): void {
  const m = /^s3:\/\/([^/]*)(\/.*)?$/.exec(location);
  if (!m) {
    errors.push(`${what} "${location}" is not an S3 location: write s3://BUCKET/PREFIX/`);
    return;
  }
  const bucket = m[1]!;
  const path = m[2] ?? '';
  if (!BUCKET.test(bucket))
    errors.push(`${what} "${location}": "${bucket}" is not a valid S3 bucket name (3-63 characters: a-z, 0-9, dots, hyphens)`);
  if (!location.endsWith('/'))
    errors.push(
      `${what} "${location}" must end with a slash (${location}/): Athena reads a location as a folder, and without the slash the prefix also matches its siblings`,
    );
  if (/\/\//.test(path)) errors.push(`${what} "${location}" has an empty folder (//): Athena removes it and reads another prefix`);
  if (/[*?\s]/.test(location)) errors.push(`${what} "${location}" must not hold wildcards or white space`);
  if (/(^|\/)AWSLogs\/?$/.test(path))
    errors.push(`${what} "${location}" ends at AWSLogs/: give the bucket and prefix above it (casebook adds AWSLogs/...)`);
}

/** Lint what the user gave (accounts, regions, org id, dates, location). */
export function lintSpec(spec: TableSpec, now: Date): LintResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const { options, layout } = spec;
  const table = layout.table;
  lintLocation(options.location, `${table} location`, errors);
  if (options.accounts !== 'injected') {
    if (options.accounts.length === 0) errors.push(`${table}: no accounts: name them with --accounts 111122223333,444455556666`);
    for (const a of options.accounts) {
      if (!ACCOUNT_ID.test(a)) errors.push(`${table}: account id "${a}" is not 12 digits`);
    }
    const dup = options.accounts.filter((a, i) => options.accounts.indexOf(a) !== i);
    if (dup.length) warnings.push(`${table}: account ${dup[0]} is listed twice`);
  }
  if (options.regions !== 'injected') {
    if (options.regions.length === 0) errors.push(`${table}: no regions: name them with --regions us-east-1,eu-west-1`);
    for (const r of options.regions) {
      if (!REGION.test(r)) errors.push(`${table}: "${r}" is not an AWS region name (like us-east-1)`);
    }
    const dup = options.regions.filter((r, i) => (options.regions as string[]).indexOf(r) !== i);
    if (dup.length) warnings.push(`${table}: region ${dup[0]} is listed twice`);
  }
  if (layout.orgId !== undefined && !ORG_ID.test(layout.orgId)) {
    errors.push(
      `${table}: organization id "${layout.orgId}" is not valid (o- followed by 10 to 32 lower-case letters or digits, as in o-a1b2c3d4e5)`,
    );
  }
  if (!isDay(options.startDate)) {
    errors.push(`${table}: start date "${options.startDate}" is not a date (yyyy/MM/dd or yyyy-MM-dd)`);
  } else if (options.startDate > today(now)) {
    errors.push(`${table}: start date ${options.startDate} is after today (${today(now)}): no partition would be projected until then`);
  }
  if (options.partitionsUntil !== undefined) {
    if (!isDay(options.partitionsUntil))
      errors.push(`${table}: --partitions-until "${options.partitionsUntil}" is not a date (yyyy/MM/dd)`);
    else if (isDay(options.startDate) && options.partitionsUntil < options.startDate)
      errors.push(`${table}: --partitions-until ${options.partitionsUntil} is before the start date ${options.startDate}`);
  }
  if (!isProjected(layout) && (options.accounts === 'injected' || options.regions === 'injected')) {
    errors.push(`${table}: Hive-compatible prefixes register each partition, so accounts and regions must be listed, not injected`);
  }
  for (const [name, v] of [
    ['account', options.accounts],
    ['region', options.regions],
  ] as const) {
    if (v === 'injected' && isProjected(layout)) {
      warnings.push(
        `${table}: ${name} is an injected partition: every query must filter it with = or IN, and casebook's queries do not, so they will fail on Athena; list the ${name}s instead`,
      );
    }
  }
  return { errors, warnings };
}

/** Template variables `${name}` of a storage.location.template. */
export function locationTemplateVariables(template: string): string[] {
  return [...template.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!);
}

/**
 * Lint a TableInput's projection: it catches what a hand-edited or generated
 * definition gets wrong, whatever produced it.
 */
export function lintTableInput(input: TableInput, now: Date): LintResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const name = input.Name ?? '(unnamed)';
  const params = input.Parameters ?? {};
  const partitionKeys = (input.PartitionKeys ?? []).map((k) => (k.Name ?? '').toLowerCase());
  const location = input.StorageDescriptor?.Location;
  if (!location) errors.push(`${name}: the table has no location`);
  else lintLocationOnly(location, `${name} table location`, errors);
  const enabled = (params['projection.enabled'] ?? '').trim().toLowerCase() === 'true';
  if (!enabled) return { errors, warnings };

  for (const [key, value] of Object.entries(params)) {
    const m = /^projection\.(.+)\.(type|values|range|format|interval|interval\.unit|digits)$/.exec(key);
    if (!m || m[1] === 'enabled') continue;
    const col = m[1]!;
    if (!partitionKeys.includes(col.toLowerCase()))
      errors.push(`${name}: ${key} configures "${col}", which is not a partition column (${partitionKeys.join(', ')})`);
    if (m[2] === 'values') {
      const values = value.split(',');
      for (const v of values) {
        if (v === '') errors.push(`${name}: ${key} has an empty value (two commas, or a comma at an end)`);
        else if (/\s/.test(v))
          errors.push(
            `${name}: ${key} value "${v}" holds white space: Athena keeps it as part of the value, so that partition is never found`,
          );
      }
    }
  }
  for (const key of partitionKeys) {
    const type = (params[`projection.${key}.type`] ?? '').trim().toLowerCase();
    if (!type) {
      errors.push(`${name}: partition column ${key} has no projection.${key}.type: every query fails (HIVE_METASTORE_ERROR)`);
      continue;
    }
    if (type === 'enum' && !params[`projection.${key}.values`])
      errors.push(`${name}: enum partition ${key} has no projection.${key}.values`);
    if (type === 'date') {
      const fmt = params[`projection.${key}.format`];
      const range = params[`projection.${key}.range`] ?? '';
      if (!fmt) errors.push(`${name}: date partition ${key} has no projection.${key}.format`);
      const [start, end] = range.split(',').map((s) => s.trim());
      if (!start || !end) errors.push(`${name}: date partition ${key} needs projection.${key}.range as start,end (e.g. 2024/01/01,NOW)`);
      else if (fmt === 'yyyy/MM/dd' && !/^NOW/.test(start)) {
        if (!isDay(start)) errors.push(`${name}: projection.${key}.range starts with "${start}", which is not a yyyy/MM/dd date`);
        else if (start > today(now))
          errors.push(`${name}: projection.${key}.range starts on ${start}, after today: nothing is projected until then`);
      }
    } else if (!['enum', 'integer', 'injected'].includes(type)) {
      errors.push(`${name}: projection.${key}.type "${type}" is not enum, integer, date or injected`);
    }
  }
  const template = params['storage.location.template'];
  if (template === undefined) {
    warnings.push(`${name}: no storage.location.template: partitions are read from ${location}<column>=<value>/ folders`);
  } else {
    const vars = locationTemplateVariables(template);
    for (const v of vars) {
      if (!partitionKeys.includes(v.toLowerCase()))
        errors.push(`${name}: storage.location.template uses \${${v}}, which is not a partition column (${partitionKeys.join(', ')})`);
    }
    for (const key of partitionKeys) {
      if (!vars.map((v) => v.toLowerCase()).includes(key))
        errors.push(`${name}: partition column ${key} is missing from storage.location.template: Athena rejects the table`);
    }
    if (!/^s3:\/\//.test(template)) errors.push(`${name}: storage.location.template "${template}" is not an s3:// location`);
    else if (location && !template.startsWith(location))
      warnings.push(`${name}: storage.location.template is not under the table location ${location}`);
    if (/\/\//.test(template.replace(/^s3:\/\//, ''))) errors.push(`${name}: storage.location.template has an empty folder (//)`);
  }
  return { errors, warnings };
}

function lintLocationOnly(location: string, what: string, errors: string[]): void {
  if (!/^s3:\/\/[^/]+\//.test(location)) errors.push(`${what} "${location}" is not an s3://BUCKET/ location`);
  else if (!location.endsWith('/')) errors.push(`${what} "${location}" must end with a slash`);
}
