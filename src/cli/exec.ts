import type { Argv, CommandModule } from 'yargs';
import { CasebookError, UsageError, errorMessage, firstLine } from '../errors.js';
import { COMMANDS, commandName, type CommandEntry } from './commands/index.js';
import type { CommandContext } from './context.js';
import type { CliIO } from './io.js';
import { processIO } from './io.js';
import { VERSION } from '../version.js';

/** yargs' complaint, turned into casebook's one line (with a suggestion) only when it is reported. */
export class Complaint {
  constructor(
    readonly msg: string,
    readonly options: string[],
  ) {}
}

/** The part of yargs' parser its types leave out: the options it knows so far. */
interface YargsInternals {
  getOptions?: () => { key?: Record<string, unknown> };
}
import { safeStderr } from '../format/escape.js';
import { fastArgs } from './fast-args.js';

/** Turn yargs' complaint into casebook's one line, with a suggestion for a mistyped option. */
async function usageMessage(msg: string, argv: string[], commands: string[], options: string[]): Promise<string> {
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (unknown) {
    // Loaded only for a mistyped command line: the pack and the spelling helper.
    const { nearest } = await import('../pack/prepare.js');
    const { lookAheadQuery, optionName } = await import('./query-options.js');
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
  if (/^Not enough non-option arguments/.test(msg)) {
    const command = argv.find((a) => !a.startsWith('-'));
    const missing = command === 'verify' ? 'the bundle directory' : command === 'ddl' || command === 'schema' ? 'the table' : 'the query';
    return `${command ?? 'casebook'}: name ${missing}${missing === 'the query' ? ` (casebook ${command} who-deleted ...; \`casebook list\` shows them all)` : ''}`;
  }
  const choice = /^Invalid values:\s*Argument: ([\w-]+), Given: "(.*)", Choices: (.+)$/s.exec(msg.trim());
  if (choice) return `--${choice[1]} ${choice[2]} is not one of: ${choice[3]!.replace(/"/g, '').replace(/\s+/g, ' ')}`;
  return msg
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

/** A command as yargs takes it: usage and description from the command list, options and handler from its module. */
export async function commandModule(entry: CommandEntry, ctx: CommandContext): Promise<CommandModule> {
  return { command: entry.command, describe: entry.describe, ...(await entry.load())(ctx) } as CommandModule;
}

/**
 * casebook's yargs parser over these commands. A complaint (unknown option, missing
 * argument, ...) is thrown as a `Complaint`; nothing is printed and the process is not
 * exited.
 */
export async function yargsParser(modules: CommandModule[]): Promise<Argv> {
  const { default: yargs } = await import('yargs');
  const parser: Argv = yargs()
    .scriptName('casebook')
    .usage('casebook <command> [options]\n\nCanned security, compliance and cost investigations over CloudTrail and VPC Flow Logs.')
    .version(VERSION)
    .option('debug', { type: 'boolean', describe: 'Show stack traces on errors', global: true })
    .strict()
    .completion('completion', 'Print the shell completion script (bash, zsh): casebook completion >> ~/.bashrc')
    .demandCommand(1, 'name a command: casebook list, show, render, run, ... (see --help)')
    .exitProcess(false)
    .showHelpOnFail(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      // The options yargs knows at this point: the global ones and the command's own.
      const keys = Object.keys((parser as unknown as YargsInternals).getOptions?.().key ?? {}).filter((k) => !/[A-Z]/.test(k));
      throw new Complaint(msg, keys);
    });
  for (const m of modules) parser.command(m);
  return parser;
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
  const ctx = { io, argv };
  // Load only the command being run; everything for the full help or an unknown command.
  const invoked = argv.find((a) => !a.startsWith('-'));
  const wanted = COMMANDS.filter((c) => commandName(c) === invoked);
  // A plain command line is parsed without loading yargs (src/cli/fast-args.ts).
  if (wanted.length === 1) {
    try {
      const module = await commandModule(wanted[0]!, ctx);
      const args = fastArgs(module, argv);
      if (args) {
        await module.handler(args as never);
        return 0;
      }
    } catch (err) {
      return report(err, io, debug);
    }
  }
  const modules: CommandModule[] = [];
  // No command named (the command list, --version, a mistyped command): the list needs no
  // command's module. Shell completion completes options too: it loads them all.
  const completing = argv.includes('--get-yargs-completions');
  for (const entry of wanted.length > 0 ? wanted : COMMANDS)
    modules.push(
      wanted.length > 0 || completing
        ? await commandModule(entry, ctx)
        : { command: entry.command, describe: entry.describe, handler: () => undefined },
    );
  const parser = await yargsParser(modules);
  let helpText = '';
  const commandNames = COMMANDS.map(commandName);
  try {
    await parser.parseAsync(argv, {}, (_err, _parsed, output) => {
      if (output) helpText = output;
    });
    if (helpText) io.stdout(`${helpText}\n`);
    return 0;
  } catch (err) {
    if (err instanceof Complaint) return report(new UsageError(await usageMessage(err.msg, argv, commandNames, err.options)), io, debug);
    return report(err, io, debug);
  }
}

async function report(err: unknown, io: CliIO, debug: boolean): Promise<number> {
  if (debug && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  if (err instanceof CasebookError) {
    io.stderr(`casebook: ${firstLine(err.message)}\n`);
    return err.exitCode;
  }
  // The pack loader is imported only for an error that is not casebook's own (it is loaded by then if it threw).
  const { PackError } = await import('../pack/load.js');
  if (err instanceof PackError) {
    io.stderr(`casebook: query pack: ${firstLine(err.message)}\n`);
    return 1;
  }
  io.stderr(`casebook: internal error: ${firstLine(errorMessage(err))}${debug ? '' : ' (run with --debug for details)'}\n`);
  return 70;
}
