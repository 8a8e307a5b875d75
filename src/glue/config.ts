import { resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { loadConfig } from '../config.js';
import { flowFormatFromFile, parseFlowFormat, type FlowFormat } from './flow-format.js';
import type { TableLayout } from '../layout/layout.js';
import type { PartitionValuesOption } from '../layout/projection.js';
import { defaultPartitionsUntil, type TableSpec } from './table-input.js';

/**
 * Where casebook's tables point and how they are laid out, from command-line options
 * and a config file (`--config FILE`, or `casebook.config.yaml` in the working
 * directory). Options win over the file; a table's own section wins over the file's
 * top level.
 */

export { CONFIG_FILE } from '../config.js';
import { CONFIG_FILE } from '../config.js';
export const TABLES = ['cloudtrail', 'vpc_flow_logs'] as const;
export type TableName = (typeof TABLES)[number];

/**
 * Commercial regions, the default when none are named: a region without logs costs a few
 * S3 listings, a missing one hides its logs. Source: AWS's list of Regions (the regions
 * table of the AWS General Reference); `casebook discover --write-config` writes the
 * regions a bucket actually holds, which is what a projection should list.
 */
export const DEFAULT_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
];

/**
 * First day of the day projection when none is given: the service's launch (CloudTrail
 * November 2013, VPC Flow Logs June 2015). An early start costs nothing, since every
 * query names its window; a late one hides logs.
 */
export const DEFAULT_START: Record<TableName, string> = { cloudtrail: '2013/11/01', vpc_flow_logs: '2015/06/01' };

const ListValue = z.union([z.array(z.union([z.string(), z.number()])), z.string(), z.number()]);

const Common = {
  location: z.string().optional(),
  bucket: z.string().optional(),
  prefix: z.string().optional(),
  accounts: ListValue.optional(),
  regions: ListValue.optional(),
  start_date: z.string().optional(),
};

const CloudTrailSection = z.object({ ...Common, org_id: z.string().optional() }).strict();
const FlowLogsSection = z
  .object({
    ...Common,
    format: z.string().optional(),
    header_from: z.string().optional(),
    file_format: z.enum(['text', 'parquet']).optional(),
    hourly: z.boolean().optional(),
    hive_prefixes: z.boolean().optional(),
    partitions_until: z.string().optional(),
  })
  .strict();

/**
 * What setup and ddl read from casebook's config file (src/config.ts parses the file
 * for every command). Per-table sections in snake_case; `lake:` (kebab-case, shared
 * with `casebook estimate`) and `setup:` fill what they do not say; `athena.database`
 * and `athena.region` name the Glue database and region when `database`/`aws_region`
 * are absent.
 */
export interface ConfigFile {
  database?: string;
  catalog_id?: string | number;
  aws_region?: string;
  tables?: string[];
  location?: string;
  bucket?: string;
  prefix?: string;
  accounts?: unknown;
  regions?: unknown;
  start_date?: string;
  cloudtrail?: z.infer<typeof CloudTrailSection>;
  vpc_flow_logs?: z.infer<typeof FlowLogsSection>;
  lake?: Record<string, unknown>;
  setup?: Record<string, unknown>;
  athena?: { database?: string; region?: string };
}

/** Command-line options shared by `casebook ddl` and `casebook setup` (camel-cased by yargs). */
export interface LayoutCliOptions {
  config?: string;
  location?: string;
  bucket?: string;
  prefix?: string;
  cloudtrailLocation?: string;
  flowlogsLocation?: string;
  accounts?: string | string[];
  regions?: string | string[];
  startDate?: string;
  orgId?: string;
  format?: string;
  headerFrom?: string;
  hourly?: boolean;
  parquet?: boolean;
  hivePrefixes?: boolean;
  partitionsUntil?: string;
  database?: string;
  catalogId?: string;
  /** The region of the Glue catalog (`--region`). */
  region?: string;
  tables?: string;
}

export interface ResolvedPlan {
  database: string;
  catalogId?: string;
  awsRegion?: string;
  specs: TableSpec[];
  /** The config file read, if any. */
  configFile?: string;
  /** Lines worth telling the user (defaults taken). */
  notes: string[];
}

