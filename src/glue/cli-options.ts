import type { Argv } from 'yargs';

/** The layout and location options `casebook ddl` and `casebook setup` share. */
export function layoutOptions<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'Config file holding these options (default: ./casebook.config.yaml when present)', group: 'Where the logs are:' })
    .option('location', { type: 'string', describe: 'S3 folder holding AWSLogs/, with a trailing slash: s3://BUCKET/PREFIX/', group: 'Where the logs are:' })
    .option('bucket', { type: 'string', describe: 'Log bucket (instead of --location)', group: 'Where the logs are:' })
    .option('prefix', { type: 'string', describe: 'Prefix above AWSLogs/ in --bucket', group: 'Where the logs are:' })
    .option('accounts', { type: 'string', describe: 'Account ids, comma-separated (or "injected")', group: 'Where the logs are:' })
    .option('regions', { type: 'string', describe: 'Regions, comma-separated (default: every commercial region; or "injected")', group: 'Where the logs are:' })
    .option('start-date', { type: 'string', describe: 'First day of logs, yyyy/MM/dd (default: the service launch)', group: 'Where the logs are:' })
    .option('org-id', { type: 'string', describe: 'CloudTrail organization trail: the o-xxxxxxxxxx folder after AWSLogs/', group: 'CloudTrail:' })
    .option('format', { type: 'string', describe: "Flow logs: the flow log's format, '${version} ${account-id} ...' (default: version 2)", group: 'VPC Flow Logs:' })
    .option('header-from', { type: 'string', describe: 'Flow logs: take the fields from the header line of this log file (.log.gz)', group: 'VPC Flow Logs:' })
    .option('parquet', { type: 'boolean', describe: 'Flow logs: delivered as Parquet', group: 'VPC Flow Logs:' })
    .option('hive-prefixes', { type: 'boolean', describe: 'Flow logs: Hive-compatible S3 prefixes (aws-account-id=.../year=/month=/day=)', group: 'VPC Flow Logs:' })
    .option('hourly', { type: 'boolean', describe: 'Flow logs: hourly partitions (HH/ below each day)', group: 'VPC Flow Logs:' })
    .option('partitions-until', { type: 'string', describe: 'Hive-compatible prefixes: register partitions through this day, yyyy/MM/dd (default: a year from today)', group: 'VPC Flow Logs:' });
}
