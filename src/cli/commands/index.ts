import type { CommandFactory } from '../context.js';

export interface CommandEntry {
  /** yargs' command string: the name, then `<required>` and `[optional]` positionals. */
  command: string;
  /** One line for the command list (`casebook --help`). */
  describe: string;
  /** The command's options and handler. */
  load: () => Promise<CommandFactory>;
}

/**
 * Every CLI command, in help order: its usage, what it does and how to load it. A
 * command's module (and what it imports: DuckDB, the AWS SDK, ...) is loaded only when
 * that command runs or its own help is shown; the command list needs none of them. A new
 * command is one file and one entry below.
 */
export const COMMANDS: CommandEntry[] = [
  {
    command: 'list',
    describe: 'List the investigations in the pack',
    load: async () => (await import('./list.js')).listCommand,
  },
  {
    command: 'show <query>',
    describe: 'Describe a query: what it answers, its parameters, columns and an example',
    load: async () => (await import('./show.js')).showCommand,
  },
  {
    command: 'render <query>',
    describe: 'Print the Athena SQL of a query with its parameters filled in',
    load: async () => (await import('./render.js')).renderCommand,
  },
  {
    command: 'run <query>',
    describe: 'Run a query and print its results',
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    command: 'estimate <query>',
    describe: 'Before running on Athena: list the S3 prefixes a query would scan, with the bytes and the cost at most',
    load: async () => (await import('./estimate.js')).estimateCommand,
  },
  {
    command: 'sample',
    describe: 'Write a deterministic sample lake (CloudTrail and flow logs in the S3 layout) with planted incidents',
    load: async () => (await import('./sample.js')).sampleCommand,
  },
  {
    command: 'ddl <table>',
    describe: 'Print the Athena CREATE EXTERNAL TABLE statement for a table in your bucket layout',
    load: async () => (await import('./ddl.js')).ddlCommand,
  },
  {
    command: 'setup',
    describe: 'Create or update the Glue database and tables Athena queries (idempotent; --dry-run shows the changes)',
    load: async () => (await import('./setup.js')).setupCommand,
  },
  {
    command: 'schema <table>',
    describe: "Show a table's columns; for flow logs, the columns of a given format, in its order",
    load: async () => (await import('./schema.js')).schemaCommand,
  },
  {
    command: 'import',
    describe:
      'Convert a local lake to the Parquet store (incremental: only new or changed partitions); queries use it when it covers their window',
    load: async () => (await import('./import.js')).importCommand,
  },
  {
    command: 'compact',
    describe:
      'Athena: copy a day range of a raw log table into a Parquet (zstd) table of the same shape in another database; run the pack on it with --database',
    load: async () => (await import('./compact.js')).compactCommand,
  },
  {
    command: 'report [name]',
    describe: 'Run an evidence report for a period and write a verifiable bundle (no name: list the reports)',
    load: async () => (await import('./report.js')).reportCommand,
  },
  {
    command: 'verify <dir>',
    describe: 'Check an evidence bundle against its manifest: every file unchanged, none missing, none added',
    load: async () => (await import('./verify.js')).verifyCommand,
  },
  {
    command: 'discover <location>',
    describe:
      'List what a bucket (s3://BUCKET[/PREFIX]) or a local lake directory holds: trails and their layout, accounts, regions, days, digests, flow logs and their formats',
    load: async () => (await import('./discover.js')).discoverCommand,
  },
  {
    command: 'pull <location>',
    describe:
      'Copy a window of log files from a bucket (s3://BUCKET[/PREFIX]) into a local lake, with the CloudTrail digests and their signatures; resumable and incremental',
    load: async () => (await import('./pull.js')).pullCommand,
  },
  {
    command: 'validate-logs [location]',
    describe:
      "Prove CloudTrail log files genuine: check the signed digest files, their chain and every log file's SHA-256, in a bucket (s3://BUCKET[/PREFIX]) or a lake made by pull (--lake DIR)",
    load: async () => (await import('./validate-logs.js')).validateLogsCommand,
  },
];

/** The command's name: the first word of its usage. */
export function commandName(entry: CommandEntry): string {
  return entry.command.split(' ')[0]!;
}
