import { loadPack } from '../../pack/load.js';
import { findQuery } from '../../pack/prepare.js';
import type { CommandFactory } from '../context.js';
import { escapeTerminalLines } from '../../format/escape.js';
import { exampleCommand, optionName } from '../query-options.js';

export const showCommand: CommandFactory = (ctx) => ({
  builder: (y) => y.positional('query', { type: 'string', describe: 'Query id (see `casebook list`)' }),
  handler: (args) => {
    const argv = args as unknown as { query: string };
    const q = findQuery(loadPack(), argv.query);
    const lines = [`${q.id} — ${q.title}`, '', q.description.trim(), ''];
    if (q.caveats) lines.push(`Limits: ${q.caveats.trim()}`, '');
    lines.push(`Group: ${q.group}   Audience: ${q.audience.join(', ')}   Tables: ${q.tables.join(', ')}`);
    if (q.severity) lines.push(`Severity: ${q.severity}`);
    if (q.mitre?.length) lines.push(`MITRE ATT&CK: ${q.mitre.join(', ')}`);
    lines.push('', 'Parameters:');
    for (const [name, p] of Object.entries(q.allParams)) {
      const type = p.type === 'list' ? `list of ${p.of}` : p.type === 'enum' ? `${p.values!.join('|')}` : p.type;
      const req = p.required
        ? 'required'
        : p.default !== undefined
          ? `default ${Array.isArray(p.default) ? p.default.join(',') : p.default}`
          : 'optional';
      lines.push(`  --${optionName(name)} <${type}>  (${req})`, `      ${p.help}`);
    }
    lines.push('', `Columns: ${q.columns.join(', ')}`, '', 'Example:', `  ${exampleCommand(q)}`, '');
    ctx.io.stdout(escapeTerminalLines(`${lines.join('\n')}\n`));
  },
});
