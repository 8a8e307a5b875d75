import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { CONFIG_FILE, configPath } from './config-path.js';

export { CONFIG_FILE, configPath };
import { nearest } from './pack/prepare.js';
import { AWS } from './aws/settings.js';
import { ATHENA } from './engines/athena/settings.js';
import { DUCKDB } from './engines/duckdb/settings.js';
import { LAKE } from './settings/lake.js';
import { fileSection } from './settings/model.js';
import { list } from './settings/values.js';

const Text = z.string().min(1);

/** `athena:` also takes the AWS keys, where earlier versions documented them (`aws:` is their place). */
export const AthenaConfigSchema = fileSection(ATHENA, [AWS]).strict();
export const AwsConfigSchema = fileSection(AWS).strict();
export const DuckdbConfigSchema = fileSection(DUCKDB).strict();
/** Where the logs are. Known keys are checked; other keys are allowed for `casebook setup`. */
export const LakeConfigSchema = fileSection(LAKE).catchall(z.unknown());

/**
 * Keys `casebook setup`/`ddl` read at the top level (src/glue/config.ts: the Glue
 * database, the bucket, and per-table sections in snake_case). Accepted here so that
 * one file serves every command, and used as defaults for the `athena:` and `lake:`
 * settings they mean (see `bridgeSetupKeys`).
 */
const SetupTopLevel = {
  database: z.string().optional(),
  catalog_id: z.union([z.string(), z.number()]).optional(),
  aws_region: z.string().optional(),
  tables: z.array(z.string()).optional(),
  location: z.string().optional(),
  bucket: z.string().optional(),
  prefix: z.string().optional(),
  accounts: z.unknown().optional(),
  regions: z.unknown().optional(),
  start_date: z.string().optional(),
  cloudtrail: z.record(z.string(), z.unknown()).optional(),
  vpc_flow_logs: z.record(z.string(), z.unknown()).optional(),
};

export const ConfigSchema = z
  .object({
    engine: Text.optional(),
    aws: AwsConfigSchema.default({}),
    athena: AthenaConfigSchema.default({}),
    duckdb: DuckdbConfigSchema.default({}),
    lake: LakeConfigSchema.default({}),
    setup: z.record(z.string(), z.unknown()).default({}),
    ...SetupTopLevel,
  })
  .strict();

export type CasebookConfig = z.infer<typeof ConfigSchema> & {
  /** The file read, if any. */
  file?: string;
};

const EMPTY: CasebookConfig = ConfigSchema.parse({});

/** Parse and validate config text; errors name the file and the key. */
export function parseConfig(text: string, file = CONFIG_FILE): CasebookConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new UsageError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || '(top)';
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      const sections: Record<string, z.ZodObject> = { aws: AwsConfigSchema, athena: AthenaConfigSchema, duckdb: DuckdbConfigSchema };
      const section = issue.path.length === 0 ? ConfigSchema : sections[String(issue.path[0])];
      const hint = section ? nearest(key, Object.keys(section.shape)) : undefined;
      const at = issue.path.length ? `${issue.path.join('.')}.` : '';
      throw new UsageError(`${file}: unknown key ${at}${key}${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
    throw new UsageError(`${file}: ${where}: ${issue.message}`);
  }
  return bridgeSetupKeys({ ...parsed.data, file }, file);
}

function locationOf(src: { location?: unknown; bucket?: unknown; prefix?: unknown }): string | undefined {
  if (typeof src.location === 'string') return src.location.trim();
  if (typeof src.bucket !== 'string') return undefined;
  const bucket = src.bucket
    .trim()
    .replace(/^s3:\/\//, '')
    .replace(/\/+$/, '');
  const prefix = (typeof src.prefix === 'string' ? src.prefix : '').trim().replace(/^\/+|\/+$/g, '');
  return `s3://${bucket}/${prefix ? `${prefix}/` : ''}`;
}

/**
 * Fill `athena:` and `lake:` settings from the keys `casebook setup` reads (the Glue
 * database is the one Athena queries; the bucket and layout are the lake), where the
 * sections do not say otherwise.
 */
function bridgeSetupKeys(c: CasebookConfig, file: string): CasebookConfig {
  const athena: Record<string, unknown> = { ...c.athena };
  const lake: Record<string, unknown> = { ...c.lake };
  athena.database ??= c.database;
  athena.region ??= c.aws_region;
  const ct = c.cloudtrail ?? {};
  const fl = c.vpc_flow_logs ?? {};
  lake.location ??= locationOf(c);
  lake['cloudtrail-location'] ??= locationOf(ct);
  lake['flowlogs-location'] ??= locationOf(fl);
  for (const key of ['accounts', 'regions'] as const) {
    if (lake[key] === undefined && c[key] !== undefined) {
      const parsed = list().safeParse(c[key]);
      if (!parsed.success) throw new UsageError(`${file}: ${key}: ${parsed.error.issues[0]!.message}`);
      if (!(parsed.data?.length === 1 && parsed.data[0]!.toLowerCase() === 'injected')) lake[key] = parsed.data;
    }
  }
  if (lake['org-id'] === undefined && typeof ct.org_id === 'string') lake['org-id'] = ct.org_id;
  if (lake.hourly === undefined && typeof fl.hourly === 'boolean') lake.hourly = fl.hourly;
  if (lake['hive-prefixes'] === undefined && typeof fl.hive_prefixes === 'boolean') lake['hive-prefixes'] = fl.hive_prefixes;
  if (lake.parquet === undefined && fl.file_format !== undefined) lake.parquet = fl.file_format === 'parquet';
  for (const k of Object.keys(lake)) if (lake[k] === undefined) delete lake[k];
  for (const k of Object.keys(athena)) if (athena[k] === undefined) delete athena[k];
  return { ...c, athena, lake };
}

const cache = new Map<string, CasebookConfig>();

/** The configuration for a command run in `cwd`, with `--config` if given. No file: all sections empty. */
export function loadConfig(cwd: string, explicit?: string): CasebookConfig {
  const file = configPath(cwd, explicit);
  if (!file) return EMPTY;
  const hit = cache.get(file);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  const config = parseConfig(text, file);
  cache.set(file, config);
  return config;
}

/** The `--config` value in raw argv (`--config F` or `--config=F`), for commands that read it before parsing. */
export function configArg(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--config') return argv[i + 1];
    if (a.startsWith('--config=')) return a.slice('--config='.length);
  }
  return undefined;
}
