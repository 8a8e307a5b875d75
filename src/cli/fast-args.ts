import type { CommandModule, Options, PositionalOptions } from 'yargs';

/**
 * The command line's fast path: the same command declarations yargs reads (a command's
 * `builder` calling `.option`, `.options`, `.positional`), parsed without loading yargs.
 *
 * yargs costs more than node itself to load and set up (about 0.12 s of CPU on this
 * project's machines, against 0.08 s for `node -e 0`), which made `casebook list` and
 * `render` three to four times a bare node start. Most command lines are plain: known
 * long options with a value each, the command's positionals, nothing yargs would have to
 * interpret. Those are parsed here; every other line (help, version, completion, short
 * flags, an unknown or repeated option, a value yargs would read differently, anything
 * wrong) is declined and goes to yargs, which gives its full behaviour and casebook's
 * one-line errors as before. test/fast-args.test.ts checks that what this returns equals
 * what yargs hands the command's handler, line by line.
 */

/** The builder used something this reader does not model: leave the line to yargs. */
class Declined extends Error {}

interface Declared {
  options: Map<string, Options>;
  positionals: Map<string, PositionalOptions>;
}

/** An Argv stand-in that records the declarations a command's builder makes. */
function recorder(): { argv: unknown; declared: Declared } {
  const declared: Declared = { options: new Map(), positionals: new Map() };
  let argv: unknown;
  const methods: Record<string, (...a: never[]) => unknown> = {
    option: (name: string, spec: Options = {}) => {
      declared.options.set(name, spec);
      return argv;
    },
    options: (specs: Record<string, Options>) => {
      for (const [name, spec] of Object.entries(specs)) declared.options.set(name, spec);
      return argv;
    },
    positional: (name: string, spec: PositionalOptions = {}) => {
      declared.positionals.set(name, spec);
      return argv;
    },
    // Help-only declarations.
    example: () => argv,
    strict: () => argv,
  };
  argv = new Proxy(methods, {
    get(target, key) {
      if (typeof key === 'string' && key in target) return target[key];
      throw new Declined(`builder uses ${String(key)}`);
    },
  });
  return { argv, declared };
}

const camel = (s: string) => s.replace(/-+([^-])/g, (_m, c: string) => c.toUpperCase());

/** Options every command takes (exec.ts declares them on the parser). */
const GLOBAL: Record<string, Options> = { debug: { type: 'boolean' } };

/** The option and positional settings this reader models; any other leaves the line to yargs. */
const OPTION_KEYS = new Set(['type', 'array', 'default', 'describe', 'choices', 'alias', 'group', 'demandOption', 'global']);
const POSITIONAL_KEYS = new Set(['type', 'describe']);

/** Words that make yargs do something other than run the command. */
const YARGS_OWN = new Set(['--help', '--version', 'completion', '--get-yargs-completions']);

/**
 * The arguments yargs would hand `module`'s handler for `argv`, or undefined when the
 * line is not one this reader parses exactly (then yargs parses it).
 */
export function fastArgs(module: CommandModule, argv: readonly string[]): Record<string, unknown> | undefined {
  try {
    return parse(module, argv);
  } catch (err) {
    if (err instanceof Declined) {
      if (process.env.CASEBOOK_DEBUG_ARGS) process.stderr.write(`fast path declined: ${err.message}\n`);
      return undefined;
    }
    throw err;
  }
}

