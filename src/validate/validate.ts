import { windowDays } from '../layout/days.js';
import { DIGEST_FOLDER, TABLE_KEYS } from '../layout/layout.js';
import { parseDigestFileName, parseFileName, parseKey, stampMs, type ParsedDigestName } from '../layout/parse.js';
import type { TimeWindow } from '../params/time.js';
import { pool, type ObjectSource } from '../bucket/source.js';
import { findLogFolders, type FoundFolder } from '../discover/discover.js';
import { inflate, parseDigest, sha256Hex, SIGNATURE_ALGORITHM, stringToSign, verifySignature, type DigestFile } from './digest.js';
import type { PublicKeyLookup } from './public-keys.js';

/**
 * CloudTrail log file integrity validation over a window, on a bucket or on a lake
 * made by `casebook pull` (AWS's documented custom validation; the AWS CLI's
 * `validate-logs` is the reference behaviour):
 *
 * 1. every digest file delivered on the window's days (with the day of slack) is read,
 *    checked to sit where it says it was delivered, and its SHA256withRSA signature
 *    verified with the CloudTrail public key its fingerprint names;
 * 2. each trail's digests form a chain: each names the previous one and its signature;
 *    a digest the chain names but that is not there is missing, and a link that does
 *    not match breaks the chain;
 * 3. every log file a signed digest lists is hashed (SHA-256 of its decompressed
 *    content) and compared with the digest;
 * 4. every log file delivered on those days that no digest lists is reported.
 */

export type FileStatus = 'valid' | 'modified' | 'missing' | 'not-covered' | 'chain-broken' | 'signature-invalid' | 'unverified';

/** Statuses that are problems (all but valid). */
export const PROBLEM_STATUSES: readonly FileStatus[] = [
  'modified',
  'missing',
  'not-covered',
  'chain-broken',
  'signature-invalid',
  'unverified',
];

export interface FileResult {
  kind: 'digest' | 'log';
  /** The S3 key. */
  key: string;
  status: FileStatus;
  /** Why, for anything but valid. */
  detail?: string;
  account?: string;
  region?: string;
  trail?: string;
  /** Log files: the digest that lists it. */
  digest?: string;
}

export interface TrailChain {
  trail: string;
  account: string;
  region: string;
  homeRegion: string;
  orgId?: string;
  digests: number;
  firstDigestEnd?: string;
  lastDigestEnd?: string;
}

export interface Counts {
  total: number;
  valid: number;
  problems: number;
  byStatus: Partial<Record<FileStatus, number>>;
}

export interface ValidationReport {
  source: string;
  window: { since: string; until: string };
  /** Delivery days read (the window's days and the day of slack). */
  days: string[];
  publicKeys: string;
  chains: TrailChain[];
  digests: Counts;
  logs: Counts;
  /** No problem found, and at least one digest read. */
  ok: boolean;
  results: FileResult[];
  notes: string[];
}

