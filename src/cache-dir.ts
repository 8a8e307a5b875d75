import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The user's cache folder for what casebook may recompute but need not:
 * CASEBOOK_CACHE_DIR, else $XDG_CACHE_HOME/casebook, else ~/.cache/casebook.
 */
export function userCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.CASEBOOK_CACHE_DIR) return resolve(env.CASEBOOK_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return join(resolve(env.XDG_CACHE_HOME), 'casebook');
  return join(homedir(), '.cache', 'casebook');
}
