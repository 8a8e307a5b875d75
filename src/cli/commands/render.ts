import type { Argv } from 'yargs';
import { loadPack } from '../../pack/load.js';
import { findQuery } from '../../pack/prepare.js';
import { configPath } from '../../config-path.js';
import { prepare } from '../../pipeline.js';
import type { CommandFactory } from '../context.js';
import { configOption } from '../config-option.js';
import { lookAheadQuery, queryOptions, queryParamValues } from '../query-options.js';

export const renderCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) => {
    const q = lookAheadQuery(ctx.argv, 'render');
    return configOption(y.positional('query', { type: 'string' })).options(q ? queryOptions(q) : {});
  },
  handler: async (args) => {
    const argv = args as unknown as Record<string, unknown> & { query: string };
    const query = findQuery(loadPack(), argv.query);
    const config = typeof argv.config === 'string' ? argv.config : undefined;
    // The config file's reader (YAML, the settings schemas) is loaded only when there is a file to read.
    const flowFormat = configPath(ctx.io.cwd, config)
      ? (await import('../../glue/config.js')).configuredFlowFormat(ctx.io.cwd, config)
      : undefined;
    const prepared = prepare(query, queryParamValues(query, argv), { now: ctx.io.now?.(), flowFormat });
    ctx.io.stdout(prepared.sql);
  },
});
