import { readFileSync } from 'node:fs';
import { ListPublicKeysCommand, type CloudTrailClient, type ListPublicKeysCommandOutput } from '@aws-sdk/client-cloudtrail';
import { CasebookError, UsageError, errorMessage } from '../errors.js';
import { publicKeyFromValue } from './digest.js';
import { awsCall } from '../aws/call.js';
import { explainAwsError } from '../aws/errors.js';
import { DEFAULT_TIMEOUT_MS, type AwsSettings } from '../aws/settings.js';
import type { KeyObject } from 'node:crypto';

/**
 * CloudTrail's digest-signing public keys, by fingerprint: from ListPublicKeys (per
 * region: a trail's digests are signed with its home region's keys), or offline from a
 * file holding what `aws cloudtrail list-public-keys` prints:
 * `{"PublicKeyList": [{"Value": "<base64 DER>", "ValidityStartTime": ..., "ValidityEndTime": ..., "Fingerprint": "<hex>"}]}`.
 */
export type CloudTrailApi = Pick<CloudTrailClient, 'send'>;

export interface PublicKey {
  fingerprint: string;
  key: KeyObject;
  validFrom?: string;
  validUntil?: string;
}

export interface PublicKeyLookup {
  /** The key with this fingerprint for a trail whose home region is `region`; undefined when unknown. */
  find(fingerprint: string, region: string): Promise<PublicKey | undefined>;
  /** Where the keys come from, for the report. */
  readonly source: string;
}

interface RawKey {
  Value?: Uint8Array | string;
  Fingerprint?: string;
  ValidityStartTime?: Date | string;
  ValidityEndTime?: Date | string;
}

function iso(v: Date | string | undefined): string | undefined {
  if (v === undefined) return undefined;
  return v instanceof Date ? v.toISOString() : String(v);
}

function toKeys(list: RawKey[], where: string): Map<string, PublicKey> {
  const out = new Map<string, PublicKey>();
  for (const k of list) {
    if (!k.Fingerprint || k.Value === undefined) continue;
    let key: KeyObject;
    try {
      key = publicKeyFromValue(k.Value);
    } catch (err) {
      throw new CasebookError(`${where}: public key ${k.Fingerprint} is not a DER PKCS#1 RSA key: ${errorMessage(err)}`);
    }
    out.set(k.Fingerprint.toLowerCase(), {
      fingerprint: k.Fingerprint,
      key,
      validFrom: iso(k.ValidityStartTime),
      validUntil: iso(k.ValidityEndTime),
    });
  }
  return out;
}

/** Keys from a file of `aws cloudtrail list-public-keys` output (any region). */
export function publicKeysFromFile(file: string): PublicKeyLookup {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--public-keys ${file}: ${errorMessage(err).split('\n')[0]}`);
  }
  const list = (raw as { PublicKeyList?: unknown })?.PublicKeyList;
  if (!Array.isArray(list))
    throw new UsageError(
      `--public-keys ${file}: no PublicKeyList (write it with: aws cloudtrail list-public-keys --start-time ... > ${file})`,
    );
  const keys = toKeys(list as RawKey[], `--public-keys ${file}`);
  return { source: file, find: async (fp) => keys.get(fp.toLowerCase()) };
}

/**
 * Keys from CloudTrail's ListPublicKeys for the window (with an hour either side),
 * one call sequence per home region, on the client `clientFor(region)` gives.
 */
export function publicKeysFromCloudTrail(
  clientFor: (region: string) => CloudTrailApi,
  window: { since: Date; until: Date },
  signal?: AbortSignal,
  aws: Partial<Pick<AwsSettings, 'timeoutMs' | 'retries' | 'endpointUrl' | 'profile'>> = {},
): PublicKeyLookup {
  const byRegion = new Map<string, Promise<Map<string, PublicKey>>>();
  const timeoutMs = aws.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const load = async (region: string) => {
    const client = clientFor(region);
    const list: RawKey[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const command = new ListPublicKeysCommand({
        StartTime: new Date(window.since.getTime() - 3_600_000),
        EndTime: new Date(window.until.getTime() + 2 * 3_600_000),
        NextToken: token,
      });
      let out: ListPublicKeysCommandOutput;
      try {
        out = await awsCall('ListPublicKeys', (abortSignal) => client.send(command, { abortSignal }), {
          timeoutMs,
          signal,
          retry: aws.retries === undefined ? undefined : { attempts: aws.retries + 1 },
        });
      } catch (err) {
        const why = explainAwsError(err, {
          service: 'CloudTrail',
          operation: 'ListPublicKeys',
          region,
          endpoint: aws.endpointUrl,
          profile: aws.profile,
          timeoutMs,
        });
        throw new CasebookError(
          `${why.message.replace(/\.$/, '')} (offline, pass --public-keys FILE with the output of aws cloudtrail list-public-keys)`,
          { cause: err },
        );
      }
      list.push(...(out?.PublicKeyList ?? []));
      token = out?.NextToken;
      if (token !== undefined && seen.has(token))
        throw new CasebookError(`CloudTrail ListPublicKeys in ${region}: the service repeated a page token; stopped`);
      if (token !== undefined) seen.add(token);
    } while (token);
    return toKeys(list, `ListPublicKeys in ${region}`);
  };
  return {
    source: 'CloudTrail ListPublicKeys',
    find: async (fp, region) => {
      let hit = byRegion.get(region);
      if (!hit) {
        hit = load(region);
        byRegion.set(region, hit);
      }
      return (await hit).get(fp.toLowerCase());
    },
  };
}
