import { z } from 'zod';
import { defaultLakeDir } from '../../paths.js';
import { defineSection, type SettingsOf } from '../../settings/model.js';
import { flag, integer, text } from '../../settings/values.js';

/**
 * The local engine's settings: the one declaration of its options (command line,
 * CASEBOOK_* variables, `duckdb:` in the config file, the engine factory's input, the
 * report manifest: src/settings/model.ts).
 */
export const DUCKDB = defineSection({
  name: 'duckdb',
  title: 'Engine:',
  options: {
    lake: {
      flag: 'lake',
      type: 'string',
      manifest: true,
      describe: 'duckdb: directory laid out like the log bucket (holding AWSLogs/); default: the sample lake',
      schema: text().transform((v) => v ?? defaultLakeDir()),
    },
    threads: {
      flag: 'threads',
      type: 'number',
      describe: 'duckdb: worker threads (default: all cores)',
      schema: integer(1, 'is not a number of threads (1 or more)').optional(),
    },
    store: {
      flag: 'store',
      type: 'string',
      describe:
        'duckdb: the Parquet store of the lake (casebook import), used when it covers the window (default <lake>.store); --no-store reads the raw lake',
      schema: z.union([z.literal(false), text()]).optional(),
    },
    skipBadFiles: {
      flag: 'skip-bad-files',
      type: 'boolean',
      manifest: true,
      describe:
        'duckdb: skip a corrupt or unsafe log file (naming each on stderr and in report manifests) instead of failing (default: fail)',
      schema: flag(),
    },
    spoolFlowLogs: {
      flag: 'spool-flow-logs',
      type: 'boolean',
      describe:
        'duckdb: read many small flow-log files as a few large ones, inflated into a temporary folder for the query (default: when the window holds 64 or more; --no-spool-flow-logs reads them one by one)',
      schema: flag(),
    },
  },
});

export type DuckdbSettings = SettingsOf<typeof DUCKDB>;
