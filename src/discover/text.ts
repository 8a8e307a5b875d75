import { printable } from '../bucket/source.js';
import type { Discovery } from './discover.js';

const LAYOUT_TEXT = {
  'single-account': 'single-account trail',
  'multi-account': 'trails of several accounts (AWSLogs/<account>/)',
  organization: 'organization trail (AWSLogs/<o-id>/<account>/)',
  'control-tower': 'Control Tower organization trail (<o-id>/AWSLogs/<o-id>/<account>/)',
} as const;

/** A discovery as text: per AWSLogs/ folder, its trail layout, then one line per service, account and region. */
export function discoveryText(d: Discovery): string {
  const lines: string[] = [];
  lines.push(`${printable(d.source)}: ${d.roots.length} AWSLogs/ folder${d.roots.length === 1 ? '' : 's'} (${d.listings} folder listings)`);
  for (const r of d.roots) {
    lines.push(
      '',
      `${printable(r.location)}${r.layout ? `: ${LAYOUT_TEXT[r.layout]}` : ''}${r.orgIds.length ? `, organization ${r.orgIds.map(printable).join(', ')}` : ''}`,
    );
    for (const s of r.services) {
      const days = s.firstDay ? `${s.firstDay} to ${s.lastDay}` : 'no day folders';
      lines.push(
        `  ${printable(s.service)}${s.table ? ` (table ${s.table})` : s.service === 'CloudTrail-Digest' ? ' (digest files: validate-logs)' : ' (no casebook table)'}: ` +
          `${s.accounts.length} account${s.accounts.length === 1 ? '' : 's'}, ${s.regions.length} region${s.regions.length === 1 ? '' : 's'}, ${days}`,
      );
      for (const f of s.folders) {
        const extra: string[] = [];
        if (f.hivePrefixes) extra.push('Hive prefixes');
        if (f.hourly) extra.push('hourly');
        if (f.trails?.length) extra.push(`trails ${f.trails.map(printable).join(', ')}`);
        lines.push(
          `    ${f.orgId ? `${printable(f.orgId)}/` : ''}${printable(f.account)} ${printable(f.region)}: ${f.firstDay ?? '?'} to ${f.lastDay ?? '?'}${extra.length ? ` (${extra.join(', ')})` : ''}`,
        );
        for (const fl of f.flowLogs ?? []) {
          lines.push(
            `      flow log ${printable(fl.id)}: ${fl.fileFormat}${fl.fields ? `, ${fl.fields.length} fields: ${fl.fields.map(printable).join(' ')}` : ''}`,
          );
        }
      }
    }
  }
  for (const n of d.notes) lines.push(`note: ${printable(n)}`);
  return `${lines.join('\n')}\n`;
}
