import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { AWS } from '../src/aws/settings.js';
import { ATHENA } from '../src/engines/athena/settings.js';
import { DUCKDB } from '../src/engines/duckdb/settings.js';
import { LAKE } from '../src/settings/lake.js';
import { engineManifest, type EngineSettings } from '../src/engines/create.js';
import { resolveSection, type Section } from '../src/settings/model.js';
import { exec } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';

const SECTIONS: Section[] = [AWS, ATHENA, DUCKDB, LAKE];

async function help(command: string): Promise<string> {
  let out = '';
  const io: CliIO = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      out += t;
    },
    stderrIsTTY: false,
    env: {},
    cwd: process.cwd(),
  };
  await exec([command, '--help'], io);
  return out;
}

describe('the settings model', () => {
  it('one spelling per option: no flag is declared twice, and no flag is a deprecated spelling of another', () => {
    const flags = SECTIONS.flatMap((s) => Object.values(s.options).map((o) => o.flag));
    expect(new Set(flags).size).toBe(flags.length);
    const deprecated = SECTIONS.flatMap((s) => Object.values(s.options).flatMap((o) => o.deprecated ?? []));
    expect(deprecated.filter((d) => flags.includes(d))).toEqual([]);
  });

  it('every command that calls AWS takes the same AWS options, spelled the same', async () => {
    for (const command of ['run', 'report', 'compact', 'estimate', 'setup']) {
      const text = (await help(command)).replace(/\s+/g, ' ');
      for (const flag of ['--region', '--profile', '--endpoint-url', '--timeout', '--retries']) {
        expect(text, `${command} ${flag}`).toMatch(new RegExp(` ${flag}[ ,]`));
      }
      expect(text, command).toContain('[CASEBOOK_REGION; config aws.region]');
    }
    // setup's earlier spelling is an alias of --region, not a second option.
    expect(await help('setup')).toMatch(/--region, --aws-region/);
  });

  it('takes the command line, then CASEBOOK_*, then aws:, then the older athena: placement, then the default', () => {
    const both = parseConfig('aws: { region: eu-west-1, timeout: 1m }\nathena: { region: eu-west-2, profile: old-place }', 'c.yaml');
    const src = (argv: Record<string, unknown>, env: Record<string, string>, config = both) => ({ argv, env, config });
    expect(resolveSection(AWS, src({}, {}))).toEqual({ region: 'eu-west-1', profile: 'old-place', timeoutMs: 60_000, retries: 5 });
    expect(resolveSection(AWS, src({}, { CASEBOOK_REGION: 'us-east-2', CASEBOOK_TIMEOUT: '1.5h' })).region).toBe('us-east-2');
    expect(resolveSection(AWS, src({}, { CASEBOOK_TIMEOUT: '1.5h' })).timeoutMs).toBe(5_400_000);
    expect(resolveSection(AWS, src({ region: 'ap-south-1' }, { CASEBOOK_REGION: 'us-east-2' })).region).toBe('ap-south-1');
    // `casebook setup`'s top-level aws_region still names the region.
    expect(resolveSection(AWS, src({}, {}, parseConfig('aws_region: ca-central-1'))).region).toBe('ca-central-1');
    expect(resolveSection(AWS, src({}, {}, parseConfig('')))).toEqual({ timeoutMs: 30_000, retries: 5 });
  });

  it('checks the file by the same declaration, naming the file and key', () => {
    expect(() => parseConfig('aws: { regoin: x }', 'c.yaml')).toThrow('c.yaml: unknown key aws.regoin (did you mean region?)');
    expect(() => parseConfig('aws: { timeout: soon }', 'c.yaml')).toThrow('c.yaml: aws.timeout: is not a duration');
    expect(() => parseConfig('duckdb: { threads: 0 }', 'c.yaml')).toThrow('c.yaml: duckdb.threads: is not a number of threads');
    expect(parseConfig('duckdb: { lake: ./l, threads: 2 }').duckdb).toEqual({ lake: './l', threads: 2 });
  });

  it('gives the engine factory typed settings, and the manifest the fields marked for it', () => {
    const src = {
      argv: { workgroup: 'analysts', 'max-scan': '1GB' },
      env: { CASEBOOK_REGION: 'us-east-1', CASEBOOK_PROFILE: 'secret-profile' },
      config: {},
    };
    const settings: EngineSettings = { engine: 'athena', athena: resolveSection(ATHENA, src), aws: resolveSection(AWS, src) };
    expect(settings.athena).toMatchObject({ database: 'casebook', workgroup: 'analysts', maxScanBytes: 1e9, pricePerTb: 5 });
    expect(engineManifest(settings)).toEqual({ database: 'casebook', workgroup: 'analysts', region: 'us-east-1' });
  });
});
