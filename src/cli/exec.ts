import yargs from 'yargs';
import { CasebookError, UsageError, errorMessage, firstLine } from '../errors.js';
import { nearest } from '../pack/prepare.js';
import { PackError } from '../pack/load.js';
import { COMMANDS } from './commands/index.js';
import type { CliIO } from './io.js';
import { processIO } from './io.js';
import { VERSION } from '../version.js';
import { safeStderr } from '../format/escape.js';
import { lookAheadQuery } from './commands/run.js';
import { optionName } from './query-options.js';

/** Turn yargs' complaint into casebook's one line, with a suggestion for a mistyped option. */
function usageMessage(msg: string, argv: string[], commands: string[], options: string[]): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (unknown) {
    const first = unknown[1]!.split(', ')[0]!;
    if (argv[0] === first) {
      const hint = nearest(first, commands);
      return `unknown command "${first}"${hint ? ` (did you mean ${hint}?)` : ''}; see --help`;
    }
    const query = lookAheadQuery(argv, argv[0] ?? '');
    const known = [...options, ...(query ? Object.keys(query.allParams).map(optionName) : [])];
    const hint = nearest(first, known);
    const where = query ? ` for ${argv[0]} ${query.id}` : '';
    return `unknown option --${first}${where}${hint ? ` (did you mean --${hint}?)` : ''}; see --help`;
  }
  return msg.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}



/**
 * The CLI as a function: parse argv, run the command, return the exit code. Output
 * goes through `io`; nothing here touches process state, so tests call it directly.
 */
export async function exec(argv: string[], rawIO: CliIO = processIO()): Promise<number> {
  // stderr carries only human text (errors, progress, statistics), which can quote log
  // fields and file names: no control sequence from them reaches the terminal.
  const io: CliIO = { ...rawIO, stderr: (t) => rawIO.stderr(safeStderr(t)) };
  const debug = argv.includes('--debug');
  let helpText = '';
  const parser = yargs()
    .scriptName('casebook')
    .usage('casebook <command> [options]\n\nCanned security, compliance and cost investigations over CloudTrail and VPC Flow Logs.')
    .version(VERSION)
    .option('debug', { type: 'boolean', describe: 'Show stack traces on errors', global: true })
    .strict()
    .demandCommand(1, 'name a command: casebook list, show, render, run, ... (see --help)')
    .exitProcess(false)
    .showHelpOnFail(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      // The options yargs knows at this point: the global ones and the command's own.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const keys = Object.keys((parser as any).getOptions?.().key ?? {}).filter((k) => !/[A-Z]/.test(k));
      throw new UsageError(usageMessage(msg, argv, commandNames, keys));
    });
  const ctx = { io, argv };
  const commandNames = COMMANDS.map((c) => c.name);
  // Load only the command being run; everything for the full help or an unknown command.
  const invoked = argv.find((a) => !a.startsWith('-'));
  const wanted = COMMANDS.filter((c) => c.name === invoked);
  for (const entry of wanted.length > 0 ? wanted : COMMANDS) parser.command((await entry.load())(ctx));
  try {
    await parser.parseAsync(argv, {}, (_err, _parsed, output) => {
      if (output) helpText = output;
    });
    if (helpText) io.stdout(`${helpText}\n`);
    return 0;
  } catch (err) {
    return report(err, io, debug);
  }
}

function report(err: unknown, io: CliIO, debug: boolean): number {
  if (debug && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  if (err instanceof CasebookError) {
    io.stderr(`casebook: ${firstLine(err.message)}\n`);
    return err.exitCode;
  }
  if (err instanceof PackError) {
    io.stderr(`casebook: query pack: ${firstLine(err.message)}\n`);
    return 1;
  }
  io.stderr(`casebook: internal error: ${firstLine(errorMessage(err))}${debug ? '' : ' (run with --debug for details)'}\n`);
  return 70;
}
