import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { CasebookError, UsageError, errorMessage } from '../errors.js';

/**
 * Where log objects are read from: an S3 bucket, or a local directory laid out like one
 * (a lake made by `casebook pull`, or any copy of a bucket). discover, pull and
 * validate-logs read through this one interface, so every walk works on both.
 *
 * Keys are full S3 keys (with any prefix), as CloudTrail digests name them.
 */
export type S3Api = Pick<S3Client, 'send'>;

export interface ObjectInfo {
  key: string;
  size: number;
  etag?: string;
}

export interface FetchedObject {
  body: Buffer;
  /** S3 user metadata (x-amz-meta-*), lower-case names without the prefix. */
  metadata: Record<string, string>;
  etag?: string;
  size: number;
}

export interface ObjectSource {
  /** s3://bucket or the directory: for messages. */
  readonly name: string;
  /** The bucket the keys belong to (a local lake: the bucket it was pulled from, when known). */
  readonly bucket?: string;
  /** Names of the folders directly under a prefix (ending in '/' or ''), without the trailing '/'. */
  folders(prefix: string, signal?: AbortSignal): Promise<string[]>;
  /** Every object under a prefix (recursive). */
  list(prefix: string, signal?: AbortSignal): Promise<ObjectInfo[]>;
  /** One object, or undefined when it does not exist. */
  get(key: string, signal?: AbortSignal): Promise<FetchedObject | undefined>;
  /** Where a key is, for messages: s3://bucket/key or the local path. */
  where(key: string): string;
}

/** A text safe to print on a terminal: control characters shown as \xNN (keys are chosen by whoever writes to the bucket). */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export interface S3LocationParts {
  bucket: string;
  /** Key prefix, '' or ending in '/'. */
  prefix: string;
}

/** `s3://bucket[/prefix]` as bucket and key prefix (ending in '/'). */
export function parseS3Url(text: string, what = 'location'): S3LocationParts {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text.trim());
  if (!m) throw new UsageError(`${what} "${text}" is not an S3 location (s3://BUCKET[/PREFIX])`);
  let prefix = m[2] ?? '';
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  return { bucket: m[1]!, prefix };
}

/** The sidecar file a pulled lake keeps beside an object whose S3 metadata matters (digest signatures). */
export const META_SUFFIX = '.meta.json';

function awsMessage(err: unknown, what: string): CasebookError {
  if (err instanceof CasebookError) return err;
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === 'AbortError' || e?.name === 'CancelledError') return new CasebookError(`${what}: cancelled`);
  const status = e?.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  return new CasebookError(`${what}: ${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${errorMessage(err)}${status}`, { cause: err });
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.Code === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/** Objects of an S3 bucket through ListObjectsV2 and GetObject. */
export class S3Source implements ObjectSource {
  /** ListObjectsV2 calls made. */
  listRequests = 0;
  readonly name: string;

  constructor(private readonly s3: S3Api, readonly bucket: string) {
    this.name = `s3://${bucket}`;
  }

  where(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private async page(prefix: string, delimiter: string | undefined, token: string | undefined, signal?: AbortSignal) {
    this.listRequests++;
    try {
      return await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }), { abortSignal: signal });
    } catch (err) {
      throw awsMessage(err, `S3 ListObjectsV2 s3://${this.bucket}/${prefix}`);
    }
  }

  async folders(prefix: string, signal?: AbortSignal): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.page(prefix, '/', token, signal);
      for (const p of out?.CommonPrefixes ?? []) if (p.Prefix) names.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
      token = out?.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return names;
  }

  async list(prefix: string, signal?: AbortSignal): Promise<ObjectInfo[]> {
    const objects: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const out = await this.page(prefix, undefined, token, signal);
      for (const o of out?.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        objects.push({ key: o.Key, size: o.Size ?? 0, ...(o.ETag ? { etag: o.ETag } : {}) });
      }
      token = out?.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  async get(key: string, signal?: AbortSignal): Promise<FetchedObject | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
      const body = Buffer.from(await out.Body!.transformToByteArray());
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(out.Metadata ?? {})) metadata[k.toLowerCase()] = v;
      return { body, metadata, size: body.length, ...(out.ETag ? { etag: out.ETag } : {}) };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw awsMessage(err, `S3 GetObject ${this.where(key)}`);
    }
  }
}

/**
 * A local directory laid out like a bucket. `root` holds the objects below `keyPrefix`
 * (a lake pulled from s3://bucket/prefix/ holds `AWSLogs/...` and keys are
 * `prefix/AWSLogs/...`). Metadata comes from `<file>.meta.json` sidecars written by pull.
 */
export class LocalSource implements ObjectSource {
  readonly name: string;

  constructor(readonly root: string, readonly keyPrefix = '', readonly bucket?: string) {
    this.root = resolve(root);
    this.name = this.root;
  }

  private path(key: string): string | undefined {
    if (!key.startsWith(this.keyPrefix)) return undefined;
    const rel = key.slice(this.keyPrefix.length);
    const p = resolve(this.root, rel);
    return p === this.root || p.startsWith(this.root + sep) ? p : undefined;
  }

  where(key: string): string {
    return this.path(key) ?? `${this.root}${sep}(outside the lake: ${key})`;
  }

  async folders(prefix: string): Promise<string[]> {
    const dir = this.dirOf(prefix);
    if (dir === undefined) return [];
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
    } catch {
      return [];
    }
  }

  /** A prefix that names a folder ('' or ending in '/'), as a directory path; undefined when outside the lake. */
  private dirOf(prefix: string): string | undefined {
    if (prefix === '' && this.keyPrefix === '') return this.root;
    if (this.keyPrefix.startsWith(prefix) && prefix !== this.keyPrefix) return undefined;
    return this.path(prefix);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const dir = this.dirOf(prefix.endsWith('/') || prefix === '' ? prefix : prefix.slice(0, prefix.lastIndexOf('/') + 1));
    if (dir === undefined) return [];
    const out: ObjectInfo[] = [];
    const walk = async (d: string, keyBase: string) => {
      let entries;
      try {
        entries = await readdir(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const key = `${keyBase}${e.name}`;
        if (e.isDirectory()) await walk(join(d, e.name), `${key}/`);
        else if (e.isFile() && !e.name.endsWith(META_SUFFIX) && !e.name.endsWith('.part') && !e.name.startsWith('.') && key.startsWith(prefix)) {
          out.push({ key, size: (await stat(join(d, e.name))).size });
        }
      }
    };
    const base = prefix.endsWith('/') || prefix === '' ? prefix : prefix.slice(0, prefix.lastIndexOf('/') + 1);
    await walk(dir, base);
    return out;
  }

  async get(key: string): Promise<FetchedObject | undefined> {
    const p = this.path(key);
    if (!p) return undefined;
    let body: Buffer;
    try {
      body = await readFile(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CasebookError(`cannot read ${p}: ${errorMessage(err)}`);
    }
    let metadata: Record<string, string> = {};
    try {
      const side = JSON.parse(await readFile(`${p}${META_SUFFIX}`, 'utf8')) as { metadata?: Record<string, string> };
      if (side && typeof side.metadata === 'object' && side.metadata) metadata = side.metadata;
    } catch {
      // No sidecar: a plain copy keeps no S3 metadata.
    }
    return { body, metadata, size: body.length };
  }
}

/** Run `work` over `items` with at most `size` at a time. */
export async function pool<T>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async () => {
    while (next < items.length) {
      if (signal?.aborted) throw new CasebookError('cancelled');
      const i = next++;
      await work(items[i]!, i);
    }
  });
  await Promise.all(workers);
}
