/**
 * Seeded, fast, platform-independent pseudo-random numbers for the sample lake.
 *
 * Every chunk of the lake (one account, region and day) gets its own stream,
 * seeded from a text key, so output never depends on the order in which
 * chunks run or on how many workers run them.
 */

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const UPPER_ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdef';
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));
const VARIANT = '89ab';

function hex8(x: number): string {
  return BYTE_HEX[x >>> 24] + BYTE_HEX[(x >>> 16) & 255] + BYTE_HEX[(x >>> 8) & 255] + BYTE_HEX[x & 255];
}

/** cyrb128: a 128-bit string hash, good enough to seed sfc32. */
export function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A deterministic identifier-like string derived from a key (not from a stream). */
export function stableId(key: string, length: number, alphabet: 'hex' | 'upper'): string {
  const rng = new Rng(`stable|${key}`);
  return alphabet === 'hex' ? rng.hex(length) : rng.upperAlnum(length);
}

/** sfc32 generator (Small Fast Counting), 32-bit state words. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(key: string) {
    const [a, b, c, d] = hash128(key);
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    for (let i = 0; i < 15; i++) this.u32();
  }

  u32(): number {
    let a = this.a;
    let b = this.b;
    let c = this.c;
    let d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Log-normal variate with the given median; sigma is the log-space spread. */
  lognormal(median: number, sigma: number): number {
    // Box-Muller; 1 - next() keeps the log argument in (0, 1].
    const u = 1 - this.next();
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * z);
  }

  hex(length: number): string {
    let s = '';
    while (s.length < length) s += hex8(this.u32());
    return s.length === length ? s : s.slice(0, length);
  }

  alnum(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += ALNUM[Math.floor(this.next() * 62)];
    return s;
  }

  upperAlnum(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += UPPER_ALNUM[Math.floor(this.next() * 36)];
    return s;
  }

  /** RFC 4122 version-4 shaped UUID. */
  uuid(): string {
    const b = this.u32();
    const c = this.u32();
    return (
      hex8(this.u32()) +
      '-' +
      BYTE_HEX[b >>> 24] +
      BYTE_HEX[(b >>> 16) & 255] +
      '-4' +
      HEX[(b >>> 8) & 15] +
      BYTE_HEX[b & 255] +
      '-' +
      VARIANT[c >>> 30] +
      HEX[(c >>> 24) & 15] +
      BYTE_HEX[(c >>> 16) & 255] +
      '-' +
      BYTE_HEX[(c >>> 8) & 255] +
      BYTE_HEX[c & 255] +
      hex8(this.u32())
    );
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}

/** Picks items by weight in O(log n). Build once, use many times. */
export class Weighted<T> {
  private readonly items: T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.items = [];
    this.cumulative = [];
    let sum = 0;
    for (const [item, weight] of entries) {
      if (!(weight > 0)) continue;
      sum += weight;
      this.items.push(item);
      this.cumulative.push(sum);
    }
    if (this.items.length === 0) throw new Error('Weighted: no entries with a positive weight');
    this.total = sum;
  }

  get size(): number {
    return this.items.length;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}
