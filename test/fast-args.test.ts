import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandModule, Options } from 'yargs';
import { COMMANDS, commandName } from '../src/cli/commands/index.js';
import { fastArgs } from '../src/cli/fast-args.js';
import { commandModule, yargsParser } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';
import { README, readmeCommands } from './support/readme.js';

/**
 * The fast path (src/cli/fast-args.ts) must hand a command's handler exactly what yargs
 * would, or decline the line. Each command line below is parsed both ways: yargs with the
 * command's handler replaced by one that keeps its arguments.
 */

const ROOT = resolve(__dirname, '..');
const io: CliIO = { stdout: () => undefined, stderr: () => undefined, stderrIsTTY: false, env: {}, cwd: process.cwd() };

async function moduleFor(argv: string[]): Promise<CommandModule> {
  const name = argv.find((a) => !a.startsWith('-'));
  const entry = COMMANDS.find((c) => commandName(c) === name);
  if (!entry) throw new Error(`no command in ${argv.join(' ')}`);
  return commandModule(entry, { io, argv });
}

/** What yargs hands the handler, or the complaint it makes. */
async function viaYargs(argv: string[]): Promise<{ args?: Record<string, unknown>; error?: string }> {
  const module = await moduleFor(argv);
  let args: Record<string, unknown> | undefined;
  const keep = (a: unknown) => {
    args = a as Record<string, unknown>;
  };
  const parser = await yargsParser([{ ...module, handler: keep }]);
  try {
    await parser.parseAsync(argv);
  } catch (err) {
    return { error: (err as { msg?: string; message?: string }).msg ?? String(err) };
  }
  return { args };
}

async function both(argv: string[]) {
  return { fast: fastArgs(await moduleFor(argv), argv), yargs: await viaYargs(argv) };
}

/** The options a command's builder declares. */
async function declaredOptions(command: string, extra: string[] = []): Promise<Map<string, Options>> {
  const module = await moduleFor([command, ...extra]);
  const seen = new Map<string, Options>();
  const y: Record<string, (...a: never[]) => unknown> = {
    option: (name: string, spec: Options) => {
      seen.set(name, spec);
      return y;
    },
    options: (specs: Record<string, Options>) => {
      for (const [n, spec] of Object.entries(specs)) seen.set(n, spec);
      return y;
    },
    positional: () => y,
    example: () => y,
    strict: () => y,
  };
  (module.builder as (y: unknown) => unknown)(y);
  return seen;
}

/** A value this option takes, in the form the command line gives it. */
function sampleValue(name: string, spec: Options): string[] {
  if (spec.type === 'boolean') return [`--${name}`];
  if (spec.choices) return [`--${name}`, String((spec.choices as unknown[]).at(-1))];
  if (spec.type === 'number') return [`--${name}`, '7'];
  return [`--${name}`, name.includes('since') ? '7d' : 'value-1'];
}

const POSITIONAL: Record<string, string[]> = {
  run: ['who-deleted'],
  render: ['principal-activity'],
  estimate: ['who-deleted'],
  show: ['who-deleted'],
  ddl: ['cloudtrail'],
  schema: ['vpc_flow_logs'],
  verify: ['some-bundle'],
  discover: ['s3://bucket/logs/'],
  pull: ['s3://bucket/logs/'],
  'validate-logs': ['s3://bucket/logs/'],
  report: ['monthly-access-review'],
};

