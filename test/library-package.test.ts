/**
 * casebook as a package: `npm pack`, installed into a new project with no network; its
 * `casebook` command run, and the README's library example compiled under strict
 * TypeScript and run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REAL_LAKE, tempDir } from './support/harness.js';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The first ```ts block of the README's "## Library" section. */
function readmeLibraryExample(readme: string): string {
  const section = readme.slice(readme.indexOf('\n## Library\n'));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README has no ```ts block under "## Library"');
  return m[1]!;
}

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  [k: string]: unknown;
}

/**
 * A lock file for a project that depends on the tarball: casebook's own production
 * entries of package-lock.json, so `npm ci --offline` installs exactly those versions
 * from the npm cache (which `npm ci` in this repository filled).
 */
function lockFor(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const self = lock.packages['']!;
  const packages: Record<string, unknown> = {
    '': { name: 'library-example', dependencies: { casebook: `file:${tarball}` } },
    'node_modules/casebook': {
      version: self.version,
      resolved: `file:${tarball}`,
      dependencies: self.dependencies,
      engines: self.engines,
      bin: self.bin,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev) continue;
    const { devOptional: _d, ...rest } = entry;
    packages[path] = rest;
  }
  return { name: 'library-example', lockfileVersion: 3, requires: true, packages };
}

describe('the packed package', () => {
  const tmp = tempDir('casebook-package-');
  const project = join(tmp.dir, 'project');
  let tarball = '';
  let installedWith = '';

  beforeAll(async () => {
    // npm pack runs `prepare`: the build, declarations included.
    const packed = await run(NPM, ['pack', '--json', '--pack-destination', tmp.dir], { cwd: ROOT, maxBuffer: 64 << 20, timeout: 600_000 });
    const jsonStart = packed.stdout.indexOf('[');
    tarball = join(tmp.dir, (JSON.parse(packed.stdout.slice(jsonStart)) as { filename: string }[])[0]!.filename);
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'library-example', private: true, type: 'module', dependencies: { casebook: `file:${tarball}` } }, null, 2),
    );
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lockFor(tarball), null, 2));
    try {
      await run(NPM, ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project, timeout: 300_000 });
      installedWith = 'npm ci --offline';
    } catch (err) {
      if (!/ENOTCACHED/.test(String((err as { stderr?: string }).stderr))) throw err;
      // The npm cache lacks a dependency (node_modules was copied, not installed): unpack the
      // tarball as npm would, and link the dependencies of the lock file from this checkout.
      const modules = join(project, 'node_modules');
      mkdirSync(join(modules, 'casebook'), { recursive: true });
      await run('tar', ['-xzf', tarball, '-C', join(modules, 'casebook'), '--strip-components=1']);
      const lock = lockFor(tarball) as { packages: Record<string, unknown> };
      for (const path of Object.keys(lock.packages)) {
        const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path);
        if (!m || m[1] === 'casebook') continue;
        const name = m[1]!;
        if (!readdirSync(join(ROOT, 'node_modules', ...name.split('/').slice(0, -1))).includes(name.split('/').pop()!)) continue; // another platform's optional package
        mkdirSync(join(modules, ...name.split('/').slice(0, -1)), { recursive: true });
        symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
      }
      installedWith = 'the unpacked tarball with linked dependencies (npm cache incomplete)';
    }
    process.stderr.write(`casebook tests: library example installed with ${installedWith}\n`);
  }, 900_000);
  afterAll(() => tmp.cleanup());

  it('holds the built entry, its declarations, the pack and no tests', () => {
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules/casebook/package.json'), 'utf8')) as {
      exports: Record<string, { types: string; import: string }>;
      types: string;
    };
    expect(pkg.exports['.']).toMatchObject({ types: './dist/src/index.d.ts', import: './dist/src/index.js' });
    const files = readdirSync(join(project, 'node_modules/casebook/dist/src'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'errors.d.ts']));
    expect(readdirSync(join(project, 'node_modules/casebook'))).not.toContain('test');
    expect(readdirSync(join(project, 'node_modules/casebook/queries')).length).toBeGreaterThan(5);
  });

  it('installs a casebook command that runs: the query list, a rendered query and a query on a lake', async () => {
    const bin = join(project, 'node_modules/casebook/bin/casebook.js');
    const casebook = (...args: string[]) => run(process.execPath, [bin, ...args], { cwd: project, timeout: 120_000, maxBuffer: 64 << 20 });
    const list = JSON.parse((await casebook('list', '--format', 'json')).stdout) as { id: string }[];
    expect(list.map((q) => q.id)).toContain('who-deleted');
    expect((await casebook('render', 'who-deleted', '--resource', 'b', '--since', '2024-01-01', '--until', '2024-01-02')).stdout).toContain(
      "day BETWEEN '2024/01/01' AND '2024/01/02'",
    );
    const found = await casebook(
      ...['run', 'who-deleted', '--resource', 'stratus-red-team-cloudtraild-trail', '--lake', REAL_LAKE, '--no-store'],
      ...['--since', '2024-07-01', '--until', '2024-09-01', '--format', 'json'],
    );
    expect(JSON.parse(found.stdout)).toEqual([expect.objectContaining({ eventname: 'DeleteTrail' })]);
  });

  it('compiles the README library example under strict TypeScript and runs it', async () => {
    const example = readmeLibraryExample(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(example).toContain("from 'casebook'");
    writeFileSync(join(project, 'example.ts'), example);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noUncheckedIndexedAccess: true,
            noImplicitAny: true,
            outDir: 'out',
            typeRoots: [join(ROOT, 'node_modules/@types')],
            types: ['node'],
            skipLibCheck: true,
          },
          files: ['example.ts'],
        },
        null,
        2,
      ),
    );
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: project,
      timeout: 300_000,
    }).catch((e: { stdout: string }) => e);
    expect(tsc.stdout, 'tsc output').toBe('');
    const { stdout } = await run(process.execPath, ['out/example.js'], { cwd: project, timeout: 300_000, maxBuffer: 16 << 20 });
    expect(stdout).toMatch(/^SELECT/m);
    expect(stdout).toMatch(/DeleteBucket/);
    expect(stdout).toMatch(/^eventtime,principal,/m);
    expect(stdout).toContain('ip-investigation refused ip: ip-investigation: parameter "ip" "not-an-ip" is not an IPv4 or IPv6 address');
    expect(stdout).not.toMatch(/--ip\b/);
  });

  it('refuses deep imports: only the documented entry is public', async () => {
    writeFileSync(join(project, 'deep.mjs'), "await import('casebook/dist/src/runner.js');\n");
    const err = await run(process.execPath, ['deep.mjs'], { cwd: project }).then(
      () => undefined,
      (e: { stderr: string }) => e,
    );
    expect(err?.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
