/**
 * casebook's one duration syntax, for every option and parameter that takes a length
 * of time (`--since 7d`, `--timeout 30s`, `--reuse 1.5h`, a query's `duration`
 * parameter): a number, decimals allowed, then a unit: ms, s, m, h, d or w.
 */
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w';

/**
 * The duration in milliseconds, or undefined when `text` is not one. A bare number is
 * taken in `bareUnit`, and refused when none is given.
 */
export function parseDuration(text: string | number, bareUnit?: DurationUnit): number | undefined {
  const m = DURATION.exec(String(text).trim());
  if (!m) return undefined;
  const unit = (m[2] ?? bareUnit)?.toLowerCase();
  if (unit === undefined) return undefined;
  const ms = Number(m[1]) * UNIT_MS[unit]!;
  return Number.isFinite(ms) ? ms : undefined;
}
