import { UsageError } from '../../errors.js';
import { ATHENA_PRICE_PER_TB_USD } from './cost.js';
import { DEFAULT_TIMEOUT_MS } from './defaults.js';
import { parseBytes, parseDurationMs } from './units.js';

/** Athena engine settings, validated, as the engine factory takes them. */
export interface AthenaSettings {
  database?: string;
  catalog?: string;
  workgroup?: string;
  outputLocation?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  maxScanBytes?: number;
  reuseMaxAgeMinutes?: number;
  pricePerTb: number;
  timeoutMs: number;
}

/** The Glue database `casebook setup` creates; queries run there unless told otherwise. */
export const DEFAULT_DATABASE = 'casebook';

/** Options of the Athena engine (command line, CASEBOOK_* variables, `athena:` in the config file). */
export const ATHENA_OPTIONS = [
  'database', 'catalog', 'workgroup', 'output-location', 'region', 'profile', 'endpoint-url', 'max-scan', 'reuse', 'price-per-tb', 'timeout',
] as const;
export type AthenaOption = (typeof ATHENA_OPTIONS)[number];

function text(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return String(v).trim();
}

/** Options common to every AWS client casebook makes (Athena, S3). */
export function resolveAwsSettings(get: (option: AthenaOption) => unknown): Pick<AthenaSettings, 'region' | 'profile' | 'endpointUrl' | 'timeoutMs' | 'pricePerTb'> {
  const endpointUrl = text(get('endpoint-url'));
  if (endpointUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(endpointUrl)) throw new UsageError(`--endpoint-url "${endpointUrl}" is not an http(s) URL`);
  const region = text(get('region'));
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new UsageError(`--region "${region}" is not an AWS region (e.g. us-east-1)`);
  const timeout = get('timeout');
  const timeoutMs = timeout === undefined || timeout === '' ? DEFAULT_TIMEOUT_MS : parseDurationMs(timeout as string | number, '--timeout', 's');
  const price = get('price-per-tb');
  const pricePerTb = price === undefined || price === '' ? ATHENA_PRICE_PER_TB_USD : Number(price);
  if (!Number.isFinite(pricePerTb) || pricePerTb < 0) throw new UsageError(`--price-per-tb "${String(price)}" is not a price in USD (e.g. 5)`);
  return { region, profile: text(get('profile')), endpointUrl, timeoutMs, pricePerTb };
}

/** Validate the Athena options; `get` reads one option from wherever it was given. */
export function resolveAthenaSettings(get: (option: AthenaOption) => unknown): AthenaSettings {
  const out: AthenaSettings = { ...resolveAwsSettings(get), database: text(get('database')) ?? DEFAULT_DATABASE, catalog: text(get('catalog')), workgroup: text(get('workgroup')) };
  const loc = text(get('output-location'));
  if (loc !== undefined) {
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(loc)) throw new UsageError(`--output-location "${loc}" is not an S3 location (s3://BUCKET/PREFIX/)`);
    out.outputLocation = loc.endsWith('/') ? loc : `${loc}/`;
  }
  if (out.workgroup !== undefined && !/^[a-zA-Z0-9._-]{1,128}$/.test(out.workgroup)) throw new UsageError(`--workgroup "${out.workgroup}" is not a workgroup name (letters, digits, . _ -)`);
  const maxScan = get('max-scan');
  if (maxScan !== undefined && maxScan !== '') out.maxScanBytes = parseBytes(maxScan as string | number, '--max-scan');
  const reuse = get('reuse');
  if (reuse !== undefined && reuse !== '' && reuse !== false) {
    const minutes = Math.ceil(parseDurationMs(reuse as string | number, '--reuse', 'm') / 60_000);
    if (minutes > 10_080) throw new UsageError(`--reuse ${String(reuse)} is longer than Athena allows (7d = 10080 minutes)`);
    out.reuseMaxAgeMinutes = minutes;
  }
  return out;
}
