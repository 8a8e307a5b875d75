import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root: the folder holding package.json, queries/ and schemas/ (works from src/ and dist/src/). */
export function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'queries'))) {
      root = dir;
      return root;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the casebook package root');
    dir = up;
  }
}

/** The lake `casebook run` reads when no --lake is given: the generated sample lake. */
export function defaultLakeDir(): string {
  return resolve(projectRoot(), 'sample-lake');
}
