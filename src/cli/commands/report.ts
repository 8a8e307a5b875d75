import { hostname, userInfo } from 'node:os';
import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { createEngine, engineManifest, type EngineSettings } from '../../engines/create.js';
import { CasebookError, UsageError } from '../../errors.js';
import { humanBytes } from '../../format/format.js';
import { escapeTerminalLines } from '../../format/escape.js';
import { projectRoot } from '../../paths.js';
import { bundleFiles, checkOut, BUNDLE_MANIFEST, writeBundle } from '../../reports/bundle.js';
import { loadReport, loadReports } from '../../reports/load.js';
import { parsePeriod, periodText } from '../../reports/period.js';
import { runReport } from '../../reports/run.js';
import { coverageShort, isPartial, lakeCoverageProbe } from '../../reports/coverage.js';
import type { EngineInfo } from '../../reports/view.js';
import { sha256 } from '../../reports/hash.js';
import { VERSION } from '../../version.js';
import type { IntegrityEvidence } from '../../validate/evidence.js';
import { engineOptions, resolveEngineSettings, type CommandContext, type CommandFactory } from '../context.js';

interface ReportArgs {
  name?: string;
  period?: string;
  out?: string;
  force: boolean;
  quiet: boolean;
  allowPartial: boolean;
  lake?: string;
  publicKeys?: string;
  [option: string]: unknown;
}

/** What the manifest says about where the report ran (src/engines/create.ts: the settings marked for it). */
export function engineInfo(settings: EngineSettings): EngineInfo {
  const info: EngineInfo = { name: settings.engine, ...engineManifest(settings) };
  if (info.lake !== undefined) info.lake = resolve(info.lake);
  return info;
}

function whoRan(): string | undefined {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return undefined;
  }
}

function listReports(ctx: CommandContext): void {
  const lines = ['Reports (casebook report <name> --period 2024-Q1|last-7d --out DIR):', ''];
  for (const r of loadReports()) {
    lines.push(`  ${r.name.padEnd(28)} ${r.definition.title}`);
    lines.push(`  ${''.padEnd(28)} ${r.sections.length} sections · ${r.definition.controls.join('; ')}`);
  }
  ctx.io.stdout(`${lines.join('\n')}\n`);
}

