import { z } from 'zod';
import { isRegion } from '../aws/region.js';
import { parseBytes } from '../engines/athena/units.js';
import { parseDuration, type DurationUnit } from '../params/duration.js';

/**
 * Value schemas the settings share (src/settings/model.ts). Each takes what a user
 * writes (command-line or environment text, or a YAML value) and gives the typed value;
 * messages are the end of the error line.
 */

const Scalar = z.union([z.string(), z.number()]);

/** Trimmed text; nothing given stays undefined. */
export const text = () => Scalar.optional().transform((v) => (v === undefined ? undefined : String(v).trim()));

/** Text that `ok` accepts. */
export const checked = (ok: (v: string) => boolean, message: string) => text().refine((v) => v === undefined || ok(v), { message });

/** Text that matches `re`. */
export const pattern = (re: RegExp, message: string) => checked((v) => re.test(v), message);

export const region = () => checked(isRegion, 'is not an AWS region (e.g. us-east-1)');

export const httpUrl = () => pattern(/^https?:\/\/[^\s/]+/, 'is not an http(s) URL');

/** A length of time in milliseconds (src/params/duration.ts); a bare number is in `bareUnit`. */
export const duration = (bareUnit: DurationUnit) =>
  Scalar.transform((v, ctx) => {
    const ms = parseDuration(v, bareUnit);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: 'is not a duration: use e.g. 30s, 60m, 2h, 7d' });
      return z.NEVER;
    }
    return ms;
  });

/** A byte size (`20GB`, `1.5TiB`). */
export const bytes = () =>
  Scalar.transform((v, ctx) => {
    try {
      return parseBytes(v, '');
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a size: use e.g. 500MB, 20GB, 1TB (or GiB/TiB)' });
      return z.NEVER;
    }
  });

/** A number at least `min`. */
export const number = (min: number, message: string) =>
  Scalar.transform((v, ctx) => {
    const n = typeof v === 'number' ? v : String(v).trim() === '' ? NaN : Number(v);
    if (!Number.isFinite(n) || n < min) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return n;
  });

/** A whole number at least `min`. */
export const integer = (min: number, message: string) => number(min, message).refine((n) => Number.isInteger(n), { message });

/** A yes/no setting: a boolean, or true/false, yes/no, on/off, 1/0 as text. */
export const flag = () =>
  z
    .union([z.boolean(), Scalar])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || typeof v === 'boolean') return v;
      const t = String(v).trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(t)) return true;
      if (['false', '0', 'no', 'off'].includes(t)) return false;
      ctx.addIssue({ code: 'custom', message: 'is not true or false' });
      return z.NEVER;
    });

/**
 * A list in YAML, or comma-separated text. Numbers are kept as text (account ids); a
 * number that lost its leading zeros is refused.
 */
export const list = () =>
  z
    .union([z.array(Scalar), Scalar])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const items = Array.isArray(v) ? v : typeof v === 'number' ? [v] : String(v).split(',');
      for (const x of items) {
        if (typeof x === 'number' && String(x).length < 12 && String(x).length > 6) {
          ctx.addIssue({
            code: 'custom',
            message: `${x} was read as a number and lost its leading zeros: quote account ids ('${String(x).padStart(12, '0')}')`,
          });
        }
      }
      const out = items.map((x) => String(x).trim()).filter((x) => x !== '');
      return out.length ? out : undefined;
    });
