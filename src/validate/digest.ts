import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

/**
 * CloudTrail digest files and their signatures, as AWS documents custom validation
 * ("Custom implementations of CloudTrail log file integrity validation"):
 *
 * - a digest is a gzip JSON object delivered hourly per trail and region, listing the
 *   SHA-256 of every log file delivered in its hour (over the file's decompressed
 *   content), and naming the previous digest and its signature (the chain);
 * - CloudTrail signs the string
 *   `digestEndTime \n digestS3Bucket/digestS3Object \n hex SHA-256 of the decompressed digest \n previousDigestSignature`
 *   (`null` when there is no previous digest) with SHA256withRSA, and puts the hex
 *   signature in the digest object's S3 metadata (`x-amz-meta-signature`,
 *   `x-amz-meta-signature-algorithm`);
 * - the public key is the one CloudTrail's ListPublicKeys returns for the digest's
 *   `digestPublicKeyFingerprint`: a DER-encoded PKCS#1 RSA public key.
 */

export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: string;
  newestEventTime?: string;
  oldestEventTime?: string;
}

export interface DigestFile {
  awsAccountId?: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm?: string;
  newestEventTime?: string | null;
  oldestEventTime?: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue?: string | null;
  previousDigestHashAlgorithm?: string | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogFile[];
}

/** The signature algorithm CloudTrail uses (the object's `signature-algorithm` metadata). */
export const SIGNATURE_ALGORITHM = 'SHA256withRSA';

const REQUIRED = [
  'digestStartTime',
  'digestEndTime',
  'digestS3Bucket',
  'digestS3Object',
  'digestPublicKeyFingerprint',
  'previousDigestSignature',
] as const;

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Decompress a gzip object (log and digest files are single gzip members). Throws on a damaged file or trailing data. */
export function inflate(body: Buffer): Buffer {
  return gunzipSync(body);
}

/** Parse a decompressed digest; throws with the reason when it is not one. */
export function parseDigest(inflated: Buffer): DigestFile {
  let data: unknown;
  try {
    data = JSON.parse(inflated.toString('utf8'));
  } catch {
    throw new Error('not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not a JSON object');
  const d = data as Record<string, unknown>;
  for (const k of REQUIRED) if (!(k in d)) throw new Error(`no ${k}`);
  for (const k of ['digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object', 'digestPublicKeyFingerprint'] as const) {
    if (typeof d[k] !== 'string') throw new Error(`${k} is not a string`);
  }
  if (d.logFiles !== undefined && !Array.isArray(d.logFiles)) throw new Error('logFiles is not a list');
  const logFiles = ((d.logFiles as unknown[] | undefined) ?? []).map((x, i) => {
    const f = x as Record<string, unknown>;
    if (typeof f?.s3Bucket !== 'string' || typeof f.s3Object !== 'string' || typeof f.hashValue !== 'string')
      throw new Error(`logFiles[${i}] lacks s3Bucket, s3Object or hashValue`);
    return f as unknown as DigestLogFile;
  });
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    ...(d as unknown as DigestFile),
    previousDigestS3Bucket: str(d.previousDigestS3Bucket),
    previousDigestS3Object: str(d.previousDigestS3Object),
    previousDigestSignature: str(d.previousDigestSignature),
    logFiles,
  };
}

/** The string CloudTrail signs for a digest. */
export function stringToSign(
  d: Pick<DigestFile, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previousDigestSignature'>,
  inflated: Buffer,
): string {
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${sha256Hex(inflated)}\n${d.previousDigestSignature ?? 'null'}`;
}

/** A public key from ListPublicKeys' `Value` (DER PKCS#1; base64 text or bytes). */
export function publicKeyFromValue(value: Uint8Array | string): KeyObject {
  const der = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.from(value);
  return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
}

/** Whether a hex signature is CloudTrail's SHA256withRSA signature of the text under the key. */
export function verifySignature(text: string, signatureHex: string, key: KeyObject): boolean {
  if (!/^[0-9a-f]+$/i.test(signatureHex) || signatureHex.length % 2 !== 0) return false;
  try {
    return verify('sha256', Buffer.from(text, 'utf8'), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
