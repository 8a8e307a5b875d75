import type { Options } from 'yargs';
import { loadPack, type Query } from '../pack/load.js';
import type { ParamSpec } from '../params/types.js';

export function optionName(param: string): string {
  return param.replace(/_/g, '-');
}

function describe(spec: ParamSpec): string {
  const type = spec.type === 'list' ? `list of ${spec.of}` : spec.type === 'enum' ? `one of ${spec.values!.join('|')}` : spec.type;
  // yargs itself shows [string]; the bracket adds the parameter's own type when it says more.
  const extra = type === 'string' ? [] : [type];
  if (spec.default !== undefined) extra.push(`default ${Array.isArray(spec.default) ? spec.default.join(',') : spec.default}`);
  return extra.length ? `${spec.help} [${extra.join('; ')}]` : spec.help;
}

/** The query named after `command` in raw argv, if it is a known one (to offer its parameters as options). */
export function lookAheadQuery(argv: string[], command: string): Query | undefined {
  const i = argv.indexOf(command);
  const id = i >= 0 ? argv.slice(i + 1).find((a) => !a.startsWith('-')) : undefined;
  return id ? loadPack().byId.get(id) : undefined;
}

/**
 * One option name per concept across the pack: an address to follow is `--ip` wherever a
 * query asks for one (source-ip-activity declares it `source_ip`, which keeps working).
 */
export const PARAM_ALIASES: Record<string, string[]> = { source_ip: ['ip'] };

/** yargs options for a query's parameters (values are validated by the pack, not by yargs). */
export function queryOptions(query: Query): Record<string, Options> {
  const out: Record<string, Options> = {};
  for (const [name, spec] of Object.entries(query.allParams)) {
    out[optionName(name)] = {
      describe: describe(spec),
      type: spec.type === 'boolean' ? 'boolean' : 'string',
      array: spec.type === 'list' ? true : undefined,
      demandOption: false,
      group: 'Query parameters:',
    };
    const aliases = (PARAM_ALIASES[name] ?? []).filter((a) => !(a in query.allParams)).map(optionName);
    if (aliases.length) out[optionName(name)]!.alias = aliases;
  }
  return out;
}

/** Values of the query's parameters from parsed argv (absent ones left out). */
export function queryParamValues(query: Query, argv: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(query.allParams)) {
    const v = argv[optionName(name)];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** A command line that runs the query with its example values. */
export function exampleCommand(query: Query): string {
  const parts = ['casebook', 'run', query.id];
  for (const [name, spec] of Object.entries(query.params)) {
    const ex = spec.example;
    if (ex === undefined) continue;
    const text = Array.isArray(ex) ? ex.join(',') : String(ex);
    parts.push(`--${optionName(name)}`, /^[\w.:/@,=+-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`);
  }
  parts.push('--since', '7d');
  return parts.join(' ');
}
