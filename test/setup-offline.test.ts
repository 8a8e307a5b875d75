/**
 * `casebook setup --dry-run` with no AWS at all shows what it would create; and no
 * dependency's warning text (the AWS SDK's Node.js version notice) reaches stderr.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cli } from './support/cli.js';
import { tempDir } from './support/harness.js';
import { catalogForDryRun, EMPTY_CATALOG } from '../src/glue/offline.js';
import { quietDependencyWarnings } from '../src/cli/warnings.js';

const ROOT = resolve(__dirname, '..');
const CT = [
  '--location',
  's3://trail-bucket/',
  '--accounts',
  '111122223333',
  '--regions',
  'us-east-1',
  '--start-date',
  '2024/01/01',
  '--tables',
  'cloudtrail',
];

/** An environment with no AWS credentials, profile, region or instance metadata. */
function noAws(dir: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_REGION: '',
    AWS_DEFAULT_REGION: '',
    AWS_CONFIG_FILE: join(dir, 'none-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
    AWS_WEB_IDENTITY_TOKEN_FILE: '',
  };
}

describe('setup --dry-run without AWS', () => {
  const tmp = tempDir('casebook-offline-');
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    ['no region', []],
    ['a region but no credentials', ['--aws-region', 'us-east-1']],
  ])('with %s: shows the database and table it would create, and says why it could not compare', async (_label, extra) => {
    for (const [k, v] of Object.entries(noAws(tmp.dir))) vi.stubEnv(k, v === '' ? undefined : v);
    const r = await cli(['setup', '--dry-run', ...CT, ...extra]);
    expect(r.stderr).toMatch(/^note: cannot read the Glue catalog, so this shows everything as new \(no AWS (region|credentials)/m);
    expect(r.stderr).toContain('dry run: nothing was changed');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('database casebook: would create');
    expect(r.stdout).toMatch(/^table cloudtrail: would create \(layout /m);
    expect(r.stdout).toContain('"storage.location.template": "s3://trail-bucket/AWSLogs/${account}/CloudTrail/${region}/${day}"');
  });

  it('without --dry-run the same missing credentials are an error', async () => {
    for (const [k, v] of Object.entries(noAws(tmp.dir))) vi.stubEnv(k, v === '' ? undefined : v);
    const r = await cli(['setup', ...CT, '--aws-region', 'us-east-1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^casebook: no AWS credentials found/);
  });

  it('compares with Glue when it answers', async () => {
    const glue = { send: vi.fn(async () => ({ Database: { Name: 'casebook' } })) };
    expect(await catalogForDryRun(glue, 'casebook', undefined)).toEqual({ glue });
    const missing = {
      send: vi.fn(async () => {
        throw Object.assign(new Error('no'), { name: 'EntityNotFoundException' });
      }),
    };
    expect(await catalogForDryRun(missing, 'casebook', undefined)).toEqual({ glue: missing });
    const denied = {
      send: vi.fn(async () => {
        throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
      }),
    };
    const r = await catalogForDryRun(denied, 'casebook', undefined);
    expect(r.glue).toBe(EMPTY_CATALOG);
    expect(r.note).toContain('access denied: Glue refused GetDatabase on database casebook');
  });
});

describe('dependency warnings', () => {
  it('are not printed, except with --debug', () => {
    const before = process.listeners('warning');
    const lines: string[] = [];
    try {
      quietDependencyWarnings(false, (t) => lines.push(t));
      process.emit(
        'warning',
        Object.assign(new Error('The AWS SDK for JavaScript (v3)\nwill require node >=22.'), { name: 'NodeVersionSupportWarning' }),
      );
      expect(lines).toEqual([]);
      expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
      process.removeAllListeners('warning');
      quietDependencyWarnings(true, (t) => lines.push(t));
      process.emit('warning', Object.assign(new Error('a\nb'), { name: 'SomeWarning' }));
      expect(lines).toEqual(['casebook: (debug) SomeWarning: a b\n']);
    } finally {
      process.removeAllListeners('warning');
      for (const l of before) process.on('warning', l);
    }
  });

  it('the process running `setup --dry-run` under this Node prints no third-party warning', async () => {
    const tmp = tempDir('casebook-warn-');
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/main.ts'), 'setup', '--dry-run', ...CT, '--aws-region', 'us-east-1'],
        {
          cwd: tmp.dir,
          env: { ...process.env, ...noAws(tmp.dir), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' },
          timeout: 60_000,
        },
      );
      expect(stdout).toContain('table cloudtrail: would create');
      expect(stderr).not.toMatch(/Warning|AWS SDK for JavaScript|node >=/);
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^note: cannot read the Glue catalog, so this shows everything as new \(no AWS credentials found/),
        'dry run: nothing was changed',
      ]);
    } finally {
      tmp.cleanup();
    }
  });
});
