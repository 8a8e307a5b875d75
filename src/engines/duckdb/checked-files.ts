import { createHash } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { readCacheFile, userCacheDir, writeCacheFile } from '../../cache-dir.js';

/**
 * The log files the input pre-check (guard.ts) found safe, remembered across runs.
 *
 * The pre-check inflates every gzip file before DuckDB reads it: on a lake of many small
 * files that is as much work again as the query itself. Delivered log files do not
 * change, so a file checked once under the same limits is not checked again while it is
 * the same file: same size, modification time, change time and inode. The change time
 * cannot be set back by a user (copying a file over with its old modification time
 * still changes it), so a file rewritten in place is checked again.
 *
 * One JSON file per lake (the folder above AWSLogs/) and set of limits, in the user's
 * cache folder (src/cache-dir.ts). A cache that cannot be read or written is ignored:
 * the files are then checked every run, as before.
 */

const FORMAT = 'casebook-checked-files/1';

/** What identifies a file's content without reading it. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

const identity = (f: FileIdentity) => `${f.size}:${f.mtimeMs}:${f.ctimeMs}:${f.ino}`;

/** The folder a log file's lake starts at: above AWSLogs/ when the path has it, else the file's folder. */
function lakeRoot(path: string): string {
  const i = path.lastIndexOf(`${sep}AWSLogs${sep}`);
  return i >= 0 ? path.slice(0, i) : dirname(path);
}

interface CacheFile {
  format: string;
  root: string;
  limits: unknown;
  files: Record<string, string>;
}

export class CheckedFiles {
  private readonly lakes = new Map<string, { file: string; files: Record<string, string>; added: number }>();

  constructor(
    private readonly limits: unknown,
    private readonly dir: string = join(userCacheDir(), 'checked-files'),
  ) {}

  private lake(root: string) {
    let lake = this.lakes.get(root);
    if (!lake) {
      const key = createHash('sha256')
        .update(JSON.stringify([root, this.limits]))
        .digest('hex')
        .slice(0, 24);
      const file = join(this.dir, `${key}.json`);
      lake = { file, files: read(file, root, this.limits), added: 0 };
      this.lakes.set(root, lake);
    }
    return lake;
  }

  /** Whether this file, as it is now, was found safe before. */
  has(path: string, id: FileIdentity): boolean {
    const root = lakeRoot(path);
    return this.lake(root).files[relative(root, path)] === identity(id);
  }

  /** Remember a file found safe (written by `save`). */
  add(path: string, id: FileIdentity): void {
    const root = lakeRoot(path);
    const lake = this.lake(root);
    lake.files[relative(root, path)] = identity(id);
    lake.added++;
  }

  /** Write what was added, merged with what another run may have written meanwhile. */
  save(): void {
    for (const [root, lake] of this.lakes) {
      if (lake.added === 0) continue;
      const files = { ...read(lake.file, root, this.limits), ...lake.files };
      // A read-only or full cache folder: the files are checked again next run.
      if (writeCacheFile(lake.file, { format: FORMAT, root, limits: this.limits, files } satisfies CacheFile)) lake.added = 0;
    }
  }
}

function read(file: string, root: string, limits: unknown): Record<string, string> {
  const data = readCacheFile<CacheFile>(file, FORMAT);
  const valid =
    data !== undefined &&
    data.root === root &&
    JSON.stringify(data.limits) === JSON.stringify(limits) &&
    data.files !== null &&
    typeof data.files === 'object';
  return valid ? data.files : {};
}
