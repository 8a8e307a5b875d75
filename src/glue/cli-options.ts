import type { Argv } from 'yargs';
import { configOption } from '../cli/context.js';
import { LAKE } from '../settings/lake.js';
import { addOptions, resolveSection, type Sources } from '../settings/model.js';
import type { LayoutCliOptions } from './config.js';

/** The lake options `casebook ddl` and `casebook setup` share (declared in src/settings/lake.ts). */
const LAYOUT_FIELDS = [
  'location',
  'bucket',
  'prefix',
  'accounts',
  'regions',
  'startDate',
  'orgId',
  'format',
  'headerFrom',
  'parquet',
  'hivePrefixes',
  'hourly',
  'partitionsUntil',
] as const;

export function layoutOptions<T>(y: Argv<T>, fields: readonly (keyof typeof LAKE.options)[] = LAYOUT_FIELDS): Argv<T> {
  return addOptions(configOption(y, LAKE.title), LAKE, fields);
}

/**
 * The lake options given on the command line, else as CASEBOOK_* variables, checked
 * and typed; src/glue/config.ts then fills the rest from the config file.
 */
export function givenLayoutOptions(src: Omit<Sources, 'config'>): LayoutCliOptions {
  const given = resolveSection(LAKE, { ...src, config: {} });
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
}
