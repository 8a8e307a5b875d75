import { z } from 'zod';
import { defineSection, type SettingsOf } from '../../settings/model.js';
import { bytes, duration, number, pattern, text } from '../../settings/values.js';
import { ATHENA_PRICE_PER_TB_USD } from './cost.js';

/** The Glue database `casebook setup` creates; queries run there unless told otherwise. */
export const DEFAULT_DATABASE = 'casebook';

/** Athena's longest result reuse: 7 days. */
const MAX_REUSE_MINUTES = 10_080;

/**
 * The Athena engine's settings: the one declaration of its options (command line,
 * CASEBOOK_* variables, `athena:` in the config file, the engine factory's input, the
 * report manifest: src/settings/model.ts). AWS access is in src/aws/settings.ts.
 */
export const ATHENA = defineSection({
  name: 'athena',
  title: 'Athena:',
  options: {
    database: {
      flag: 'database',
      type: 'string',
      manifest: true,
      describe: 'Glue database holding the cloudtrail and vpc_flow_logs tables (default: casebook, as `casebook setup` creates it)',
      schema: text().transform((v) => v ?? DEFAULT_DATABASE),
    },
    catalog: {
      flag: 'catalog',
      type: 'string',
      manifest: true,
      describe: 'Data catalog (Athena default: AwsDataCatalog)',
      schema: text(),
    },
    workgroup: {
      flag: 'workgroup',
      type: 'string',
      manifest: true,
      describe: 'Athena workgroup (Athena default: primary)',
      schema: pattern(/^[a-zA-Z0-9._-]{1,128}$/, 'is not a workgroup name (letters, digits, . _ -)'),
    },
    outputLocation: {
      flag: 'output-location',
      type: 'string',
      manifest: true,
      describe: "S3 location for query results, s3://BUCKET/PREFIX/ (default: the workgroup's)",
      schema: pattern(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'is not an S3 location (s3://BUCKET/PREFIX/)').transform((v) =>
        v === undefined || v.endsWith('/') ? v : `${v}/`,
      ),
    },
    maxScanBytes: {
      flag: 'max-scan',
      type: 'string',
      describe: 'Stop a query that scans more than this, e.g. 20GB',
      schema: bytes().optional(),
    },
    reuseMaxAgeMinutes: {
      flag: 'reuse',
      type: 'string',
      describe: 'Reuse a result of the same query up to this old, e.g. 60m (Athena result reuse)',
      schema: duration('m')
        .transform((ms) => Math.ceil(ms / 60_000))
        .refine((m) => m <= MAX_REUSE_MINUTES, {
          message: `{flag} {value} is longer than Athena allows (7d = ${MAX_REUSE_MINUTES} minutes)`,
        })
        .or(z.literal(false).transform(() => undefined))
        .optional(),
    },
    pricePerTb: {
      flag: 'price-per-tb',
      type: 'number',
      describe: `USD per TB scanned for the cost shown (default ${ATHENA_PRICE_PER_TB_USD})`,
      schema: number(0, 'is not a price in USD (e.g. 5)').default(ATHENA_PRICE_PER_TB_USD),
    },
  },
});

export type AthenaSettings = SettingsOf<typeof ATHENA>;
