import { isIP } from 'node:net';

/**
 * IP addresses as Trino's IPADDRESS type reads and prints them, so that both engines
 * compare addresses, not spellings: `2001:DB8:0:0:0:0:0:1` is `2001:db8::1` and the
 * IPv4-mapped `::ffff:10.0.0.1` is `10.0.0.1` (Trino stores every address as 16 bytes
 * and prints an IPv4-mapped one as IPv4).
 */

/** An address as 16-bit (IPv6) or 8-bit (IPv4) groups, or null if it cannot be expanded. */
export function addressGroups(addr: string, family: number): number[] | null {
  if (family === 4) return addr.split('.').map(Number);
  let text = addr.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -v4[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined ? [] : tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  if (fill < 0) return null;
  const groups = [...h, ...Array(fill).fill('0'), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** Groups as text: dotted IPv4, or IPv6 with the longest run of two or more zero groups compressed (RFC 5952). */
export function formatGroups(groups: number[], family: number): string {
  if (family === 4) return groups.join('.');
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/**
 * The text Trino gives for `CAST(CAST(text AS IPADDRESS) AS VARCHAR)`, or null when
 * Trino cannot read it as an address (CAST fails, TRY_CAST gives NULL): IPv4 as dotted
 * decimal, IPv4-mapped IPv6 as IPv4, other IPv6 lower-case and compressed. Zone ids
 * (`%eth0`) and IPv4 octets with leading zeros are not addresses.
 */
export function canonicalIp(text: string): string | null {
  if (text.includes('%')) return null;
  const family = isIP(text);
  if (family === 0) return null;
  if (family === 4) return text;
  const groups = addressGroups(text, 6);
  if (!groups) return null;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return formatGroups(groups, 6);
}
