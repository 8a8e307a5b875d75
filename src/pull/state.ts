import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CasebookError } from '../errors.js';
import { LocalSource } from '../bucket/source.js';

/**
 * What `casebook pull` remembers in a lake: the bucket and prefix it mirrors (so that
 * validate-logs can check digests against the keys they name), and the size and ETag
 * of every object it downloaded (so that the next pull skips them).
 */
export const PULL_STATE_FILE = '.casebook-pull.json';

export interface PulledObject {
  size: number;
  etag?: string;
}

export interface PullState {
  version: 1;
  bucket: string;
  /** The key prefix the lake's root stands for ('' or ending in '/'). */
  prefix: string;
  /** Object key (full S3 key) -> what was downloaded. */
  objects: Record<string, PulledObject>;
}

export function readPullState(lake: string): PullState | undefined {
  const file = join(lake, PULL_STATE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as PullState;
    if (
      s?.version !== 1 ||
      typeof s.bucket !== 'string' ||
      typeof s.prefix !== 'string' ||
      typeof s.objects !== 'object' ||
      s.objects === null
    )
      throw new Error('not a pull state');
    return s;
  } catch (err) {
    throw new CasebookError(`${file}: ${(err as Error).message}; delete it to pull afresh`);
  }
}

/** Write the state (temp file, then rename: an interrupted write leaves the previous state). */
export function writePullState(lake: string, state: PullState): void {
  const file = join(lake, PULL_STATE_FILE);
  const tmp = `${file}.part`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`);
  renameSync(tmp, file);
}

/**
 * A lake as an object source: keys are the bucket's keys when `pull` made the lake (its
 * state names the bucket and prefix), else the lake's own paths.
 */
export function lakeSource(lake: string): LocalSource {
  if (!existsSync(lake)) throw new CasebookError(`lake ${lake} does not exist`);
  const state = readPullState(lake);
  return state ? new LocalSource(lake, state.prefix, state.bucket) : new LocalSource(lake);
}