/**
 * The flow log's format the config file declares (`vpc_flow_logs: {format | header_from}`,
 * else `lake: {format | header-from}`), the same keys `casebook setup` and `ddl` read; none
 * means the default (version 2) table. Queries are rendered for it (`casebook run`, `render`).
 */
export function configuredFlowFormat(cwd: string, path?: string): FlowFormat | undefined {
  const { file, config } = loadConfigFile(cwd, path);
  const src = file ? `config file ${file}` : 'options';
  const base = file ? resolve(file, '..') : cwd;
  const fl = config.vpc_flow_logs ?? {};
  const lake = { ...(config.lake ?? {}), ...(config.setup ?? {}) };
  if (fl.format !== undefined) return parseFlowFormat(fl.format, `${src}: vpc_flow_logs.format`);
  if (fl.header_from !== undefined) return flowFormatFromFile(resolve(base, fl.header_from));
  if (typeof lake.format === 'string') return parseFlowFormat(lake.format, `${src}: format`);
  if (typeof lake['header-from'] === 'string') return flowFormatFromFile(resolve(base, lake['header-from']));
  return undefined;
}

/** `flowlogs`, `vpc-flow-logs`, ... to the table name. */
export function tableName(text: string): TableName {
  const t = text.trim().toLowerCase().replace(/-/g, '_');
  if (t === 'cloudtrail') return 'cloudtrail';
  if (['vpc_flow_logs', 'flowlogs', 'flow_logs', 'vpcflowlogs', 'vpc_flowlogs'].includes(t)) return 'vpc_flow_logs';
  throw new UsageError(`unknown table "${text}": casebook defines cloudtrail and vpc_flow_logs (alias flowlogs)`);
}

export function loadConfigFile(cwd: string, path?: string): { file?: string; config: ConfigFile } {
  const loaded = loadConfig(cwd, path);
  const file = loaded.file;
  const section = <T>(schema: z.ZodType<T>, value: unknown, key: string): T | undefined => {
    if (value === undefined) return undefined;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = [key, ...issue.path].join('.');
      if (issue.code === 'unrecognized_keys') throw new UsageError(`${file ?? CONFIG_FILE}: unknown key ${key}.${issue.keys[0]}`);
      throw new UsageError(`${file ?? CONFIG_FILE}: ${where}: ${issue.message}`);
    }
    return parsed.data;
  };
  const config: ConfigFile = {
    database: loaded.database,
    catalog_id: loaded.catalog_id,
    aws_region: loaded.aws_region,
    tables: loaded.tables,
    location: loaded.location,
    bucket: loaded.bucket,
    prefix: loaded.prefix,
    accounts: loaded.accounts,
    regions: loaded.regions,
    start_date: loaded.start_date,
    cloudtrail: section(CloudTrailSection, loaded.cloudtrail, 'cloudtrail'),
    vpc_flow_logs: section(FlowLogsSection, loaded.vpc_flow_logs, 'vpc_flow_logs'),
    lake: loaded.lake as Record<string, unknown>,
    setup: loaded.setup,
    athena: { database: textOf(loaded.athena.database), region: textOf(loaded.athena.region) },
  };
  return { ...(file ? { file } : {}), config };
}

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function listOption(value: unknown, what: string, source: string): PartitionValuesOption | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'number' ? [value] : String(value).split(',');
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === 'number') {
      const text = String(item);
      if (what === 'accounts' && text.length < 12) {
        throw new UsageError(
          `${source}: account ${text} was read as a number and lost its leading zeros: quote account ids ('${text.padStart(12, '0')}')`,
        );
      }
      out.push(text);
      continue;
    }
    const text = String(item).trim();
    if (text !== '') out.push(text);
  }
  if (out.length === 1 && out[0]!.toLowerCase() === 'injected') return 'injected';
  return out;
}

/** yyyy-MM-dd or yyyy/MM/dd to yyyy/MM/dd (anything else is left for the lint to reject). */
export function normalizeDay(text: string): string {
  const t = text.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(t) ? t.replace(/-/g, '/') : t;
}

