/**
 * Values CloudTrail writes in `sourceIPAddress` that are not IP addresses, so that a value
 * copied from one answer is accepted by the next query: `AWS Internal`, the host name of
 * a service that called on the principal's behalf (`ec2.amazonaws.com`), and dotted
 * quads with leading zeros (`08.1.250.216`), which appear in real logs. Queries match
 * them as text, exactly as written.
 */
const DOTTED_QUAD = /^\d{1,3}(\.\d{1,3}){3}$/;
const HOST_NAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The value as CloudTrail writes it, or undefined when it is not a sourceIPAddress form. */
export function sourceAddress(text: string): string | undefined {
  if (/^aws internal$/i.test(text)) return 'AWS Internal';
  if (DOTTED_QUAD.test(text)) return text;
  if (HOST_NAME.test(text)) return text.toLowerCase();
  return undefined;
}

/** A value as one shell word: bare when safe, else single-quoted. */
export function shellWord(v: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}
