import { printable } from '../bucket/source.js';
import { isoSeconds } from '../params/time.js';
import type { Counts, FileStatus, ValidationReport } from './validate.js';

const STATUS_TEXT: Record<FileStatus, string> = {
  valid: 'valid',
  modified: 'MODIFIED',
  missing: 'MISSING',
  'not-covered': 'NOT COVERED',
  'chain-broken': 'CHAIN BROKEN',
  'signature-invalid': 'SIGNATURE INVALID',
  unverified: 'UNVERIFIED',
};

function countText(c: Counts): string {
  const parts = Object.entries(c.byStatus)
    .filter(([s]) => s !== 'valid')
    .map(([s, n]) => `${n} ${STATUS_TEXT[s as FileStatus].toLowerCase()}`);
  return `${c.valid}/${c.total} valid${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** One line for a report or a summary: what was validated and how it came out. */
export function validationSummary(r: ValidationReport): string {
  const verdict = r.ok ? 'VALID' : r.digests.total === 0 ? 'NOT VALIDATED' : 'PROBLEMS FOUND';
  return `${verdict}: digest files ${countText(r.digests)}; log files ${countText(r.logs)}`;
}

/** The report as text: the problems one per line (every file with `all`), the chains, then the summary. */
export function validationText(r: ValidationReport, o: { all?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(
    `Validating CloudTrail log files in ${printable(r.source)}, delivered ${r.days[0]} to ${r.days[r.days.length - 1]} (window ${isoSeconds(new Date(r.window.since))} to ${isoSeconds(new Date(r.window.until))} and the day of slack); public keys: ${printable(r.publicKeys)}`,
  );
  for (const c of r.chains) {
    lines.push(
      `  trail ${printable(c.trail)} (home ${c.homeRegion}), account ${c.account}${c.orgId ? ` in ${c.orgId}` : ''}, region ${printable(c.region)}: ${c.digests} digest files ending ${c.firstDigestEnd} to ${c.lastDigestEnd}`,
    );
  }
  const shown = r.results.filter((f) => o.all || f.status !== 'valid');
  if (shown.length > 0) lines.push('');
  for (const f of shown) {
    lines.push(
      `${f.kind === 'digest' ? 'Digest file' : 'Log file'}\t${printable(f.key)}\t${STATUS_TEXT[f.status]}${f.detail ? `: ${printable(f.detail)}` : ''}`,
    );
  }
  for (const n of r.notes) lines.push(`note: ${printable(n)}`);
  lines.push('', validationSummary(r));
  return `${lines.join('\n')}\n`;
}