function locationOf(src: { location?: string; bucket?: string; prefix?: string }): string | undefined {
  if (src.location !== undefined) return src.location.trim();
  if (src.bucket === undefined) return undefined;
  const bucket = src.bucket
    .trim()
    .replace(/^s3:\/\//, '')
    .replace(/\/+$/, '');
  const prefix = (src.prefix ?? '').trim().replace(/^\/+|\/+$/g, '');
  return `s3://${bucket}/${prefix ? `${prefix}/` : ''}`;
}

/**
 * Resolve options and config into table specs. `only` restricts to one table (ddl);
 * otherwise the tables are --tables, the config's `tables`, or every table that has a
 * location.
 */
export function resolvePlan(cli: LayoutCliOptions, cwd: string, now: Date, only?: TableName): ResolvedPlan {
  const { file, config } = loadConfigFile(cwd, cli.config);
  const src = file ? `config file ${file}` : 'options';
  const notes: string[] = [];
  const cliLocation = cli.location !== undefined || cli.bucket !== undefined ? locationOf(cli) : undefined;
  const topLocation = locationOf(config);
  const lake = config.lake ?? {};
  const setup = config.setup ?? {};
  /** A `setup:` or `lake:` key (kebab-case, as the option), as text. */
  const shared = (key: string): string | undefined => {
    const v = setup[key] ?? lake[key];
    return v === undefined || v === null ? undefined : String(v);
  };
  const sharedBool = (key: string): boolean | undefined => {
    const v = setup[key] ?? lake[key];
    return typeof v === 'boolean' ? v : undefined;
  };
  const locations: Record<TableName, string | undefined> = {
    cloudtrail:
      cli.cloudtrailLocation ??
      cliLocation ??
      locationOf(config.cloudtrail ?? {}) ??
      topLocation ??
      shared('cloudtrail-location') ??
      shared('location'),
    vpc_flow_logs:
      cli.flowlogsLocation ??
      cliLocation ??
      locationOf(config.vpc_flow_logs ?? {}) ??
      topLocation ??
      shared('flowlogs-location') ??
      shared('location'),
  };

  let tables: TableName[];
  if (only) tables = [only];
  else if (cli.tables)
    tables = cli.tables
      .split(',')
      .filter((s) => s.trim())
      .map(tableName);
  else if (config.tables) tables = config.tables.map(tableName);
  else if (shared('tables') !== undefined)
    tables = shared('tables')!
      .split(',')
      .filter((s) => s.trim())
      .map(tableName);
  else tables = TABLES.filter((t) => locations[t] !== undefined);
  if (tables.length === 0) {
    throw new UsageError(
      'name the log bucket: --location s3://BUCKET/PREFIX/ (the folder holding AWSLogs/), or --bucket BUCKET [--prefix PREFIX], or a casebook.config.yaml',
    );
  }

  const specs: TableSpec[] = [];
  for (const table of tables) {
    const section = (table === 'cloudtrail' ? config.cloudtrail : config.vpc_flow_logs) ?? {};
    const location = locations[table];
    if (location === undefined) {
      throw new UsageError(
        `no location for table ${table}: pass --location s3://BUCKET/PREFIX/ (or --${table === 'cloudtrail' ? 'cloudtrail' : 'flowlogs'}-location), or set it in ${CONFIG_FILE}`,
      );
    }
    const accounts =
      listOption(cli.accounts, 'accounts', '--accounts') ??
      listOption(section.accounts, 'accounts', src) ??
      listOption(config.accounts, 'accounts', src) ??
      listOption(setup.accounts ?? lake.accounts, 'accounts', src);
    if (accounts === undefined) {
      throw new UsageError(
        `name the accounts whose logs ${table} reads: --accounts 111122223333,444455556666 (or accounts: in ${CONFIG_FILE}; "injected" makes every query name them)`,
      );
    }
    let regions =
      listOption(cli.regions, 'regions', '--regions') ??
      listOption(section.regions, 'regions', src) ??
      listOption(config.regions, 'regions', src) ??
      listOption(setup.regions ?? lake.regions, 'regions', src);
    if (regions === undefined) {
      regions = [...DEFAULT_REGIONS];
      notes.push(`${table}: no --regions given: projecting all ${DEFAULT_REGIONS.length} commercial regions`);
    }
    const startText = cli.startDate ?? section.start_date ?? config.start_date ?? shared('start-date');
    const layout: TableLayout = { table, format: 'json', hourly: false, hivePrefixes: false };
    let flowFormat: FlowFormat | undefined;
    let partitionsUntil: string | undefined;
    if (table === 'cloudtrail') {
      const ct = config.cloudtrail ?? {};
      const orgId = cli.orgId ?? ct.org_id ?? shared('org-id');
      if (orgId !== undefined) layout.orgId = orgId.trim();
    } else {
      const fl = config.vpc_flow_logs ?? {};
      const parquet =
        cli.parquet ?? (fl.file_format !== undefined ? fl.file_format === 'parquet' : undefined) ?? sharedBool('parquet') ?? false;
      layout.format = parquet ? 'parquet' : 'text';
      layout.hourly = cli.hourly ?? fl.hourly ?? sharedBool('hourly') ?? false;
      layout.hivePrefixes = cli.hivePrefixes ?? fl.hive_prefixes ?? sharedBool('hive-prefixes') ?? false;
      if (cli.format !== undefined && cli.headerFrom !== undefined)
        throw new UsageError('give the flow-log fields once: --format or --header-from, not both');
      if (cli.format !== undefined) flowFormat = parseFlowFormat(cli.format, '--format');
      else if (cli.headerFrom !== undefined) flowFormat = flowFormatFromFile(resolve(cwd, cli.headerFrom));
      else if (fl.format !== undefined) flowFormat = parseFlowFormat(fl.format, `${src}: vpc_flow_logs.format`);
      else if (fl.header_from !== undefined) flowFormat = flowFormatFromFile(resolve(file ? resolve(file, '..') : cwd, fl.header_from));
      else if (shared('format') !== undefined) flowFormat = parseFlowFormat(shared('format')!, `${src}: format`);
      else if (shared('header-from') !== undefined)
        flowFormat = flowFormatFromFile(resolve(file ? resolve(file, '..') : cwd, shared('header-from')!));
      if (layout.hivePrefixes) {
        partitionsUntil = normalizeDay(
          cli.partitionsUntil ?? fl.partitions_until ?? shared('partitions-until') ?? defaultPartitionsUntil(now),
        );
        if (startText === undefined) {
          throw new UsageError(
            'flow logs with Hive-compatible prefixes have their partitions registered one by one: give the first day of logs with --start-date yyyy/MM/dd',
          );
        }
      }
      if (cli.orgId !== undefined && only === 'vpc_flow_logs')
        throw new UsageError('--org-id applies to CloudTrail organization trails, not to flow logs');
    }
    if (
      table === 'cloudtrail' &&
      (cli.parquet || cli.hivePrefixes || cli.hourly || cli.format !== undefined || cli.headerFrom !== undefined) &&
      only === 'cloudtrail'
    ) {
      throw new UsageError('--format, --header-from, --parquet, --hive-prefixes and --hourly describe flow logs, not CloudTrail');
    }
    const startDate = normalizeDay(startText ?? DEFAULT_START[table]);
    if (startText === undefined) notes.push(`${table}: no --start-date given: projecting days from ${startDate}`);
    specs.push({
      layout,
      options: {
        location,
        accounts,
        regions,
        startDate,
        ...(flowFormat ? { flowFormat } : {}),
        ...(partitionsUntil ? { partitionsUntil } : {}),
      },
    });
  }
  const catalogId = cli.catalogId ?? (config.catalog_id !== undefined ? String(config.catalog_id) : undefined) ?? shared('catalog-id');
  // As for the Athena engine, the athena: section wins over the top-level keys (src/config.ts bridges them into it).
  const awsRegion = cli.region ?? (setup['aws-region'] as string | undefined) ?? config.athena?.region ?? config.aws_region;
  return {
    database: cli.database ?? (setup.database as string | undefined) ?? config.athena?.database ?? config.database ?? 'casebook',
    ...(catalogId ? { catalogId } : {}),
    ...(awsRegion ? { awsRegion } : {}),
    specs,
    ...(file ? { configFile: file } : {}),
    notes,
  };
}
