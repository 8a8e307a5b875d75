import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './errors.js';

/*
 * Where the config file is, apart from reading it (src/config.ts): a command can tell
 * that there is none without loading the YAML parser or the settings schemas.
 */

/**
 * casebook's one configuration file: `--config FILE`, or `casebook.config.yaml` in the
 * current directory. Keys are the command-line option names (kebab-case), in the
 * sections the settings model declares (src/settings/model.ts):
 *
 * ```yaml
 * engine: athena                 # default engine (else duckdb)
 * aws:                           # AWS access, for every command that calls AWS
 *   region: us-east-1
 *   profile: security-audit
 *   timeout: 30s
 * athena:                        # how queries run on Amazon Athena
 *   database: security_logs
 *   workgroup: primary
 *   output-location: s3://my-athena-results/casebook/
 *   max-scan: 20GB
 *   reuse: 60m
 * duckdb:                        # the local engine
 *   lake: ./my-lake
 * lake:                          # where the logs are in S3 (setup, ddl and estimate)
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
 * The AWS keys are also read from `athena:` (where earlier versions documented them);
 * `aws:` is their place.
 *
 * A value given on the command line wins over a `CASEBOOK_<OPTION>` environment
 * variable (`CASEBOOK_OUTPUT_LOCATION`), which wins over the file.
 */
export const CONFIG_FILE = 'casebook.config.yaml';

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
