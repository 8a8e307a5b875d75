import type { ParamSpec } from '../params/types.js';

/** Every query takes a time window; these are added to each query's own parameters. */
export const WINDOW_PARAMS: Record<'since' | 'until', ParamSpec> = {
  since: {
    type: 'timestamp',
    default: '7d',
    help: 'Start of the time window (inclusive): ISO-8601 or a duration back from now (90m, 24h, 7d)',
  },
  until: {
    type: 'timestamp',
    default: 'now',
    help: 'End of the time window (exclusive): ISO-8601, "now", or a duration back from now',
  },
};
