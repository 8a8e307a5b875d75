import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { CasebookError } from '../../errors.js';
import { verifyBundle, type FileStatus } from '../../reports/verify.js';
import type { CommandFactory } from '../context.js';

const LABEL: Record<FileStatus, string> = { ok: 'ok', changed: 'CHANGED', missing: 'MISSING', added: 'ADDED' };

export const verifyCommand: CommandFactory = (ctx) => ({
  command: 'verify <dir>',
  describe: 'Check an evidence bundle against its manifest: every file unchanged, none missing, none added',
  builder: (y: Argv) => y
    .positional('dir', { type: 'string', describe: 'The bundle directory (holding manifest.json)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'Print only the files that differ and the verdict' }),
  handler: async (args) => {
    const argv = args as unknown as { dir: string; quiet: boolean };
    const dir = resolve(ctx.io.cwd, argv.dir);
    const result = await verifyBundle(dir);
    const lines: string[] = [];
    for (const e of result.entries) {
      if (argv.quiet && e.status === 'ok') continue;
      lines.push(`${LABEL[e.status].padEnd(8)} ${e.path}${e.detail ? `  (${e.detail})` : ''}`);
    }
    const r = result.report;
    const about = `report ${r.name}, period ${r.period}, generated ${r.generatedAt}`;
    lines.push(`manifest.json SHA-256 ${result.manifestSha256}`);
    if (r.failedSections.length) lines.push(`note: the report itself records ${r.failedSections.length} failed section(s): ${r.failedSections.join(', ')}`);
    ctx.io.stdout(`${lines.join('\n')}\n`);
    const counts = (s: FileStatus) => result.entries.filter((e) => e.status === s).length;
    if (!result.intact) {
      const parts = (['changed', 'missing', 'added'] as const).filter((s) => counts(s) > 0).map((s) => `${counts(s)} ${s}`);
      throw new CasebookError(`bundle ${argv.dir} does NOT match its manifest: ${parts.join(', ')} (${about})`);
    }
    ctx.io.stdout(`bundle ${argv.dir} is intact: ${counts('ok')} files match the manifest (${about})\n`);
  },
});
