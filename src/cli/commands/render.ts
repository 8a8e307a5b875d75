import type { Argv } from 'yargs';
import { loadPack } from '../../pack/load.js';
import { findQuery } from '../../pack/prepare.js';
import { configuredFlowFormat } from '../../glue/config.js';
import { prepare } from '../../pipeline.js';
import { configOption, type CommandFactory } from '../context.js';
import { lookAheadQuery, queryOptions, queryParamValues } from '../query-options.js';

export const renderCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) => {
    const q = lookAheadQuery(ctx.argv, 'render');
    return configOption(y.positional('query', { type: 'string' })).options(q ? queryOptions(q) : {});
  },
  handler: (args) => {
    const argv = args as unknown as Record<string, unknown> & { query: string };
    const query = findQuery(loadPack(), argv.query);
    const prepared = prepare(query, queryParamValues(query, argv), {
      now: ctx.io.now?.(),
      flowFormat: configuredFlowFormat(ctx.io.cwd, typeof argv.config === 'string' ? argv.config : undefined),
    });
    ctx.io.stdout(prepared.sql);
  },
});
