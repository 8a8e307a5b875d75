import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageCacheDir, userCacheDir } from '../src/cache-dir.js';
import { tempDir } from './support/harness.js';

const tmp = tempDir('casebook-cache-dir-');
afterAll(() => tmp.cleanup());

describe('cache folders', () => {
  it("the user's: CASEBOOK_CACHE_DIR, else XDG_CACHE_HOME/casebook, else ~/.cache/casebook", () => {
    expect(userCacheDir({ CASEBOOK_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/c');
    expect(userCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/casebook');
    expect(userCacheDir({})).toMatch(/[\\/]\.cache[\\/]casebook$/);
  });

  it("the package's own .casebook/cache when it can be written, created or not yet", () => {
    const root = join(tmp.dir, 'checkout');
    mkdirSync(root);
    expect(packageCacheDir(root, { CASEBOOK_CACHE_DIR: join(tmp.dir, 'user') })).toBe(join(root, '.casebook', 'cache'));
  });

  it("the user's cache, named after the package path, when the package's cannot be made", () => {
    const root = join(tmp.dir, 'installed');
    mkdirSync(root);
    // Where .casebook cannot be a folder (as in a package the user may not write to).
    writeFileSync(join(root, '.casebook'), 'not a folder');
    const dir = packageCacheDir(root, { CASEBOOK_CACHE_DIR: join(tmp.dir, 'user') });
    expect(dir.startsWith(join(tmp.dir, 'user', 'package'))).toBe(true);
    expect(dir).toContain('installed');
  });
});