describe('fast command-line path', () => {
  it('agrees with yargs on every README command line, and parses all of those without yargs', async () => {
    const lines = readmeCommands(README)
      .map((c) => c.argv)
      .filter((a) => !a.includes('--help') && a[0] !== 'completion');
    expect(lines.length).toBeGreaterThan(15);
    for (const argv of lines) {
      const { fast, yargs } = await both(argv);
      expect(yargs.error, argv.join(' ')).toBeUndefined();
      expect(fast, `declined: ${argv.join(' ')}`).toBeDefined();
      expect(fast, argv.join(' ')).toEqual(yargs.args);
    }
  });

  it('agrees with yargs on each option of each command, given alone, negated and with defaults', async () => {
    let accepted = 0;
    const tried = new Set<string>();
    for (const name of COMMANDS.map(commandName)) {
      const base = [name, ...(POSITIONAL[name] ?? [])];
      const options = await declaredOptions(name, base.slice(1));
      const lines = [base];
      for (const [opt, spec] of options) {
        // An option shared by several commands (the engine's, --format, ...) is tried on the first one that takes it.
        const key = `${opt} ${JSON.stringify(spec)}`;
        if (tried.has(key)) continue;
        tried.add(key);
        lines.push([...base, ...sampleValue(opt, spec)]);
        if (spec.type === 'boolean' || (spec.type === 'string' && !spec.array)) lines.push([...base, `--no-${opt}`]);
        if (spec.type === 'string' && !spec.choices) lines.push([...base, `--${opt}=a=b`]);
        for (const alias of [spec.alias ?? []].flat()) lines.push([...base, ...sampleValue(alias, spec)]);
      }
      for (const argv of lines) {
        const { fast, yargs } = await both(argv);
        if (fast === undefined) continue;
        accepted++;
        expect(yargs.error, argv.join(' ')).toBeUndefined();
        expect(fast, argv.join(' ')).toEqual(yargs.args);
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it("agrees with yargs on a query's parameters: lists, aliases, kebab and camel case", async () => {
    const lines = [
      ['run', 'ip-investigation', '--ip', '203.0.113.66', '--since', '7d'],
      ['run', 'source-ip-activity', '--ip', '203.0.113.66'],
      ['run', 'source-ip-activity', '--source-ip', '203.0.113.66', '--format', 'json'],
      ['render', 'data-transfer-pairs', '--nat-interfaces', 'eni-1', '--nat-interfaces', 'eni-2'],
      ['render', 'data-transfer-pairs', '--nat-interfaces', 'eni-1,eni-2', '--since=2024-01-01'],
      ['run', 'who-deleted', '--resource', 'x', '--debug', '--no-quiet', '--lake', 'lake dir', '--no-store'],
      ['--debug', 'list', '--group', 'identity'],
      ['run', 'ioc-traffic', '--iocs', '203.0.113.66,198.51.100.7', '--limit', '5', '--threads', '2', '--retries=3'],
      ['run', 'who-deleted', '--resource', 'x', '--price-per-tb', '4.5', '--engine', 'athena'],
      ['report', '--period', 'last-7d'],
    ];
    for (const argv of lines) {
      const { fast, yargs } = await both(argv);
      expect(fast, `declined: ${argv.join(' ')}`).toBeDefined();
      expect(fast, argv.join(' ')).toEqual(yargs.args);
    }
  });

  it('leaves to yargs what it would read differently, or refuse', async () => {
    const declined = [
      ['--help'],
      ['run', 'who-deleted', '--help'],
      ['list', '--version'],
      ['completion'],
      ['run', 'who-deleted', '-h'],
      ['run', 'who-deleted', '--resource'],
      ['run', 'who-deleted', '--resource', '--since', '7d'],
      ['run', 'who-deleted', '--resource', 'a', '--resource', 'b'],
      ['run', 'who-deleted', '--nosuch', 'x'],
      ['run', 'who-deleted', 'extra-positional'],
      ['run'],
      ['run', 'who-deleted', '--wide', 'false'],
      ['run', 'who-deleted', '--wide=true'],
      ['run', 'who-deleted', '--format', 'xml'],
      ['run', 'who-deleted', '--', '--resource', 'x'],
      ['render', 'data-transfer-pairs', '--nat-interfaces', 'eni-1', 'eni-2'],
      ['list', '--no-format'],
      ['run', 'who-deleted', '--threads', '0x10'],
      ['run', 'who-deleted', '--threads', '1e3'],
    ];
    for (const argv of declined) {
      const module = await moduleFor(argv.some((a) => COMMANDS.some((c) => commandName(c) === a)) ? argv : ['list']);
      expect(fastArgs(module, argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('runs a command line without loading yargs (the built CLI)', () => {
    // Node's module debug log names every file the ESM loader stores; yargs is its own chunk.
    const loaded = (args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'bin/casebook.js'), ...args], {
        env: { ...process.env, NODE_DEBUG: 'esm' },
        encoding: 'utf8',
      }).stderr;
    const list = loaded(['list', '--format', 'json']);
    expect(list).toMatch(/dist\/cli\/list-/);
    expect(list).not.toMatch(/dist\/cli\/yargs-/);
    expect(loaded(['--help'])).toMatch(/dist\/cli\/yargs-/);
  });
});
