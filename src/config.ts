import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { nearest } from './pack/prepare.js';

/**
 * casebook's one configuration file: `--config FILE`, or `casebook.config.yaml` in the
 * current directory. Keys are the command-line option names (kebab-case), grouped by
 * what they configure:
 *
 * ```yaml
 * engine: athena                 # default engine (else duckdb)
 * athena:                        # how queries run on Amazon Athena
 *   database: security_logs
 *   workgroup: primary
 *   output-location: s3://my-athena-results/casebook/
 *   region: us-east-1
 *   profile: security-audit
 *   max-scan: 20GB
 *   reuse: 60m
 * lake:                          # where the logs are in S3 (setup and estimate)
 *   location: s3://my-log-bucket/prefix/
 *   accounts: [111122223333, 444455556666]
 *   regions: [us-east-1, eu-west-1]
 *   org-id: o-exampleorgid
 * setup: {}                      # options of `casebook setup` only
 * ```
 *
 * The top-level keys `casebook setup` reads (`database`, `aws_region`, `location`,
 * `bucket`/`prefix`, `accounts`, `regions`, `cloudtrail: {location, org_id}`,
 * `vpc_flow_logs: {location, hourly, hive_prefixes, file_format}`) are accepted too and
 * fill the Athena database/region and the lake where `athena:`/`lake:` do not say.
 *
 * A value given on the command line wins over a `CASEBOOK_<OPTION>` environment
 * variable (`CASEBOOK_OUTPUT_LOCATION`), which wins over the file.
 */
export const CONFIG_FILE = 'casebook.config.yaml';

const Text = z.string().min(1);
const TextOrNumber = z.union([z.string().min(1), z.number()]);
/** A list in YAML, or a comma-separated string. Numbers are kept as text (account ids). */
const List = z.union([z.array(TextOrNumber), TextOrNumber]).transform((v, ctx) => {
  const items = (Array.isArray(v) ? v : typeof v === 'number' ? [v] : String(v).split(','));
  for (const x of items) {
    if (typeof x === 'number' && String(x).length < 12 && String(x).length > 6) {
      ctx.addIssue({ code: 'custom', message: `${x} was read as a number and lost its leading zeros: quote account ids ('${String(x).padStart(12, '0')}')` });
    }
  }
  return items.map((x) => String(x).trim()).filter((x) => x !== '');
});

export const AthenaConfigSchema = z.object({
  database: Text.optional(),
  catalog: Text.optional(),
  workgroup: Text.optional(),
  'output-location': Text.optional(),
  region: Text.optional(),
  profile: Text.optional(),
  'endpoint-url': Text.optional(),
  'max-scan': TextOrNumber.optional(),
  reuse: TextOrNumber.optional(),
  'price-per-tb': z.number().positive().optional(),
  timeout: TextOrNumber.optional(),
}).strict();

/** Where the logs are. Known keys are typed; other keys are allowed for `casebook setup`. */
export const LakeConfigSchema = z.object({
  location: Text.optional(),
  'cloudtrail-location': Text.optional(),
  'flowlogs-location': Text.optional(),
  accounts: List.optional(),
  regions: List.optional(),
  'org-id': Text.optional(),
  hourly: z.boolean().optional(),
  parquet: z.boolean().optional(),
  'hive-prefixes': z.boolean().optional(),
}).catchall(z.unknown());

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

export const ConfigSchema = z.object({
  engine: Text.optional(),
  athena: AthenaConfigSchema.default({}),
  lake: LakeConfigSchema.default({}),
  setup: z.record(z.string(), z.unknown()).default({}),
  ...SetupTopLevel,
}).strict();

export type CasebookConfig = z.infer<typeof ConfigSchema> & {
  /** The file read, if any. */
  file?: string;
};
export type ConfigSection = 'athena' | 'lake' | 'setup';

const EMPTY: CasebookConfig = ConfigSchema.parse({});

