import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, PutObjectCommand, DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
// s3rver ships no types; its constructor and run/close are all the tests use.
// @ts-expect-error untyped module
import S3rver from 's3rver';

interface ListingStore {
  listObjects(
    bucket: string,
    o: { delimiter?: string; prefix?: string; startAfter?: string; maxKeys?: number },
  ): Promise<{ objects: { key: string }[]; commonPrefixes: string[]; isTruncated: boolean }>;
}

/**
 * s3rver 3.7's file store finds a common prefix only when an object sits directly in
 * its folder (it stops walking below the first delimiter), so `AWSLogs/` is not listed
 * for `AWSLogs/<account>/CloudTrail/...` keys. List without the delimiter and fold the
 * keys into common prefixes, as S3 does.
 */
function fixDelimiterListing(store: ListingStore): void {
  const list = store.listObjects.bind(store);
  store.listObjects = async (bucket, o) => {
    if (!o.delimiter) return list(bucket, o);
    const all = await list(bucket, { ...o, delimiter: '', maxKeys: Infinity });
    const prefix = o.prefix ?? '';
    const commonPrefixes = new Set<string>();
    const objects = [];
    for (const obj of all.objects) {
      const idx = obj.key.slice(prefix.length).indexOf(o.delimiter);
      if (idx >= 0) commonPrefixes.add(obj.key.slice(0, prefix.length + idx + 1));
      else objects.push(obj);
    }
    return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated: false };
  };
}

/** s3rver's fixed credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TestObject {
  key: string;
  body: Buffer | string;
  metadata?: Record<string, string>;
}

/** A real S3-compatible server (s3rver) on 127.0.0.1, on a random port, storing in a temp directory. */
export class TestS3Server {
  endpoint = '';
  client!: S3Client;
  private server: { run(): Promise<AddressInfo>; close(): Promise<void> } | undefined;
  private dir = '';

  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'casebook-s3rver-'));
    this.server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: this.dir });
    fixDelimiterListing((this.server as unknown as { store: ListingStore }).store);
    const addr = await this.server!.run();
    this.endpoint = `http://127.0.0.1:${addr.port}`;
    this.client = new S3Client({
      region: 'us-east-1',
      endpoint: this.endpoint,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async stop(): Promise<void> {
    this.client?.destroy();
    await this.server?.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  async bucket(name: string, objects: TestObject[]): Promise<void> {
    await this.client.send(new CreateBucketCommand({ Bucket: name }));
    for (const o of objects) await this.put(name, o);
  }

  async put(bucket: string, o: TestObject): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: o.body, Metadata: o.metadata }));
  }

  async delete(bucket: string, key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
}
