import type { CommandFactory } from '../context.js';

/**
 * Every CLI command, in help order: its name and how to load it. A command's module (and
 * what it imports: DuckDB, the AWS SDK, ...) is loaded only when that command runs, or
 * when the full help is shown. A new command is one file here and one line below.
 */
export const COMMANDS: { name: string; load: () => Promise<CommandFactory> }[] = [
  { name: 'list', load: async () => (await import('./list.js')).listCommand },
  { name: 'show', load: async () => (await import('./show.js')).showCommand },
  { name: 'render', load: async () => (await import('./render.js')).renderCommand },
  { name: 'run', load: async () => (await import('./run.js')).runCommand },
  { name: 'estimate', load: async () => (await import('./estimate.js')).estimateCommand },
  { name: 'sample', load: async () => (await import('./sample.js')).sampleCommand },
  { name: 'ddl', load: async () => (await import('./ddl.js')).ddlCommand },
  { name: 'setup', load: async () => (await import('./setup.js')).setupCommand },
  { name: 'schema', load: async () => (await import('./schema.js')).schemaCommand },
  { name: 'import', load: async () => (await import('./import.js')).importCommand },
  { name: 'compact', load: async () => (await import('./compact.js')).compactCommand },
  { name: 'report', load: async () => (await import('./report.js')).reportCommand },
  { name: 'verify', load: async () => (await import('./verify.js')).verifyCommand },
  { name: 'discover', load: async () => (await import('./discover.js')).discoverCommand },
  { name: 'pull', load: async () => (await import('./pull.js')).pullCommand },
  { name: 'validate-logs', load: async () => (await import('./validate-logs.js')).validateLogsCommand },
];