function parse(module: CommandModule, argv: readonly string[]): Record<string, unknown> {
  if (argv.some((a) => YARGS_OWN.has(a) || a === '--' || a.startsWith('--help=') || a.startsWith('--version=')))
    throw new Declined('yargs');
  if (typeof module.builder !== 'function' || typeof module.command !== 'string') throw new Declined('builder');
  const [name, ...slots] = module.command.split(/\s+/);
  const wanted = slots.map((s) => {
    const m = /^([<[])([\w-]+)[>\]]$/.exec(s);
    if (!m) throw new Declined(`positional ${s}`);
    return { name: m[2]!, required: m[1] === '<' };
  });
  const rec = recorder();
  module.builder(rec.argv as never);
  const options = new Map<string, Options>([...Object.entries(GLOBAL), ...rec.declared.options]);
  // Every spelling an option answers to: its name and its aliases, as written.
  const byFlag = new Map<string, string>();
  for (const [key, spec] of options) {
    for (const flag of [key, ...[spec.alias ?? []].flat()]) {
      if (byFlag.has(flag)) throw new Declined(`duplicate ${flag}`);
      byFlag.set(flag, key);
    }
    for (const k of Object.keys(spec)) if (!OPTION_KEYS.has(k)) throw new Declined(`option ${key}: ${k}`);
    if (spec.type !== undefined && !['string', 'boolean', 'number'].includes(spec.type)) throw new Declined(`type ${spec.type}`);
    // Untyped: yargs reads numbers as numbers; a choice of words is read alike either way.
    if (spec.type === undefined && !(spec.choices as unknown[] | undefined)?.every((c) => typeof c === 'string' && Number.isNaN(Number(c))))
      throw new Declined(`untyped ${key}`);
    if (spec.array && spec.type !== 'string' && spec.type !== undefined) throw new Declined(`array ${key}`);
  }
  for (const [pos, spec] of rec.declared.positionals) {
    if (spec.type !== 'string' || Object.keys(spec).some((k) => !POSITIONAL_KEYS.has(k))) throw new Declined(`positional ${pos}`);
  }

  const values = new Map<string, unknown>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--') || arg.length === 2) throw new Declined(`short ${arg}`);
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let key = byFlag.get(flag);
    let negated = false;
    if (key === undefined && flag.startsWith('no-') && eq < 0) {
      key = byFlag.get(flag.slice(3));
      negated = true;
      // yargs reads `--no-x` as x = false for a switch, and for a text option too (`--no-store`).
      const spec = key === undefined ? undefined : options.get(key)!;
      if (!spec || !(spec.type === 'boolean' || (spec.type === 'string' && !spec.array && !spec.choices)))
        throw new Declined(`unknown ${flag}`);
    }
    if (key === undefined) throw new Declined(`unknown ${flag}`);
    const spec = options.get(key)!;
    if (values.has(key) && !spec.array) throw new Declined(`repeated ${flag}`);
    if (negated || spec.type === 'boolean') {
      // `--wide false` and `--wide=yes` read differently in yargs: leave them to it.
      const next = argv[i + 1];
      if (eq >= 0 || next === 'true' || next === 'false') throw new Declined(`switch value ${flag}`);
      values.set(key, !negated);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) throw new Declined(`no value ${flag}`);
      value = next;
      i++;
    }
    if (value === '') throw new Declined(`empty ${flag}`);
    if (spec.choices && !(spec.choices as unknown[]).includes(value)) throw new Declined(`choice ${flag}`);
    if (spec.array) {
      // yargs gives an array option every word that follows it.
      if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) throw new Declined(`array ${flag}`);
      values.set(key, [...((values.get(key) as string[] | undefined) ?? []), value]);
      continue;
    }
    if (spec.type === 'number') {
      // Plain decimal numbers only; yargs reads hex, exponents and the like its own way.
      if (!/^-?\d+(\.\d+)?$/.test(value)) throw new Declined(`number ${flag}`);
      values.set(key, Number(value));
      continue;
    }
    values.set(key, value);
  }

  if (positionals[0] !== name) throw new Declined('command');
  const given = positionals.slice(1);
  if (given.length > wanted.length) throw new Declined('extra positionals');
  for (const [i, slot] of wanted.entries()) if (slot.required && given[i] === undefined) throw new Declined(`missing ${slot.name}`);
  for (const [key, spec] of options) {
    if (!values.has(key) && spec.default !== undefined) values.set(key, spec.default);
    if (spec.demandOption && !values.has(key)) throw new Declined(`required ${key}`);
  }

  const out: Record<string, unknown> = { _: [name] };
  const put = (k: string, v: unknown) => {
    out[k] = v;
    out[camel(k)] = v;
  };
  for (const [key, value] of values) for (const flag of [key, ...[options.get(key)!.alias ?? []].flat()]) put(flag, value);
  for (const [i, slot] of wanted.entries()) if (given[i] !== undefined) put(slot.name, given[i]);
  out.$0 = 'casebook';
  return out;
}