/** The config file to read: `explicit` (relative to cwd; must exist), else casebook.config.yaml in cwd if present. */
export function configPath(cwd: string, explicit?: string): string | undefined {
  if (explicit !== undefined && explicit !== '') {
    const p = resolve(cwd, explicit);
    if (!existsSync(p)) throw new UsageError(`config file ${explicit} does not exist`);
    return p;
  }
  const p = resolve(cwd, CONFIG_FILE);
  return existsSync(p) ? p : undefined;
}

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
      const section = issue.path[0] === 'athena' ? AthenaConfigSchema : issue.path.length === 0 ? ConfigSchema : undefined;
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
  const bucket = src.bucket.trim().replace(/^s3:\/\//, '').replace(/\/+$/, '');
  const prefix = (typeof src.prefix === 'string' ? src.prefix : '').trim().replace(/^\/+|\/+$/g, '');
  return `s3://${bucket}/${prefix ? `${prefix}/` : ''}`;
}

/**
 * Fill `athena:` and `lake:` settings from the keys `casebook setup` reads (the Glue
 * database is the one Athena queries; the bucket and layout are the lake), where the
 * sections do not say otherwise.
 */
function bridgeSetupKeys(c: CasebookConfig, file: string): CasebookConfig {
  const athena = { ...c.athena };
  const lake = { ...c.lake } as Record<string, unknown>;
  athena.database ??= c.database;
  athena.region ??= c.aws_region;
  const ct = c.cloudtrail ?? {};
  const fl = c.vpc_flow_logs ?? {};
  lake.location ??= locationOf(c);
  lake['cloudtrail-location'] ??= locationOf(ct);
  lake['flowlogs-location'] ??= locationOf(fl);
  for (const key of ['accounts', 'regions'] as const) {
    if (lake[key] === undefined && c[key] !== undefined) {
      const parsed = LakeConfigSchema.shape[key].safeParse(c[key]);
      if (!parsed.success) throw new UsageError(`${file}: ${key}: ${parsed.error.issues[0]!.message}`);
      if (!(parsed.data?.length === 1 && parsed.data[0]!.toLowerCase() === 'injected')) lake[key] = parsed.data;
    }
  }
  if (lake['org-id'] === undefined && typeof ct.org_id === 'string') lake['org-id'] = ct.org_id;
  if (lake.hourly === undefined && typeof fl.hourly === 'boolean') lake.hourly = fl.hourly;
  if (lake['hive-prefixes'] === undefined && typeof fl.hive_prefixes === 'boolean') lake['hive-prefixes'] = fl.hive_prefixes;
  if (lake.parquet === undefined && fl.file_format !== undefined) lake.parquet = fl.file_format === 'parquet';
  for (const k of Object.keys(lake)) if (lake[k] === undefined) delete lake[k];
  for (const k of Object.keys(athena) as (keyof typeof athena)[]) if (athena[k] === undefined) delete athena[k];
  return { ...c, athena, lake: lake as CasebookConfig['lake'] };
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

/** `CASEBOOK_OUTPUT_LOCATION` for option `output-location`. */
export function envName(option: string): string {
  return `CASEBOOK_${option.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * An option's value: the command line, else `CASEBOOK_<OPTION>`, else the config file's
 * `section.option`, else undefined.
 */
export function optionValue(
  option: string,
  sources: { argv: Record<string, unknown>; env: Record<string, string | undefined>; config: CasebookConfig; section: ConfigSection },
): unknown {
  let cli = sources.argv[option];
  // An option given twice: the last one wins, as with most command-line tools.
  if (Array.isArray(cli)) cli = cli[cli.length - 1];
  if (cli !== undefined && cli !== '') return cli;
  const env = sources.env[envName(option)];
  if (env !== undefined && env !== '') return env;
  const section = sources.config[sources.section] as Record<string, unknown>;
  return section[option];
}
