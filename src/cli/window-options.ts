import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { parseTime, type TimeWindow } from '../params/time.js';
import type { CommandContext } from './context.js';

/** --since/--until of pull and validate-logs: the delivery window, as queries take it. */
export function windowOptions<T>(y: Argv<T>, defaultSince = '7d') {
  return y
    .option('since', {
      type: 'string',
      default: defaultSince,
      describe: 'Start of the window: ISO-8601, or a duration back from now (7d, 24h)',
    })
    .option('until', { type: 'string', default: 'now', describe: 'End of the window (exclusive)' });
}

export function windowFrom(argv: { since?: string; until?: string }, ctx: CommandContext): TimeWindow {
  const now = ctx.io.now?.() ?? new Date();
  const since = parseTime(String(argv.since ?? '7d'), now, '--since');
  const until = parseTime(String(argv.until ?? 'now'), now, '--until');
  if (until.getTime() <= since.getTime())
    throw new UsageError(`--until (${until.toISOString()}) must come after --since (${since.toISOString()})`);
  return { since, until };
}

/** A comma-separated (or repeated) option as a list. */
export function listOption(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const items = (Array.isArray(v) ? v : [v])
    .flatMap((x) => String(x).split(','))
    .map((x) => x.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}
