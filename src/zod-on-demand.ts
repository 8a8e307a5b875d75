import { createRequire } from 'node:module';
import type * as Zod from 'zod';

let loaded: typeof Zod | undefined;

/**
 * zod, loaded the first time a schema here is built. The query pack's metadata and the
 * table definitions ship with casebook and are checked once, then served from a cache
 * (src/pack/load.ts, src/tables/model.ts): `casebook list`, `show` and `render` run
 * without loading zod at all, which was a third of their start-up beyond node's own
 * (0.06 s of CPU). The settings model and the config file, which every run that reads
 * settings checks, import zod as usual.
 */
export function zod(): typeof Zod {
  loaded ??= createRequire(import.meta.url)('zod') as typeof Zod;
  return loaded;
}
