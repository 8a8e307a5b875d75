import type { Pack, Query } from './load.js';
import { exampleCommand, optionName } from '../cli/query-options.js';

const GROUP_TITLES: Record<string, string> = {
  identity: 'Change and identity',
  errors: 'Errors and reconnaissance',
  evasion: 'Defense evasion',
  exposure: 'Exposure',
  'data-access': 'Data access (CloudTrail data events)',
  network: 'Network (VPC Flow Logs)',
  cost: 'Cost (data transfer)',
  'cross-source': 'Across sources',
};

function md(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function paramType(q: Query, name: string): string {
  const p = q.allParams[name]!;
  if (p.type === 'list') return `list of ${p.of}`;
  if (p.type === 'enum') return p.values!.join(' \\| ');
  return p.type;
}

function paramDefault(q: Query, name: string): string {
  const p = q.allParams[name]!;
  if (p.required) return '**required**';
  if (p.default === undefined) return '';
  return `\`${Array.isArray(p.default) ? p.default.join(',') : String(p.default)}\``;
}

/** The query catalog page, generated from the pack's metadata (docs/catalog.md). */
export function catalogMarkdown(pack: Pack): string {
  const groups = new Map<string, Query[]>();
  for (const q of pack.queries) {
    const list = groups.get(q.group);
    if (list) list.push(q);
    else groups.set(q.group, [q]);
  }
  const out: string[] = [
    '# Query catalog',
    '',
    '<!-- Generated from queries/*/*.yaml by `npm run catalog`; do not edit by hand. -->',
    '',
    `${pack.queries.length} investigations. Every query also takes \`--since\` and \`--until\` (default: the last 7 days).`,
    '',
  ];
  for (const [group, queries] of groups) {
    out.push(`- [${GROUP_TITLES[group] ?? group}](#${group}): ${queries.map((q) => `[${q.id}](#${q.id})`).join(', ')}`);
  }
  for (const [group, queries] of groups) {
    out.push('', `## <a id="${group}"></a>${GROUP_TITLES[group] ?? group}`);
    for (const q of queries) {
      out.push('', `### <a id="${q.id}"></a>\`${q.id}\`: ${q.title}`, '', md(q.description), '');
      if (q.caveats) out.push(`*Limits:* ${md(q.caveats)}`, '');
      const facts = [`audience: ${q.audience.join(', ')}`, `tables: ${q.tables.join(', ')}`];
      if (q.severity) facts.push(`severity: ${q.severity}`);
      if (q.mitre?.length) facts.push(`MITRE ATT&CK: ${q.mitre.join(', ')}`);
      out.push(facts.join(' · '), '');
      const own = Object.keys(q.params);
      if (own.length > 0) {
        out.push('| parameter | type | default | meaning |', '|---|---|---|---|');
        for (const name of own)
          out.push(`| \`--${optionName(name)}\` | ${paramType(q, name)} | ${paramDefault(q, name)} | ${md(q.allParams[name]!.help)} |`);
        out.push('');
      }
      out.push(`Columns: ${q.columns.map((c) => `\`${c}\``).join(', ')}`, '', '```sh', exampleCommand(q), '```');
    }
  }
  return `${out.join('\n')}\n`;
}
