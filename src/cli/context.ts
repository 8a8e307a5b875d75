import type { Argv, CommandModule } from 'yargs';
import type { CliIO } from './io.js';

export interface CommandContext {
  io: CliIO;
  /** Raw arguments (a command may look ahead, e.g. for the query id). */
  argv: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandFactory = (ctx: CommandContext) => CommandModule<any, any>;

/** Options every command that runs queries shares. */
export function engineOptions<T>(y: Argv<T>, ctx: CommandContext) {
  return y
    .option('engine', {
      type: 'string',
      describe: 'Where queries run: duckdb (local lake) or athena',
      default: ctx.io.env.CASEBOOK_ENGINE ?? 'duckdb',
      group: 'Engine:',
    })
    .option('lake', {
      type: 'string',
      describe: 'duckdb: directory laid out like the log bucket (holding AWSLogs/); default: the sample lake',
      default: ctx.io.env.CASEBOOK_LAKE,
      group: 'Engine:',
    })
    .option('threads', { type: 'number', describe: 'duckdb: worker threads (default: all cores)', group: 'Engine:' });
}
