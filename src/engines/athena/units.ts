import { UsageError } from '../../errors.js';

/**
 * Byte sizes as the user writes them (`20GB`, `1.5TiB`; durations: src/params/duration.ts).
 * Sizes are decimal (1 GB = 10^9 bytes) unless the binary unit is spelled (GiB), the
 * way `humanBytes` prints them.
 */
const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|pb|kib|mib|gib|tib|pib)?$/i;
const SIZE_FACTOR: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  pib: 2 ** 50,
};

export function parseBytes(text: string | number, what: string): number {
  if (typeof text === 'number' && Number.isFinite(text) && text > 0) return Math.floor(text);
  const m = SIZE.exec(String(text).trim());
  const n = m ? Number(m[1]) * SIZE_FACTOR[(m[2] ?? 'b').toLowerCase()]! : NaN;
  if (!m || !Number.isFinite(n) || n <= 0) throw new UsageError(`${what} "${text}" is not a size: use e.g. 500MB, 20GB, 1TB (or GiB/TiB)`);
  return Math.floor(n);
}

/** Elapsed time for progress lines: `4.2 s`, `3 min 05 s`. */
export function elapsedText(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
