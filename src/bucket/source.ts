import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { CasebookError, UsageError, errorMessage } from '../errors.js';
import { awsCall } from '../aws/call.js';
import { explainAwsError } from '../aws/errors.js';
import { DEFAULT_TIMEOUT_MS, type AwsSettings } from '../aws/settings.js';

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

/** A text safe to print on a terminal (keys are chosen by whoever writes to the bucket): the one escaper. */
export { escapeTerminal as printable } from '../format/escape.js';

export interface S3LocationParts {
  bucket: string;
  /** Key prefix, '' or ending in '/'. */
  prefix: string;
}

/** `s3://bucket[/prefix]` as bucket and key prefix (ending in '/'). */
/** s3://BUCKET[/PREFIX] as its bucket and its key prefix ('' or ending in '/'). */
export function parseS3Url(text: string, what = 'location'): S3LocationParts {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text.trim());
  if (!m) throw new UsageError(`${what} "${text}" is not an S3 location (s3://BUCKET[/PREFIX])`);
  let prefix = m[2] ?? '';
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  return { bucket: m[1]!, prefix };
}

/** The sidecar file a pulled lake keeps beside an object whose S3 metadata matters (digest signatures). */
export const META_SUFFIX = '.meta.json';

/** What an S3 source needs of the AWS settings: the call path's limits, and what messages name. */
export type S3CallSettings = Partial<Pick<AwsSettings, 'timeoutMs' | 'retries' | 'region' | 'endpointUrl' | 'profile'>>;

/** A ListObjectsV2 walk stops after this many pages of one prefix (a server repeating its token never ends). */
const MAX_LIST_PAGES = 100_000;

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.Code === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/** Objects of an S3 bucket through ListObjectsV2 and GetObject. */
export class S3Source implements ObjectSource {
  /** ListObjectsV2 calls made. */
  listRequests = 0;
  readonly name: string;

  constructor(
    private readonly s3: S3Api,
    readonly bucket: string,
    private readonly aws: S3CallSettings = {},
  ) {
    this.name = `s3://${bucket}`;
  }

  /** One S3 call through casebook's AWS call path (time limit, retries, cancellation, one error map). */
  private async call<T>(
    operation: string,
    location: string,
    send: (abortSignal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const timeoutMs = this.aws.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      return await awsCall(operation, send, {
        timeoutMs,
        retry: this.aws.retries === undefined ? undefined : { attempts: this.aws.retries + 1 },
        signal,
      });
    } catch (err) {
      if (isNotFound(err)) throw err;
      throw explainAwsError(err, {
        service: 'S3',
        operation,
        location,
        region: this.aws.region,
        endpoint: this.aws.endpointUrl,
        profile: this.aws.profile,
        timeoutMs,
      });
    }
  }

  where(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private async page(prefix: string, delimiter: string | undefined, token: string | undefined, signal?: AbortSignal) {
    this.listRequests++;
    const command = new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token });
    return await this.call(
      'ListObjectsV2',
      `s3://${this.bucket}/${prefix}`,
      (abortSignal) => this.s3.send(command, { abortSignal }),
      signal,
    );
  }

  /** Every page of one listing; stops with a clear error on a repeated continuation token or too many pages. */
  private async *pages(prefix: string, delimiter: string | undefined, signal?: AbortSignal) {
    const seen = new Set<string>();
    let token: string | undefined;
    for (let n = 0; ; n++) {
      if (n >= MAX_LIST_PAGES)
        throw new CasebookError(`S3 ListObjectsV2 s3://${this.bucket}/${prefix}: more than ${MAX_LIST_PAGES} pages; stopped`);
      const out = await this.page(prefix, delimiter, token, signal);
      yield out;
      token = out?.IsTruncated ? out.NextContinuationToken : undefined;
      if (token === undefined) return;
      if (seen.has(token))
        throw new CasebookError(
          `S3 ListObjectsV2 s3://${this.bucket}/${prefix}: the server repeated a continuation token; stopped rather than list forever`,
        );
      seen.add(token);
    }
  }

  async folders(prefix: string, signal?: AbortSignal): Promise<string[]> {
    const names: string[] = [];
    for await (const out of this.pages(prefix, '/', signal)) {
      for (const p of out?.CommonPrefixes ?? []) if (p.Prefix) names.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
    }
    return names;
  }

  async list(prefix: string, signal?: AbortSignal): Promise<ObjectInfo[]> {
    const objects: ObjectInfo[] = [];
    for await (const out of this.pages(prefix, undefined, signal)) {
      for (const o of out?.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        objects.push({ key: o.Key, size: o.Size ?? 0, ...(o.ETag ? { etag: o.ETag } : {}) });
      }
    }
    return objects;
  }

  async get(key: string, signal?: AbortSignal): Promise<FetchedObject | undefined> {
    try {
      const command = new GetObjectCommand({ Bucket: this.bucket, Key: key });
      const out = await this.call('GetObject', this.where(key), (abortSignal) => this.s3.send(command, { abortSignal }), signal);
      const body = Buffer.from(await out.Body!.transformToByteArray());
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(out.Metadata ?? {})) metadata[k.toLowerCase()] = v;
      return { body, metadata, size: body.length, ...(out.ETag ? { etag: out.ETag } : {}) };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      if (err instanceof CasebookError) throw err;
      throw new CasebookError(`S3 GetObject ${this.where(key)}: ${errorMessage(err)}`, { cause: err });
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

  constructor(
    readonly root: string,
    readonly keyPrefix = '',
    readonly bucket?: string,
  ) {
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
      return entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
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
      let entries: Dirent[];
      try {
        entries = await readdir(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const key = `${keyBase}${e.name}`;
        if (e.isDirectory()) await walk(join(d, e.name), `${key}/`);
        else if (
          e.isFile() &&
          !e.name.endsWith(META_SUFFIX) &&
          !e.name.endsWith('.part') &&
          !e.name.startsWith('.') &&
          key.startsWith(prefix)
        ) {
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
export async function pool<T>(
  items: readonly T[],
  size: number,
  work: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
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
