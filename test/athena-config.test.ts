import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { configArg, parseConfig } from '../src/config.js';
import { ATHENA } from '../src/engines/athena/settings.js';
import { AWS } from '../src/aws/settings.js';
import { envName, rawValue, resolveSection } from '../src/settings/model.js';

/** The Athena engine's settings and AWS access, from one lookup of options by name. */
function resolveAthenaSettings(get: (option: string) => unknown) {
  const argv = Object.fromEntries([...Object.values(ATHENA.options), ...Object.values(AWS.options)].map((o) => [o.flag, get(o.flag)]));
  const src = { argv, env: {}, config: {} };
  return { ...resolveSection(ATHENA, src), ...resolveSection(AWS, src) };
}

describe('config file', () => {
  it('reads the sections, keys as option names, lists as YAML lists or comma text', () => {
    const c = parseConfig(
      [
        'engine: athena',
        'athena: { database: sec, max-scan: 20GB, price-per-tb: 6 }',
        'lake:',
        '  location: s3://b/p/',
        '  accounts: [111122223333, "444455556666"]',
        '  regions: us-east-1, eu-west-1',
        '  start-date: 2024/01/01',
        'setup: { dry-run: true }',
      ].join('\n'),
      'c.yaml',
    );
    expect(c.engine).toBe('athena');
    expect(c.athena).toEqual({ database: 'sec', 'max-scan': '20GB', 'price-per-tb': 6 });
    expect(c.lake.accounts).toEqual(['111122223333', '444455556666']);
    expect(c.lake.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(c.lake['start-date']).toBe('2024/01/01');
    expect(c.setup).toEqual({ 'dry-run': true });
    expect(parseConfig('', 'empty.yaml').athena).toEqual({});
  });

  it('names the file and the key at fault', () => {
    expect(() => parseConfig('athena: { databse: x }', 'c.yaml')).toThrow('c.yaml: unknown key athena.databse (did you mean database?)');
    expect(() => parseConfig('engin: athena', 'c.yaml')).toThrow('c.yaml: unknown key engin (did you mean engine?)');
    expect(() => parseConfig('athena: { price-per-tb: -1 }', 'c.yaml')).toThrow(/^c\.yaml: athena\.price-per-tb: /);
    expect(() => parseConfig('athena: [', 'c.yaml')).toThrow(/^c\.yaml: not valid YAML/);
  });

  it('takes the command line, then CASEBOOK_*, then the file', () => {
    const config = parseConfig('athena: { workgroup: file, database: file }');
    const get = (argv: Record<string, unknown>, env: Record<string, string>) => (o: keyof typeof ATHENA.options) =>
      rawValue(ATHENA, ATHENA.options[o], { argv, env, config });
    expect(get({}, {})('workgroup')).toBe('file');
    expect(get({}, { CASEBOOK_WORKGROUP: 'env' })('workgroup')).toBe('env');
    expect(get({ workgroup: 'cli' }, { CASEBOOK_WORKGROUP: 'env' })('workgroup')).toBe('cli');
    expect(get({ workgroup: ['a', 'b'] }, {})('workgroup')).toBe('b');
    expect(envName('output-location')).toBe('CASEBOOK_OUTPUT_LOCATION');
    expect(configArg(['run', 'x', '--config=my.yaml'])).toBe('my.yaml');
    expect(configArg(['run', '--config', 'my.yaml'])).toBe('my.yaml');
  });

  it('validates Athena settings', () => {
    const s = resolveAthenaSettings(
      (o) =>
        (
          ({ 'max-scan': '1.5TB', reuse: '90', timeout: '45s', 'output-location': 's3://r-bucket/x', region: 'eu-west-1' }) as Record<
            string,
            unknown
          >
        )[o],
    );
    expect(s).toMatchObject({
      maxScanBytes: 1.5e12,
      reuseMaxAgeMinutes: 90,
      timeoutMs: 45_000,
      outputLocation: 's3://r-bucket/x/',
      region: 'eu-west-1',
      pricePerTb: 5,
    });
    expect(() => resolveAthenaSettings((o) => (o === 'region' ? 'Frankfurt' : undefined))).toThrow(
      '--region "Frankfurt" is not an AWS region',
    );
    expect(() => resolveAthenaSettings((o) => (o === 'workgroup' ? 'bad name' : undefined))).toThrow(
      '--workgroup "bad name" is not a workgroup name',
    );
    expect(() => resolveAthenaSettings((o) => (o === 'endpoint-url' ? 'localhost:4566' : undefined))).toThrow('is not an http(s) URL');
  });
});

/**
 * `casebook list`, `show` and `render` must not load the AWS SDK: no module the CLI
 * imports statically (without `await import`) may import `@aws-sdk/*` or the Athena
 * engine code that does.
 */
describe('the CLI loads the AWS SDK only when it calls AWS', () => {
  it('has no static import path from src/cli/exec.ts to @aws-sdk', () => {
    const root = resolve(__dirname, '..');
    const seen = new Map<string, string[]>();
    const offenders: string[] = [];
    const walk = (file: string, path: string[]) => {
      if (seen.has(file)) return;
      seen.set(file, path);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('@aws-sdk/')) {
          offenders.push([...path, file, spec].map((p) => p.replace(`${root}/`, '')).join(' -> '));
          continue;
        }
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        if (existsSync(target)) walk(target, [...path, file]);
      }
    };
    walk(resolve(root, 'src/cli/exec.ts'), []);
    // Commands load on use: each that may run without AWS is walked too.
    for (const command of ['list', 'show', 'render', 'run', 'report', 'verify', 'sample', 'import', 'ddl', 'schema']) {
      walk(resolve(root, `src/cli/commands/${command}.ts`), []);
    }
    expect(seen.size).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});

describe('one config file for setup, run and estimate', () => {
  it('reads the keys casebook setup writes as the Athena database and the lake', () => {
    const c = parseConfig(
      [
        'database: security_logs',
        'aws_region: eu-west-1',
        'bucket: my-logs',
        'prefix: org/',
        "accounts: ['011122223333', '444455556666']",
        'cloudtrail: { org_id: o-exampleorgid }',
        'vpc_flow_logs: { location: s3://flow-bucket/x/, hourly: true, file_format: parquet, hive_prefixes: true }',
        'athena: { workgroup: analysts }',
      ].join('\n'),
      'c.yaml',
    );
    expect(c.athena).toEqual({ workgroup: 'analysts', database: 'security_logs', region: 'eu-west-1' });
    expect(c.lake).toEqual({
      location: 's3://my-logs/org/',
      'flowlogs-location': 's3://flow-bucket/x/',
      accounts: ['011122223333', '444455556666'],
      'org-id': 'o-exampleorgid',
      hourly: true,
      'hive-prefixes': true,
      parquet: true,
    });
    // The sections win over the top-level keys.
    expect(parseConfig('database: a\nathena: { database: b }').athena.database).toBe('b');
    expect(() => parseConfig('accounts: [11122223333]', 'c.yaml')).toThrow(
      "c.yaml: accounts: 11122223333 was read as a number and lost its leading zeros: quote account ids ('011122223333')",
    );
  });
});
