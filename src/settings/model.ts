import type { Argv } from 'yargs';
import { z } from 'zod';
import { UsageError } from '../errors.js';

/**
 * casebook's settings model. Each engine, the lake and AWS access declare their
 * settings once, as a `Section` of typed options (a zod schema each). Everything else
 * is derived from that declaration:
 * - the command-line options (`addOptions`: yargs, with help text and group),
 * - the `CASEBOOK_<OPTION>` environment variables (`envName`),
 * - the config-file section and its validation (`fileSection`, src/config.ts),
 * - the typed settings the engine factories take (`SettingsOf`, `resolveSection`),
 * - what a report manifest records (`manifestFields`).
 * A value on the command line wins over the environment, which wins over the file.
 * docs/decisions/0010-settings-model.md explains the choices.
 */

export type CliType = 'string' | 'number' | 'boolean';

export interface OptionSpec<S extends z.ZodType = z.ZodType> {
  /** Command-line name (kebab-case); also the config-file key and, upper-cased, the CASEBOOK_* variable. */
  flag: string;
  type: CliType;
  describe: string;
  /**
   * Turns the value given (text from the command line or the environment, a YAML value
   * from the file, undefined when none) into the typed setting. An issue's message is
   * the end of the error line (`is not an AWS region (e.g. us-east-1)`); `{flag}` and
   * `{value}` in it are replaced, else the line starts `--flag "value"`.
   */
  schema: S;
  /** Older command-line spellings, still accepted. */
  deprecated?: readonly string[];
  /** Given as a list (comma-separated text, or a YAML list). */
  list?: boolean;
  /** Recorded in a report's manifest (never credentials or profiles). */
  manifest?: boolean;
}

export interface Section<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** The config-file section. */
  name: string;
  /** The help group. */
  title: string;
  /** By typed field name. */
  options: O;
  /** Config-file sections also read, after this one (older placements of its keys). */
  fileFallback?: readonly string[];
}

export function defineSection<const O extends Record<string, OptionSpec>>(s: Section<O>): Section<O> {
  return s;
}

/** The typed settings of a section: one field per option, optional unless it has a default. */
export type SettingsOf<S extends Section> = z.output<z.ZodObject<{ [K in keyof S['options']]: S['options'][K]['schema'] }>>;

/** `CASEBOOK_OUTPUT_LOCATION` for option `output-location`. */
export function envName(flag: string): string {
  return `CASEBOOK_${flag.toUpperCase().replace(/-/g, '_')}`;
}

/** Where settings come from. `config` is the parsed config file (src/config.ts). */
export interface Sources {
  argv: Record<string, unknown>;
  env: Record<string, string | undefined>;
  config: Record<string, unknown>;
}

function given(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/** The value given for an option: the command line, else CASEBOOK_<OPTION>, else the file's section (then its older placements). */
export function rawValue(section: Section, spec: OptionSpec, src: Sources): unknown {
  let cli = src.argv[spec.flag];
  // An option given twice: the last one wins, as with most command-line tools.
  if (Array.isArray(cli) && !spec.list) cli = cli[cli.length - 1];
  if (given(cli)) return cli;
  const env = src.env[envName(spec.flag)];
  if (given(env)) return env;
  for (const name of [section.name, ...(section.fileFallback ?? [])]) {
    const part = src.config[name];
    if (part && typeof part === 'object') {
      const v = (part as Record<string, unknown>)[spec.flag];
      if (given(v)) return v;
    }
  }
  return undefined;
}

function shown(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** The one-line message for a value its schema refuses. */
export function problem(spec: OptionSpec, value: unknown, error: z.ZodError): string {
  const message = error.issues[0]?.message ?? 'is not valid';
  const flag = `--${spec.flag}`;
  if (message.includes('{flag}')) return message.replace('{flag}', flag).replace('{value}', shown(value));
  return `${flag} "${shown(value)}" ${message}`;
}

/** Parse one option's value; a refused value is a usage error naming the option. */
export function parseOption<S extends z.ZodType>(spec: OptionSpec<S>, value: unknown): z.output<S> {
  const parsed = spec.schema.safeParse(value);
  if (!parsed.success) throw new UsageError(problem(spec, value, parsed.error));
  return parsed.data;
}

/** The typed settings of a section (or of some of its options), from the command line, environment and file. */
export function resolveSection<S extends Section, K extends keyof S['options'] & string = keyof S['options'] & string>(
  section: S,
  src: Sources,
  only?: readonly K[],
): Pick<SettingsOf<S>, K & keyof SettingsOf<S>> {
  const out: Record<string, unknown> = {};
  for (const field of (only ?? Object.keys(section.options)) as string[]) {
    const spec = section.options[field]!;
    const value = parseOption(spec, rawValue(section, spec, src));
    if (value !== undefined) out[field] = value;
  }
  return out as Pick<SettingsOf<S>, K & keyof SettingsOf<S>>;
}

/** Add a section's options (or some of them) to a command. */
export function addOptions<T>(y: Argv<T>, section: Section, only?: readonly string[], group = section.title): Argv<T> {
  let out = y;
  for (const field of only ?? Object.keys(section.options)) {
    const spec = section.options[field]!;
    out = out.option(spec.flag, {
      type: spec.type,
      describe: `${spec.describe} [${envName(spec.flag)}; config ${section.name}.${spec.flag}]`,
      group,
      ...(spec.deprecated?.length ? { alias: [...spec.deprecated] } : {}),
    }) as Argv<T>;
  }
  return out;
}

/**
 * The config-file schema of a section: each option's key, its value checked by the
 * option's schema (the file keeps the value as written; lists become lists).
 */
export function fileSection(section: Section, also: readonly Section[] = []) {
  const shape: Record<string, z.ZodType> = {};
  for (const s of [section, ...also]) {
    for (const spec of Object.values(s.options)) {
      if (spec.list) {
        shape[spec.flag] = spec.schema;
        continue;
      }
      shape[spec.flag] = z
        .unknown()
        .superRefine((v, ctx) => {
          if (v === undefined || v === null) return;
          const parsed = spec.schema.safeParse(v);
          if (!parsed.success) ctx.addIssue({ code: 'custom', message: problem(spec, v, parsed.error).replace(/^--\S+ ("[^"]*" )?/, '') });
        })
        .optional();
    }
  }
  return z.object(shape);
}

/** The settings a report manifest records: the options marked `manifest`, by field name, when given. */
export function manifestFields(section: Section, settings: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, spec] of Object.entries(section.options)) {
    const v = settings[field];
    if (spec.manifest && typeof v === 'string' && v !== '') out[field] = v;
  }
  return out;
}
