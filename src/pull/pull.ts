import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { CasebookError, UsageError } from '../errors.js';
import { windowDays } from '../layout/days.js';
import { dayBelowRegion } from '../layout/keys.js';
import { DIGEST_FOLDER, TABLE_KEYS, type LogTable } from '../layout/layout.js';
import type { TimeWindow } from '../params/time.js';
import { META_SUFFIX, pool, type ObjectInfo, type ObjectSource } from '../bucket/source.js';
import { findLogFolders } from '../discover/discover.js';
import { readPullState, writePullState, type PullState } from './state.js';

/**
 * Copy the objects a window selects from a bucket into a local lake laid out like the
 * bucket (below the folder holding AWSLogs/): the day folders of the window with the
 * day of slack (the prefixes `estimate` prices), for the tables asked for, and for
 * CloudTrail the digest folders of the same days with their signatures, which live in
 * S3 object metadata and are kept in `<file>.meta.json` beside each digest.
 *
 * Resumable: each object is written to `<file>.part` and renamed when complete.
 * Incremental: an object already pulled with the same size and ETag is skipped.
 */
export interface PullOptions {
  source: ObjectSource;
  /** Where to look for AWSLogs/ in the bucket ('' or a prefix ending in '/'). */
  prefix: string;
  lake: string;
  window: TimeWindow;
  tables: LogTable[];
  accounts?: string[];
  regions?: string[];
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Called after each object is written (tests interrupt a pull with it). */
  onObject?: (key: string) => void;
  /** Milliseconds between progress messages. */
  progressEveryMs?: number;
}

export interface PullSummary {
  lake: string;
  /** s3://bucket/prefix/ the lake mirrors. */
  location: string;
  days: string[];
  prefixes: number;
  objects: number;
  downloaded: number;
  skipped: number;
  bytes: number;
  /** Digest files whose signature was kept. */
  signatures: number;
}

/** Save the state after this many downloads (and at the end). */
const SAVE_EVERY = 50;

export async function pullLake(o: PullOptions): Promise<PullSummary> {
  const bucket = o.source.bucket;
  if (!bucket) throw new UsageError('pull reads from a bucket (s3://BUCKET[/PREFIX])');
  const lake = resolve(o.lake);
  const found = await findLogFolders(o.source, { prefix: o.prefix, strict: true, signal: o.signal });
  if (found.roots.length === 0) throw new CasebookError(`no AWSLogs/ folder under s3://${bucket}/${o.prefix}`);
  if (found.roots.length > 1)
    throw new UsageError(
      `several AWSLogs/ folders under s3://${bucket}/${o.prefix}: pull one of ${found.roots.map((r) => `s3://${bucket}/${r.prefix}`).join(', ')}`,
    );
  const root = found.roots[0]!;
  const previous = readPullState(lake);
  if (previous && (previous.bucket !== bucket || previous.prefix !== root.prefix)) {
    throw new UsageError(
      `${lake} is a copy of s3://${previous.bucket}/${previous.prefix}, not of s3://${bucket}/${root.prefix}: pull into another directory`,
    );
  }
  const state: PullState = previous ?? { version: 1, bucket, prefix: root.prefix, objects: {} };
  mkdirSync(lake, { recursive: true });

  const services = new Set(
    o.tables.flatMap((t) => (t === 'cloudtrail' ? [TABLE_KEYS.cloudtrail.folder, DIGEST_FOLDER] : [TABLE_KEYS[t].folder])),
  );
  const keep = (f: { service: string; account: string; region: string }) =>
    services.has(f.service) &&
    (!o.accounts?.length || o.accounts.includes(f.account)) &&
    (!o.regions?.length || o.regions.includes(f.region));
  const { days } = windowDays(o.window);
  const prefixes = root.folders.filter(keep).flatMap((f) => days.map((day) => `${f.regionPrefix}${dayBelowRegion(day, f.hivePrefixes)}`));
  const objects: ObjectInfo[] = [];
  await pool(
    prefixes,
    o.concurrency ?? 8,
    async (p) => {
      objects.push(...(await o.source.list(p, o.signal)));
    },
    o.signal,
  );
  objects.sort((a, b) => (a.key < b.key ? -1 : 1));

  const total = objects.reduce((s, x) => s + x.size, 0);
  const summary: PullSummary = {
    lake,
    location: `s3://${bucket}/${root.prefix}`,
    days,
    prefixes: prefixes.length,
    objects: objects.length,
    downloaded: 0,
    skipped: 0,
    bytes: 0,
    signatures: 0,
  };
  let lastProgress = 0;
  let sinceSave = 0;
  const progress = (force = false) => {
    const now = Date.now();
    if (!o.onProgress || (!force && now - lastProgress < (o.progressEveryMs ?? 1000))) return;
    lastProgress = now;
    const done = summary.downloaded + summary.skipped;
    o.onProgress(
      `pull: ${done}/${objects.length} objects (${summary.downloaded} downloaded, ${summary.skipped} already here), ${mb(summary.bytes)} of ${mb(total)}`,
    );
  };
  const pathOf = (key: string) => {
    const p = resolve(lake, key.slice(root.prefix.length));
    if (!p.startsWith(lake + sep)) throw new CasebookError(`object key ${key} would be written outside ${lake}`);
    return p;
  };
  try {
    await pool(
      objects,
      o.concurrency ?? 8,
      async (obj) => {
        const path = pathOf(obj.key);
        const isDigest = obj.key.includes(`/${DIGEST_FOLDER}/`);
        const had = state.objects[obj.key];
        if (
          had &&
          had.size === obj.size &&
          had.etag === obj.etag &&
          sizeOf(path) === obj.size &&
          (!isDigest || existsSync(`${path}${META_SUFFIX}`))
        ) {
          summary.skipped++;
          progress();
          return;
        }
        const got = await o.source.get(obj.key, o.signal);
        if (!got) throw new CasebookError(`${o.source.where(obj.key)} was listed, then not found (deleted while pulling?)`);
        mkdirSync(dirname(path), { recursive: true });
        const part = `${path}.part`;
        writeFileSync(part, got.body);
        if (got.metadata.signature) {
          writeFileSync(
            `${path}${META_SUFFIX}`,
            `${JSON.stringify({ bucket, key: obj.key, etag: got.etag ?? obj.etag, metadata: got.metadata }, null, 2)}\n`,
          );
          summary.signatures++;
        }
        renameSync(part, path);
        state.objects[obj.key] = { size: got.size, ...((got.etag ?? obj.etag) ? { etag: got.etag ?? obj.etag } : {}) };
        summary.downloaded++;
        summary.bytes += got.size;
        if (++sinceSave >= SAVE_EVERY) {
          sinceSave = 0;
          writePullState(lake, state);
        }
        o.onObject?.(obj.key);
        progress();
      },
      o.signal,
    );
  } finally {
    writePullState(lake, state);
  }
  progress(true);
  return summary;
}

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

function mb(n: number): string {
  return `${(n / 1_048_576).toFixed(1)} MB`;
}
