import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { cloudTrailFileName, dayFolder, digestDayFolder, flowLogFileName, keyDay, keyMinute, keySecond } from '../../src/layout/keys.js';
import type { TestObject } from './s3-server.js';

/**
 * Objects of a bucket as CloudTrail and VPC Flow Logs deliver them: log files, and
 * hourly digest files chained and signed exactly as AWS documents it (the string to
 * sign, SHA256withRSA, the hex signature in the object's metadata), with a key made
 * here. Written independently of src/validate so that the tests check it.
 */

export interface SigningKey {
  privateKey: KeyObject;
  /** What ListPublicKeys returns for it. */
  publicKey: { Value: Uint8Array; Fingerprint: string; ValidityStartTime: Date; ValidityEndTime: Date };
}

export function signingKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'pkcs1', format: 'der' });
  return {
    privateKey,
    publicKey: {
      Value: new Uint8Array(der),
      Fingerprint: createHash('md5').update(der).digest('hex'),
      ValidityStartTime: new Date('2020-01-01T00:00:00Z'),
      ValidityEndTime: new Date('2030-01-01T00:00:00Z'),
    },
  };
}

export interface TrailSpec {
  bucket: string;
  /** Custom prefix ('' or ending in '/'). */
  prefix?: string;
  orgId?: string;
  account: string;
  region: string;
  trail: string;
  /** Start of the first digest's hour. */
  start: Date;
  hours: number;
}

export interface TrailObjects {
  objects: TestObject[];
  logKeys: string[];
  digestKeys: string[];
}

const HOUR = 3_600_000;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A gzip CloudTrail log file of a few records. */
export function cloudTrailLog(account: string, region: string, at: number, n = 3): Buffer {
  const records = Array.from({ length: n }, (_, i) => ({
    eventVersion: '1.08',
    eventTime: iso(at - 60_000 * (i + 1)),
    eventSource: 'iam.amazonaws.com',
    eventName: i % 2 ? 'ListUsers' : 'CreateUser',
    awsRegion: region,
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2',
    eventID: `${at}-${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: account,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${account}:user/alice`, accountId: account, userName: 'alice' },
  }));
  return gzipSync(JSON.stringify({ Records: records }));
}

function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** A trail's log files (two an hour) and its signed digest chain (one an hour). */
export function trailObjects(t: TrailSpec, key: SigningKey): TrailObjects {
  const prefix = t.prefix ?? '';
  const layout = {
    table: 'cloudtrail' as const,
    format: 'json' as const,
    hourly: false,
    hivePrefixes: false,
    ...(t.orgId ? { orgId: t.orgId } : {}),
  };
  const objects: TestObject[] = [];
  const logKeys: string[] = [];
  const digestKeys: string[] = [];
  let previous: { key: string; signature: string } | undefined;
  for (let h = 0; h < t.hours; h++) {
    const start = t.start.getTime() + h * HOUR;
    const end = start + HOUR;
    const logFiles = [];
    for (const minute of [5, 35]) {
      const at = start + minute * 60_000;
      const name = cloudTrailFileName(t.account, t.region, keyMinute(at), `U${h}m${minute}abcdefghij`.slice(0, 16));
      const k = `${prefix}${dayFolder(layout, { account: t.account, region: t.region, day: keyDay(at) })}${name}`;
      const body = cloudTrailLog(t.account, t.region, at);
      objects.push({ key: k, body });
      logKeys.push(k);
      logFiles.push({
        s3Bucket: t.bucket,
        s3Object: k,
        hashValue: sha256(gunzipSync(body)),
        hashAlgorithm: 'SHA-256',
        newestEventTime: iso(at - 60_000),
        oldestEventTime: iso(at - 180_000),
      });
    }
    const digestKey =
      `${prefix}${digestDayFolder({ account: t.account, region: t.region, day: keyDay(end), ...(t.orgId ? { orgId: t.orgId } : {}) })}` +
      `${t.account}_CloudTrail-Digest_${t.region}_${t.trail}_${t.region}_${keySecond(end)}.json.gz`;
    const digest = {
      awsAccountId: t.account,
      digestStartTime: iso(start),
      digestEndTime: iso(end),
      digestS3Bucket: t.bucket,
      digestS3Object: digestKey,
      digestPublicKeyFingerprint: key.publicKey.Fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: iso(end - 60_000),
      oldestEventTime: iso(start),
      previousDigestS3Bucket: previous ? t.bucket : null,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous?.signature ?? null,
      logFiles,
    };
    const { body, signature } = signDigest(digest, key);
    objects.push({ key: digestKey, body, metadata: { signature, 'signature-algorithm': 'SHA256withRSA' } });
    digestKeys.push(digestKey);
    previous = { key: digestKey, signature };
  }
  return { objects, logKeys, digestKeys };
}

/** The digest as CloudTrail writes and signs it: gzip JSON, and the hex SHA256withRSA signature of the documented string. */
export function signDigest(
  digest: { digestEndTime: string; digestS3Bucket: string; digestS3Object: string; previousDigestSignature: string | null },
  key: SigningKey,
): { body: Buffer; signature: string } {
  const json = Buffer.from(JSON.stringify(digest));
  const toSign = `${digest.digestEndTime}\n${digest.digestS3Bucket}/${digest.digestS3Object}\n${sha256(json)}\n${digest.previousDigestSignature ?? 'null'}`;
  return { body: gzipSync(json), signature: sign('sha256', Buffer.from(toSign), key.privateKey).toString('hex') };
}

/** A gzip flow-log text file with the header of its format. */
export function flowLogText(fields: string[], rows: string[][]): Buffer {
  return gzipSync(`${[fields.join(' '), ...rows.map((r) => r.join(' '))].join('\n')}\n`);
}

export function flowLogKey(o: {
  prefix?: string;
  account: string;
  region: string;
  flowLogId: string;
  at: number;
  hive?: boolean;
  hourly?: boolean;
  parquet?: boolean;
}): string {
  const layout = {
    table: 'vpc_flow_logs' as const,
    format: (o.parquet ? 'parquet' : 'text') as 'parquet' | 'text',
    hourly: Boolean(o.hourly),
    hivePrefixes: Boolean(o.hive),
  };
  const day = dayFolder(layout, { account: o.account, region: o.region, day: keyDay(o.at) });
  const hour = o.hourly ? `${o.hive ? 'hour=' : ''}${new Date(o.at).toISOString().slice(11, 13)}/` : '';
  return `${o.prefix ?? ''}${day}${hour}${flowLogFileName(o.account, o.region, o.flowLogId, keyMinute(o.at), 'a1b2c3d4', o.parquet ? '.log.parquet' : '.log.gz')}`;
}
