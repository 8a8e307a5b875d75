import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { CasebookError, UsageError } from '../../errors.js';
import { escapeTerminal } from '../../format/escape.js';
import { verifyBundle, type FileStatus } from '../../reports/verify.js';
import type { CommandFactory } from '../context.js';

const LABEL: Record<FileStatus, string> = { ok: 'ok', changed: 'CHANGED', missing: 'MISSING', added: 'ADDED' };

export const verifyCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', describe: 'The bundle directory (holding manifest.json)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'Print only the files that differ and the verdict' })
      .option('expect-sha256', {
        type: 'string',
        describe: 'The manifest.json SHA-256 recorded when the bundle was written: fail unless the manifest has exactly this hash',
      }),
  handler: async (args) => {
    const argv = args as unknown as { dir: string; quiet: boolean; expectSha256?: string };
    const expected = argv.expectSha256?.trim().toLowerCase();
    if (expected !== undefined && !/^[0-9a-f]{64}$/.test(expected)) {
      throw new UsageError(`--expect-sha256 "${argv.expectSha256}" is not a SHA-256 (64 hexadecimal digits)`);
    }
    const dir = resolve(ctx.io.cwd, argv.dir);
    const shown = escapeTerminal(argv.dir);
    const result = await verifyBundle(dir);
    const lines: string[] = [];
    for (const e of result.entries) {
      if (argv.quiet && e.status === 'ok') continue;
      lines.push(`${LABEL[e.status].padEnd(8)} ${escapeTerminal(e.path)}${e.detail ? `  (${e.detail})` : ''}`);
    }
    // Manifest fields and file names are whatever the bundle holds: shown escaped, so a
    // forged bundle cannot rewrite what is on screen.
    const r = result.report;
    const about = `report ${escapeTerminal(r.name)}, period ${escapeTerminal(r.period)}, generated ${escapeTerminal(r.generatedAt)}`;
    lines.push(`manifest.json SHA-256 ${result.manifestSha256}`);
    if (r.failedSections.length)
      lines.push(
        `note: the report itself records ${r.failedSections.length} failed section(s): ${r.failedSections.map(escapeTerminal).join(', ')}`,
      );
    ctx.io.stdout(`${lines.join('\n')}\n`);
    const counts = (s: FileStatus) => result.entries.filter((e) => e.status === s).length;
    if (!result.intact) {
      const parts = (['changed', 'missing', 'added'] as const).filter((s) => counts(s) > 0).map((s) => `${counts(s)} ${s}`);
      throw new CasebookError(`bundle ${shown} does NOT match its manifest: ${parts.join(', ')} (${about})`);
    }
    if (expected !== undefined && expected !== result.manifestSha256) {
      throw new CasebookError(
        `bundle ${shown} is NOT the recorded one: its manifest.json SHA-256 is ${result.manifestSha256}, not the expected ${expected}`,
      );
    }
    const recorded = expected !== undefined ? ', and manifest.json has the expected SHA-256' : '';
    ctx.io.stdout(`bundle ${shown} is intact: ${counts('ok')} files match the manifest${recorded} (${about})\n`);
  },
});
