import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CasebookError } from '../errors.js';

export const LOCK_FILE = '.import.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Hold the store's import lock (a file created exclusively, holding the owner's pid):
 * two imports into one store would write the same temporary and manifest files. A lock
 * left by a process that no longer runs (killed) is taken over. Returns the release.
 */
export function lockStore(store: string): () => void {
  const file = join(store, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readLock(file), 10);
      if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new CasebookError(`store ${store} is being imported by another casebook process (pid ${pid}); wait for it to finish`);
      }
      if (pid === process.pid) throw new CasebookError(`store ${store} is already being imported by this process`);
      rmSync(file, { force: true });
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return () => rmSync(file, { force: true });
  }
  throw new CasebookError(`cannot take the import lock ${file}; delete it if no import is running`);
}

function readLock(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** A file-system refusal (read-only, no permission, disk full) as one line naming the path; anything else unchanged. */
export function fileSystemError(err: unknown, what: string): unknown {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is not a directory',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
  };
  const reason = e && typeof e.code === 'string' ? reasons[e.code] : undefined;
  if (!reason) return err;
  return new CasebookError(`cannot write ${what}${e.path ? ` (${e.path})` : ''}: ${reason}`, { cause: err });
}
