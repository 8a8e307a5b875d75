import { resolve } from 'node:path';
import type { CommandFactory } from '../context.js';
import { humanBytes } from '../../format/format.js';
import { UsageError } from '../../errors.js';

export const sampleCommand: CommandFactory = (ctx) => ({
  builder: (y) =>
    y
      .option('out', { type: 'string', demandOption: true, describe: 'Directory to write (created)' })
      .option('days', { type: 'number', default: 14, describe: 'Whole UTC days, ending at --end-date' })
      .option('scale', {
        type: 'number',
        default: 1,
        describe: 'Volume multiplier (1 = about 3,000 CloudTrail events and 6,000 flow records a day)',
      })
      .option('seed', { type: 'number', default: 1, describe: 'Random seed: same seed, same bytes' })
      .option('end-date', { type: 'string', describe: 'Last day, YYYY-MM-DD (default: today, UTC)' })
      .option('workers', { type: 'number', describe: 'Worker threads (default: all cores)' }),
  handler: async (args) => {
    const argv = args as unknown as { out: string; days: number; scale: number; seed: number; endDate?: string; workers?: number };
    for (const [name, v, min] of [
      ['days', argv.days, 1],
      ['scale', argv.scale, 0.001],
      ['seed', argv.seed, 0],
    ] as const) {
      if (!Number.isFinite(v) || v < min) throw new UsageError(`--${name} ${v} is not valid (at least ${min})`);
    }
    if (argv.endDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(argv.endDate))
      throw new UsageError(`--end-date "${argv.endDate}" is not YYYY-MM-DD`);
    const { generateSampleLake } = await import('../../sample/generate.js');
    const out = resolve(ctx.io.cwd, argv.out);
    const started = performance.now();
    const s = await generateSampleLake({
      out,
      days: argv.days,
      scale: argv.scale,
      seed: argv.seed,
      endDate: argv.endDate,
      workers: argv.workers,
      onProgress: (m) => ctx.io.stderr(`${m}\n`),
    });
    const secs = (performance.now() - started) / 1000;
    ctx.io.stdout(
      `Sample lake ${s.out}: ${s.startDate} to ${s.endDate}, ${s.cloudtrailEvents} CloudTrail events in ${s.cloudtrailFiles} files, ` +
        `${s.flowRecords} flow records in ${s.flowFiles} files, ${humanBytes(s.bytesWritten)} in ${secs.toFixed(1)} s\n` +
        `Planted incidents:\n${s.incidents.map((i) => `  ${i.day}  ${i.query.padEnd(22)} ${i.description}`).join('\n')}\n`,
    );
  },
});
