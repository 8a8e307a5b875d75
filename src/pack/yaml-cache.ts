/**
 * Parsed YAML (table definitions, and query metadata when the pack cache misses),
 * cached as JSON: loading the YAML parser and parsing even the small metadata files
 * costs `render` and `run` a few hundred milliseconds of start-up (measured when the
 * test cases moved out of the metadata); JSON.parse of the same data takes
 * milliseconds. An entry is used only while its
 * file has the same size and modification time; the cache lives in `.casebook/` of
 * the package (gitignored), or in the user's cache where the package is not writable
 * (src/cache-dir.ts), and is skipped silently where neither is.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageCacheDir, readCacheFile, writeCacheFile } from '../cache-dir.js';
import { createRequire } from 'node:module';
import type { parse as ParseYaml } from 'yaml';

interface Entry {
  size: number;
  mtimeMs: number;
  value: unknown;
}

const FORMAT = 'casebook-yaml-cache/2-merge';
let file: string | undefined;
let entries: Record<string, Entry> | undefined;
let dirty = false;

function load(cacheFile: string): Record<string, Entry> {
  if (entries && file === cacheFile) return entries;
  file = cacheFile;
  entries = {};
  const data = readCacheFile<{ format: string; entries?: Record<string, Entry> }>(cacheFile, FORMAT);
  // No cache yet, or an unreadable one: start empty.
  if (data?.entries) entries = data.entries;
  return entries;
}

/** The parsed YAML of `path` (throws the parser's error for invalid YAML, uncached). */
export function readYamlCached(path: string, cacheFile: string): unknown {
  const cache = load(cacheFile);
  const st = statSync(path);
  const hit = cache[path];
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.value;
  // The YAML parser is loaded only on a cache miss.
  const parseYaml = (createRequire(import.meta.url)('yaml') as { parse: typeof ParseYaml }).parse;
  const value = parseYaml(readFileSync(path, 'utf8'), { merge: true }) as unknown;
  cache[path] = { size: st.size, mtimeMs: st.mtimeMs, value };
  dirty = true;
  return value;
}

/** Write the cache if it changed; never fails the command. */
export function flushYamlCache(): void {
  if (!dirty || !file || !entries) return;
  if (writeCacheFile(file, { format: FORMAT, entries })) dirty = false;
}

export function yamlCacheFile(root: string): string {
  return join(packageCacheDir(root), 'pack-yaml.json');
}
