import type { Argv, CommandModule } from 'yargs';
import type { CliIO } from './io.js';
import { envName, loadConfig, optionValue, type CasebookConfig } from '../config.js';
import type { EngineSettings } from '../engines/create.js';
import { ATHENA_OPTIONS, resolveAthenaSettings, type AthenaOption } from '../engines/athena/settings.js';
import { ATHENA_PRICE_PER_TB_USD } from '../engines/athena/cost.js';
import { defaultLakeDir } from '../paths.js';

export interface CommandContext {
  io: CliIO;
  /** Raw arguments (a command may look ahead, e.g. for the query id). */
  argv: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandFactory = (ctx: CommandContext) => CommandModule<any, any>;

const ATHENA_DESCRIBE: Record<AthenaOption, string> = {
  database: 'Glue database holding the cloudtrail and vpc_flow_logs tables (default: casebook, as `casebook setup` creates it)',
  catalog: 'Data catalog (Athena default: AwsDataCatalog)',
  workgroup: 'Athena workgroup (Athena default: primary)',
  'output-location': 'S3 location for query results, s3://BUCKET/PREFIX/ (default: the workgroup\'s)',
  region: 'AWS region (default: the AWS chain: AWS_REGION, the profile)',
  profile: 'AWS profile for credentials (default: the AWS chain: AWS_PROFILE, environment, SSO, roles)',
  'endpoint-url': 'Send AWS calls to this endpoint instead (LocalStack, a VPC endpoint)',
  'max-scan': 'Stop a query that scans more than this, e.g. 20GB',
  reuse: 'Reuse a result of the same query up to this old, e.g. 60m (Athena result reuse)',
  'price-per-tb': `USD per TB scanned for the cost shown (default ${ATHENA_PRICE_PER_TB_USD})`,
  timeout: 'Time limit of each AWS call, e.g. 30s (default 30s)',
};

/** The Athena/AWS options (also for commands that only use AWS, such as estimate). */
export function awsOptions<T>(y: Argv<T>, only: readonly AthenaOption[] = ATHENA_OPTIONS, group = 'Athena:') {
  let out = y as Argv<T>;
  for (const name of only) {
    out = out.option(name, {
      type: name === 'price-per-tb' ? 'number' : 'string',
      describe: `${ATHENA_DESCRIBE[name]} [${envName(name)}]`,
      group,
    }) as Argv<T>;
  }
  return out;
}

/** Options every command that runs queries shares. */
export function engineOptions<T>(y: Argv<T>, ctx: CommandContext) {
  return awsOptions(y
    .option('engine', {
      type: 'string',
      describe: 'Where queries run: duckdb (local lake) or athena [CASEBOOK_ENGINE; config `engine:`] (default duckdb)',
      group: 'Engine:',
    })
    .option('lake', {
      type: 'string',
      describe: 'duckdb: directory laid out like the log bucket (holding AWSLogs/); default: the sample lake',
      default: ctx.io.env.CASEBOOK_LAKE,
      group: 'Engine:',
    })
    .option('threads', { type: 'number', describe: 'duckdb: worker threads (default: all cores)', group: 'Engine:' })
    .option('store', {
      type: 'string',
      describe: 'duckdb: the Parquet store of the lake (casebook import), used when it covers the window (default <lake>.store); --no-store reads the raw lake',
      group: 'Engine:',
    })
    .option('config', { type: 'string', describe: 'Config file (default: casebook.config.yaml in the current directory, if present)', group: 'Engine:' }));
}

/** The config file for this command line (`--config`, or casebook.config.yaml in the cwd). */
export function commandConfig(argv: Record<string, unknown>, ctx: CommandContext): CasebookConfig {
  return loadConfig(ctx.io.cwd, typeof argv.config === 'string' ? argv.config : undefined);
}

/**
 * Engine settings from the parsed command line, then CASEBOOK_* environment variables,
 * then the config file: what `createEngine` takes.
 */
export function resolveEngineSettings(argv: Record<string, unknown>, ctx: CommandContext): EngineSettings {
  const config = commandConfig(argv, ctx);
  const engine = String(argv.engine ?? (ctx.io.env.CASEBOOK_ENGINE || undefined) ?? config.engine ?? 'duckdb');
  const settings: EngineSettings = {
    engine,
    lake: (argv.lake as string | undefined) ?? defaultLakeDir(),
    threads: argv.threads as number | undefined,
    store: argv.store === false ? false : (argv.store as string | undefined),
  };
  if (engine === 'athena') {
    Object.assign(settings, resolveAthenaSettings((name) => optionValue(name, { argv, env: ctx.io.env, config, section: 'athena' })));
  }
  return settings;
}
