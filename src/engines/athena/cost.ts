/**
 * What Athena charges for a query (SQL queries on the per-data-scanned model).
 *
 * Source: the Amazon Athena pricing page (https://aws.amazon.com/athena/pricing/):
 * $5.00 per TB of data scanned, rounded up to the nearest megabyte, with a 10 MB
 * minimum per query; DDL statements and failed queries are not charged; cancelled
 * queries are charged for the data scanned before they stopped. Regions differ slightly
 * (and so may your contract): override with `--price-per-tb`. Recorded as unverified in
 * AWS-FACTS.md §6. Units are decimal (1 MB = 10^6 B, 1 TB = 10^12 B): of the two
 * readings of "TB" it gives the higher figure, which is the safer one for a budget.
 */
export const ATHENA_PRICE_PER_TB_USD = 5;
export const ATHENA_PRICE_SOURCE = 'https://aws.amazon.com/athena/pricing/';

const MB = 1e6;
const TB = 1e12;
/** Bytes billed at the least for a query. */
export const MIN_BILLED_BYTES = 10 * MB;

/** Bytes Athena bills for a query that scanned `scanned` bytes: rounded up to the MB, at least 10 MB. */
export function billedBytes(scanned: number): number {
  return Math.max(MIN_BILLED_BYTES, Math.ceil(Math.max(0, scanned) / MB) * MB);
}

/** Cost in USD of one query that scanned `scanned` bytes; a reused result costs nothing. */
export function queryCostUsd(scanned: number, pricePerTb = ATHENA_PRICE_PER_TB_USD, opts: { reused?: boolean } = {}): number {
  if (opts.reused) return 0;
  return (billedBytes(scanned) / TB) * pricePerTb;
}

/** Cost in USD of scanning `bytes` with no per-query minimum (for parts of an estimate). */
export function scanCostUsd(bytes: number, pricePerTb = ATHENA_PRICE_PER_TB_USD): number {
  return ((Math.ceil(Math.max(0, bytes) / MB) * MB) / TB) * pricePerTb;
}

/** `$0.0001`, `$0.05`, `$12.34`: enough digits to see a small cost. */
export function usd(n: number): string {
  if (n === 0) return '$0';
  if (n >= 1) return `$${n.toFixed(2)}`;
  const digits = n >= 0.01 ? 4 : 6;
  return `$${n.toFixed(digits).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}
