import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';

/**
 * @duckdb/node-api, loaded through `require`. It is a CommonJS package of some sixty
 * files; imported from an ES module, node first scans each of them for its export names
 * (cjs-module-lexer), which cost 0.14 s of CPU on every `casebook run` (0.37 s against
 * 0.23 s to load it, measured with `node -e` on this project's machines). Loaded by
 * `require`, it is the same module, without the scan. Every module of casebook that
 * needs DuckDB's values (not only its types) takes them from here.
 */
export const duckdb: typeof DuckDB = createRequire(import.meta.url)('@duckdb/node-api');