export interface ValidateOptions {
  source: ObjectSource;
  /** Where to start looking for AWSLogs/ ('' or a prefix ending in '/'). */
  prefix?: string;
  window: TimeWindow;
  keys: PublicKeyLookup;
  accounts?: string[];
  regions?: string[];
  /** Read names strictly, as AWS writes them (a real bucket). */
  strict?: boolean;
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

interface DigestEntry {
  key: string;
  name: ParsedDigestName;
  folder: FoundFolder;
  chainId: string;
  result: FileResult;
  data?: DigestFile;
  signature?: string;
  /** The content is authentic (signature verified), whatever its place in the chain. */
  signed: boolean;
}

function counts(results: FileResult[]): Counts {
  const byStatus: Partial<Record<FileStatus, number>> = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const valid = byStatus.valid ?? 0;
  return { total: results.length, valid, problems: results.length - valid, byStatus };
}

/** The CloudTrail log folder beside a digest folder: `.../<account>/CloudTrail/<region>/`. */
function logFolderOf(digestRegionPrefix: string): string {
  return digestRegionPrefix.replace(new RegExp(`/${DIGEST_FOLDER}/([^/]+)/$`), `/${TABLE_KEYS.cloudtrail.folder}/$1/`);
}

function isoOfStamp(stamp: string): string {
  return new Date(stampMs(stamp)).toISOString().replace('.000Z', 'Z');
}

export async function validateLogs(o: ValidateOptions): Promise<ValidationReport> {
  const { source } = o;
  const notes: string[] = [];
  const { days } = windowDays(o.window);
  const daySet = new Set(days);
  const wantAccount = (a: string) => !o.accounts?.length || o.accounts.includes(a);
  const wantRegion = (r: string) => !o.regions?.length || o.regions.includes(r);
  const found = await findLogFolders(source, { prefix: o.prefix ?? '', strict: o.strict, signal: o.signal });
  notes.push(...found.notes);
  const folders = found.roots.flatMap((r) => r.folders).filter((f) => !f.hivePrefixes && wantAccount(f.account) && wantRegion(f.region));
  const digestFolders = folders.filter((f) => f.service === DIGEST_FOLDER);
  const logFolders = folders.filter((f) => f.service === TABLE_KEYS.cloudtrail.folder);
  if (found.roots.length === 0) notes.push(`no AWSLogs/ folder under ${source.where(o.prefix ?? '')}`);

  // 1. The digests delivered on the window's days.
  const entries: DigestEntry[] = [];
  const dayPrefixes = digestFolders.flatMap((f) => days.map((day) => ({ f, prefix: `${f.regionPrefix}${day}/` })));
  await pool(
    dayPrefixes,
    o.concurrency ?? 8,
    async ({ f, prefix }) => {
      for (const obj of await source.list(prefix, o.signal)) {
        const name = parseDigestFileName(obj.key.slice(obj.key.lastIndexOf('/') + 1));
        if (!name) continue;
        if (name.backfill) {
          notes.push(`backfill digest ${obj.key} is not validated (backfill digests are signed at a later time than their period)`);
          continue;
        }
        const chainId = `${f.regionPrefix}|${name.trail}|${name.homeRegion}`;
        entries.push({
          key: obj.key,
          name,
          folder: f,
          chainId,
          signed: false,
          result: { kind: 'digest', key: obj.key, status: 'valid', account: f.account, region: f.region, trail: name.trail },
        });
      }
    },
    o.signal,
  );
  if (digestFolders.length === 0 && logFolders.length > 0)
    notes.push('no CloudTrail-Digest folder: log file integrity validation is not enabled on these trails, or the digests were not copied');
  o.onProgress?.(`validate-logs: ${entries.length} digest files on ${days.length} days`);

  let done = 0;
  await pool(
    entries,
    o.concurrency ?? 8,
    async (e) => {
      await checkDigest(e, o);
      if (++done % 50 === 0) o.onProgress?.(`validate-logs: ${done}/${entries.length} digest files read`);
    },
    o.signal,
  );

  // 2. The chains.
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const chains = new Map<string, DigestEntry[]>();
  for (const e of entries) chains.set(e.chainId, [...(chains.get(e.chainId) ?? []), e]);
  const missingDigests = new Map<string, FileResult>();
  const chainSummaries: TrailChain[] = [];
  const bucketOf = source.bucket;
  for (const chain of chains.values()) {
    chain.sort((a, b) => (a.name.endSecond < b.name.endSecond ? -1 : a.name.endSecond > b.name.endSecond ? 1 : 0));
    const first = chain[0]!;
    chainSummaries.push({
      trail: first.name.trail,
      account: first.folder.account,
      region: first.folder.region,
      homeRegion: first.name.homeRegion,
      ...(first.folder.orgId ? { orgId: first.folder.orgId } : {}),
      digests: chain.length,
      firstDigestEnd: isoOfStamp(first.name.endSecond),
      lastDigestEnd: isoOfStamp(chain[chain.length - 1]!.name.endSecond),
    });
    chain.forEach((cur, i) => {
      if (!cur.data) return;
      const prev = i > 0 ? chain[i - 1] : undefined;
      const prevKey = cur.data.previousDigestS3Object;
      const breakWith = (detail: string) => {
        if (cur.result.status === 'valid') {
          cur.result.status = 'chain-broken';
          cur.result.detail = detail;
        }
      };
      if (prevKey === null) {
        if (prev)
          breakWith(`names no previous digest, but ${prev.key} comes before it (logging stopped and started, or the chain was rebuilt)`);
        return;
      }
      const named = byKey.get(prevKey);
      if (bucketOf && cur.data.previousDigestS3Bucket !== null && cur.data.previousDigestS3Bucket !== bucketOf) {
        breakWith(`names a previous digest in another bucket (s3://${cur.data.previousDigestS3Bucket}/${prevKey})`);
        return;
      }
      if (!named) {
        const pk = parseKey(prevKey);
        // A previous digest delivered inside the window's days must be there.
        if (prev || (pk && daySet.has(pk.day))) {
          if (!missingDigests.has(prevKey)) {
            missingDigests.set(prevKey, {
              kind: 'digest',
              key: prevKey,
              status: 'missing',
              detail: `named as the previous digest by ${cur.key}, not found`,
              account: cur.folder.account,
              region: cur.folder.region,
              trail: cur.name.trail,
            });
          }
          breakWith(`its previous digest ${prevKey} is missing`);
        }
        return;
      }
      if (prev && named !== prev) {
        breakWith(`names ${prevKey} as its previous digest, but ${prev.key} comes before it`);
        return;
      }
      if (named.signature !== undefined && cur.data.previousDigestSignature !== named.signature) {
        breakWith(`the previous digest's signature it records does not match the signature of ${prevKey}`);
      }
    });
  }

  // 3. The log files the digests list.
  const listed = new Map<string, { entry: DigestEntry; hash: string; bucket: string }>();
  for (const e of entries)
    for (const f of e.data?.logFiles ?? []) listed.set(f.s3Object, { entry: e, hash: f.hashValue.toLowerCase(), bucket: f.s3Bucket });
  const logResults: FileResult[] = [];
  const toHash: { key: string; r: FileResult; hash: string }[] = [];
  for (const [key, l] of listed) {
    const pk = parseKey(key);
    if (!pk || !daySet.has(pk.day)) continue;
    const r: FileResult = {
      kind: 'log',
      key,
      status: 'valid',
      account: pk.account,
      region: pk.region,
      trail: l.entry.name.trail,
      digest: l.entry.key,
    };
    logResults.push(r);
    if (!l.entry.signed) {
      r.status = 'unverified';
      r.detail = `the digest that lists it, ${l.entry.key}, is not authentic (${l.entry.result.status}${l.entry.result.detail ? `: ${l.entry.result.detail}` : ''})`;
    } else if (bucketOf && l.bucket !== bucketOf) {
      r.status = 'unverified';
      r.detail = `listed in another bucket, s3://${l.bucket}/`;
    } else toHash.push({ key, r, hash: l.hash });
  }
  done = 0;
  await pool(
    toHash,
    o.concurrency ?? 8,
    async ({ key, r, hash }) => {
      const obj = await source.get(key, o.signal);
      if (!obj) {
        r.status = 'missing';
        r.detail = `listed by ${r.digest}, not found`;
      } else {
        let content: Buffer | undefined;
        try {
          content = inflate(obj.body);
        } catch {
          r.status = 'modified';
          r.detail = 'not a gzip file any more';
        }
        if (content && sha256Hex(content) !== hash) {
          r.status = 'modified';
          r.detail = `SHA-256 of its content is ${sha256Hex(content)}, the digest records ${hash}`;
        }
      }
      if (++done % 200 === 0) o.onProgress?.(`validate-logs: ${done}/${toHash.length} log files hashed`);
    },
    o.signal,
  );

  // 4. Log files no digest lists.
  const lastEnd = new Map<string, number>();
  for (const e of entries) {
    const logFolder = logFolderOf(e.folder.regionPrefix);
    lastEnd.set(logFolder, Math.max(lastEnd.get(logFolder) ?? 0, stampMs(e.name.endSecond)));
  }
  const logDayPrefixes = logFolders.flatMap((f) => days.map((day) => ({ f, prefix: `${f.regionPrefix}${day}/` })));
  await pool(
    logDayPrefixes,
    o.concurrency ?? 8,
    async ({ f, prefix }) => {
      for (const obj of await source.list(prefix, o.signal)) {
        if (listed.has(obj.key)) continue;
        const name = obj.key.slice(obj.key.lastIndexOf('/') + 1);
        if (!name.endsWith(TABLE_KEYS.cloudtrail.formats.json!.suffix)) continue;
        const parsed = parseFileName('cloudtrail', name);
        const last = lastEnd.get(f.regionPrefix);
        let detail: string;
        if (last === undefined) detail = 'no digest files for this account and region on these days';
        else if (parsed && stampMs(parsed.minute) > last)
          detail = `no digest lists it; delivered after the last digest (${new Date(last).toISOString().replace('.000Z', 'Z')}), whose successor may not be delivered yet`;
        else detail = 'no digest lists it: added after delivery, or its digest is missing';
        logResults.push({ kind: 'log', key: obj.key, status: 'not-covered', detail, account: f.account, region: f.region });
      }
    },
    o.signal,
  );

  const digestResults = [...entries.map((e) => e.result), ...missingDigests.values()];
  const results = [...digestResults, ...logResults].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const digests = counts(digestResults);
  const logs = counts(logResults);
  if (entries.length === 0) notes.push('no digest files on these days: nothing could be validated');
  chainSummaries.sort((a, b) => `${a.account}/${a.region}/${a.trail}`.localeCompare(`${b.account}/${b.region}/${b.trail}`));
  return {
    source: source.where(o.prefix ?? ''),
    window: { since: o.window.since.toISOString(), until: o.window.until.toISOString() },
    days,
    publicKeys: o.keys.source,
    chains: chainSummaries,
    digests,
    logs,
    ok: entries.length > 0 && digests.problems === 0 && logs.problems === 0,
    results,
    notes: [...new Set(notes)],
  };
}

/** Read a digest, check where it sits and its signature; sets e.data, e.signature, e.signed and e.result. */
async function checkDigest(e: DigestEntry, o: ValidateOptions): Promise<void> {
  const fail = (status: FileResult['status'], detail: string) => {
    e.result.status = status;
    e.result.detail = detail;
  };
  const obj = await o.source.get(e.key, o.signal);
  if (!obj) return fail('missing', 'listed, then not found');
  let inflated: Buffer;
  try {
    inflated = inflate(obj.body);
    e.data = parseDigest(inflated);
  } catch (err) {
    e.data = undefined;
    return fail('modified', `not a readable digest file (${(err as Error).message})`);
  }
  const d = e.data;
  if (d.digestS3Object !== e.key || (o.source.bucket !== undefined && d.digestS3Bucket !== o.source.bucket)) {
    return fail(
      'signature-invalid',
      `says it was delivered to s3://${d.digestS3Bucket}/${d.digestS3Object}: moved from its original location`,
    );
  }
  const signature = obj.metadata.signature;
  const algorithm = obj.metadata['signature-algorithm'];
  if (!signature)
    return fail(
      'signature-invalid',
      "no signature in the object's metadata (x-amz-meta-signature): a plain copy loses it; copy the bucket with casebook pull",
    );
  e.signature = signature;
  if (algorithm !== undefined && algorithm !== SIGNATURE_ALGORITHM)
    return fail('signature-invalid', `signature algorithm ${algorithm}, not ${SIGNATURE_ALGORITHM}`);
  const key = await o.keys.find(d.digestPublicKeyFingerprint, e.name.homeRegion);
  if (!key)
    return fail(
      'signature-invalid',
      `no CloudTrail public key with fingerprint ${d.digestPublicKeyFingerprint} (${o.keys.source}, region ${e.name.homeRegion})`,
    );
  if (!verifySignature(stringToSign(d, inflated), signature, key.key))
    return fail('signature-invalid', `the signature does not verify with public key ${key.fingerprint}`);
  e.signed = true;
}
