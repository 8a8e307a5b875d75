import type { Argv, CommandModule } from 'yargs';
import type { CliIO } from './io.js';
import { loadConfig, type CasebookConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { allEngineSections, engineNames, engineSections, isEngineName, type EngineSettings } from '../engines/create.js';
import { configOption } from './config-option.js';
import { addOptions, envName, resolveSection, type Section, type Sources } from '../settings/model.js';

export { configOption };

export interface CommandContext {
  io: CliIO;
  /** Raw arguments (a command may look ahead, e.g. for the query id). */
  argv: string[];
}

/** A command's options (`builder`) and what it does (`handler`); its usage and description are in commands/index.ts. */
// biome-ignore lint/suspicious/noExplicitAny: each command types its own arguments; the command list holds them all
export type CommandFactory = (ctx: CommandContext) => Pick<CommandModule<any, any>, 'builder' | 'handler'>;

/** Options every command that runs queries shares: the engine, and every engine's settings (src/settings/model.ts). */
export function engineOptions<T>(y: Argv<T>, _ctx?: CommandContext): Argv<T> {
  let out = y.option('engine', {
    type: 'string',
    describe: `Where queries run: ${engineNames().join(' (local lake) or ')} [${envName('engine')}; config \`engine:\`] (default duckdb)`,
    group: 'Engine:',
  }) as Argv<T>;
  for (const section of allEngineSections()) out = addOptions(out, section);
  return configOption(out, 'Engine:');
}

/** The config file for this command line (`--config`, or casebook.config.yaml in the cwd). */
export function commandConfig(argv: Record<string, unknown>, ctx: CommandContext): CasebookConfig {
  return loadConfig(ctx.io.cwd, typeof argv.config === 'string' ? argv.config : undefined);
}

/** Where this command's settings come from: the parsed command line, CASEBOOK_* variables, the config file. */
export function settingSources(argv: Record<string, unknown>, ctx: CommandContext): Sources {
  return { argv, env: ctx.io.env, config: commandConfig(argv, ctx) };
}

/** One section's typed settings (or some of its options) for this command line. */
export function commandSettings<S extends Section, K extends keyof S['options'] & string>(
  section: S,
  argv: Record<string, unknown>,
  ctx: CommandContext,
  only?: readonly K[],
) {
  return resolveSection(section, settingSources(argv, ctx), only);
}

/**
 * The engine and its typed settings from the parsed command line, then CASEBOOK_*
 * environment variables, then the config file: what `createEngine` takes. Only the
 * chosen engine's settings are read (and checked).
 */
export function resolveEngineSettings(argv: Record<string, unknown>, ctx: CommandContext): EngineSettings {
  const src = settingSources(argv, ctx);
  const config = src.config as CasebookConfig;
  const engine = String(argv.engine ?? (ctx.io.env.CASEBOOK_ENGINE || undefined) ?? config.engine ?? 'duckdb');
  if (!isEngineName(engine)) throw new UsageError(`unknown engine "${engine}" (choose ${engineNames().join(' or ')})`);
  const settings: Record<string, unknown> = { engine };
  for (const [key, section] of Object.entries(engineSections(engine))) settings[key] = resolveSection(section, src);
  return settings as EngineSettings;
}