export const reportCommand: CommandFactory = (ctx) => ({
  builder: (y: Argv) =>
    engineOptions(
      y
        .positional('name', {
          type: 'string',
          describe: 'A report in reports/ (file name without .yaml), or the path of a report YAML file',
        })
        .option('period', {
          type: 'string',
          describe:
            '2024-01 (month), 2024-Q1 (quarter), 2024 (year), FROM..TO (FROM included, TO excluded) or last-7d (whole days before today); all UTC',
        })
        .option('out', { type: 'string', describe: 'Directory to write the bundle to (must be new or empty)' })
        .option('force', { type: 'boolean', default: false, describe: 'Replace an earlier bundle in --out' })
        .option('allow-partial', {
          type: 'boolean',
          default: false,
          describe: 'Exit 0 even when the data covers only part of the period (the bundle still says so)',
        })
        .option('public-keys', {
          type: 'string',
          describe:
            "Local lake: a file with the output of `aws cloudtrail list-public-keys`, to validate the period's CloudTrail log files (without it the bundle says their signatures were not checked)",
        })
        .option('quiet', { type: 'boolean', default: false, describe: 'No progress on stderr' }),
      ctx,
    ),
  handler: async (args) => {
    const argv = args as unknown as ReportArgs;
    if (!argv.name) return listReports(ctx);
    const report = loadReport(argv.name, { cwd: ctx.io.cwd });
    if (!argv.period)
      throw new UsageError(`report ${report.name}: name the period with --period (2024-01, 2024-Q1, 2024, FROM..TO or last-7d)`);
    if (!argv.out) throw new UsageError(`report ${report.name}: name the directory to write with --out`);
    const period = parsePeriod(argv.period, ctx.io.now?.() ?? new Date());
    const out = resolve(ctx.io.cwd, argv.out);
    checkOut(out, argv.force);
    const settings = resolveEngineSettings(argv, ctx);
    // The manifest records the lake as an absolute path: relative ones are from the working directory.
    if (settings.engine === 'duckdb') settings.duckdb.lake = resolve(ctx.io.cwd, settings.duckdb.lake);
    if (argv.publicKeys && settings.engine !== 'duckdb')
      throw new UsageError(
        `report ${report.name}: --public-keys validates a local lake's log files; on ${settings.engine} there is none (validate the bucket with casebook validate-logs)`,
      );
    // Loaded on use: validation brings the S3 and CloudTrail SDK modules.
    const keys = argv.publicKeys
      ? (await import('../../validate/public-keys.js')).publicKeysFromFile(resolve(ctx.io.cwd, argv.publicKeys))
      : undefined;
    const progress = argv.quiet ? undefined : (m: string) => ctx.io.stderr(`${m}\n`);
    progress?.(
      `report ${report.name}: ${report.sections.length} sections, ${period.asGiven ? `${period.asGiven} = ` : ''}${period.spec}: ${periodText(period)}`,
    );
    const engine = await createEngine(settings);
    let run: Awaited<ReturnType<typeof runReport>>;
    let logIntegrity: IntegrityEvidence | undefined;
    try {
      const coverage = settings.engine === 'duckdb' ? lakeCoverageProbe(settings.duckdb.lake) : undefined;
      run = await runReport(report, period, { engine, signal: ctx.io.signal, onProgress: progress, coverage });
      if (settings.engine === 'duckdb') {
        progress?.("validating the period's CloudTrail log files (digests and signatures)");
        const { lakeIntegrityEvidence } = await import('../../validate/evidence.js');
        logIntegrity = await lakeIntegrityEvidence({ lake: settings.duckdb.lake, window: period, keys, signal: ctx.io.signal });
      }
    } finally {
      await engine.close();
    }
    const generatedAt = ctx.io.now?.() ?? new Date();
    const rel = relative(projectRoot(), report.file);
    const source = rel.startsWith('..') ? report.file : rel;
    const { files, manifest } = bundleFiles(
      run,
      { version: VERSION, engine: engineInfo(settings), generatedAt, generatedBy: whoRan(), logIntegrity },
      source,
    );
    const written = writeBundle(out, files, { force: argv.force });
    const bytes = [...files.values()].reduce((s, t) => s + Buffer.byteLength(t), 0);
    const lines = run.sections.map(
      (s) =>
        `  ${String(s.section.index).padStart(2)}. ${s.section.query.id.padEnd(32)} ${s.status === 'ok' ? `${s.rows.length} row${s.rows.length === 1 ? '' : 's'}${isPartial(s.coverage) ? ` (PARTIAL: ${coverageShort(s.coverage!)})` : ''}` : `FAILED: ${s.error}`}`,
    );
    // Section errors quote engine messages and file names: escaped like everything else on a terminal.
    ctx.io.stdout(
      escapeTerminalLines(
        `${report.definition.title}, ${period.spec}\n${lines.join('\n')}\n` +
          (logIntegrity ? `log file integrity: ${logIntegrity.summary}\n` : '') +
          `bundle ${written}: ${files.size} files, ${humanBytes(bytes)}\n` +
          `${BUNDLE_MANIFEST} SHA-256 ${sha256(files.get(BUNDLE_MANIFEST)!)} (record it, and check it later with casebook verify --expect-sha256)\n`,
      ),
    );
    const failed = manifest.sections.filter((s) => s.status === 'failed');
    if (failed.length) {
      throw new CasebookError(
        `report ${report.name}: ${failed.length} of ${manifest.sections.length} sections failed (${failed.map((s) => s.query).join(', ')}); the bundle at ${written} records the failure and is incomplete`,
      );
    }
    if (manifest.coverageWarning) {
      ctx.io.stderr(`casebook: ${manifest.coverageWarning}\n`);
      if (!argv.allowPartial)
        throw new CasebookError(
          `report ${report.name}: the data covers only part of the period ${period.spec}; the bundle at ${written} says so; choose a period the data covers, or pass --allow-partial to accept it`,
        );
    }
  },
});
