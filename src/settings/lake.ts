import { defineSection, type SettingsOf } from './model.js';
import { flag, list, text } from './values.js';

/**
 * Where the logs are in S3 and how they are laid out: the one declaration of these
 * options, for `casebook estimate`, `setup` and `ddl` (command line, CASEBOOK_*
 * variables, `lake:` in the config file). `setup` and `ddl` also read the per-table
 * sections of the config file (src/glue/config.ts).
 */
export const LAKE = defineSection({
  name: 'lake',
  title: 'Where the logs are:',
  options: {
    location: {
      flag: 'location',
      type: 'string',
      describe: 'S3 folder holding AWSLogs/, with a trailing slash: s3://BUCKET/PREFIX/',
      schema: text(),
    },
    bucket: { flag: 'bucket', type: 'string', describe: 'Log bucket (instead of --location)', schema: text() },
    prefix: { flag: 'prefix', type: 'string', describe: 'Prefix above AWSLogs/ in --bucket', schema: text() },
    cloudtrailLocation: {
      flag: 'cloudtrail-location',
      type: 'string',
      describe: 'S3 folder holding the CloudTrail AWSLogs/, when it differs from --location',
      schema: text(),
    },
    flowlogsLocation: {
      flag: 'flowlogs-location',
      type: 'string',
      describe: 'S3 folder holding the flow-log AWSLogs/, when it differs from --location',
      schema: text(),
    },
    accounts: {
      flag: 'accounts',
      type: 'string',
      list: true,
      describe:
        'Account ids, comma-separated (setup and ddl: required, or "injected"; estimate: default every account found under AWSLogs/)',
      schema: list(),
    },
    regions: {
      flag: 'regions',
      type: 'string',
      list: true,
      describe:
        'Regions, comma-separated (setup and ddl: default every commercial region, or "injected"; estimate: default every region found)',
      schema: list(),
    },
    startDate: {
      flag: 'start-date',
      type: 'string',
      describe: 'First day of logs, yyyy/MM/dd (default: the service launch)',
      schema: text(),
    },
    orgId: {
      flag: 'org-id',
      type: 'string',
      describe: 'CloudTrail organization trail: the o-xxxxxxxxxx folder after AWSLogs/ (estimate: default any found)',
      schema: text(),
    },
    format: {
      flag: 'format',
      type: 'string',
      describe: "Flow logs: the flow log's format, '${version} ${account-id} ...' (default: version 2)",
      schema: text(),
    },
    headerFrom: {
      flag: 'header-from',
      type: 'string',
      describe: 'Flow logs: take the fields from the header line of this log file (.log.gz)',
      schema: text(),
    },
    parquet: {
      flag: 'parquet',
      type: 'boolean',
      describe: 'Flow logs: delivered as Parquet (estimate: the estimate is then an upper bound)',
      schema: flag(),
    },
    hivePrefixes: {
      flag: 'hive-prefixes',
      type: 'boolean',
      describe: 'Flow logs: Hive-compatible S3 prefixes (aws-account-id=.../year=/month=/day=) (estimate: default detected)',
      schema: flag(),
    },
    hourly: {
      flag: 'hourly',
      type: 'boolean',
      describe: 'Flow logs: hourly partitions (HH/ below each day)',
      schema: flag(),
    },
    partitionsUntil: {
      flag: 'partitions-until',
      type: 'string',
      describe: 'Hive-compatible prefixes: register partitions through this day, yyyy/MM/dd (default: a year from today)',
      schema: text(),
    },
  },
});

export type LakeSettings = SettingsOf<typeof LAKE>;
