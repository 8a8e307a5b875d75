import type { Argv } from 'yargs';
import { configOption } from '../cli/config-option.js';
import { LAKE } from '../settings/lake.js';
import { addOptions, resolveSection, type Sources } from '../settings/model.js';
import type { LayoutCliOptions } from './config.js';

/** Every lake option (src/settings/lake.ts), in declaration order: `casebook setup` takes them all. */
export const ALL_LAYOUT_FIELDS = Object.keys(LAKE.options) as (keyof typeof LAKE.options)[];

/** `casebook ddl`'s: one table at a time, so no per-table locations. */
const LAYOUT_FIELDS = ALL_LAYOUT_FIELDS.filter((f) => f !== 'cloudtrailLocation' && f !== 'flowlogsLocation');

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
