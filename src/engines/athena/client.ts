import type { AthenaClientConfig } from '@aws-sdk/client-athena';
import type { S3ClientConfig } from '@aws-sdk/client-s3';

export interface AwsClientSettings {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  /** Time limit of each HTTP request: connecting, and waiting for data. */
  timeoutMs: number;
}

/**
 * SDK client configuration: region and credentials from the standard AWS chain
 * (environment, profile, SSO, container and instance roles) unless --region/--profile
 * say otherwise; every request limited in time; no SDK retries (casebook retries
 * throttling and transient failures itself, with messages that say so).
 */
function common(s: AwsClientSettings) {
  return {
    region: s.region,
    profile: s.profile,
    endpoint: s.endpointUrl,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: s.timeoutMs, requestTimeout: s.timeoutMs },
  };
}

export function athenaClientConfig(s: AwsClientSettings): AthenaClientConfig {
  return common(s);
}

export function s3ClientConfig(s: AwsClientSettings): S3ClientConfig {
  return { ...common(s), followRegionRedirects: true, forcePathStyle: s.endpointUrl !== undefined };
}

/**
 * The SDK warns on every run under Node 20 that SDK releases after January 2027 will
 * need Node 22: noise on an analyst's stderr, about versions casebook does not use.
 * Opt out (the SDK's own switch) unless the user set it.
 */
function quietSdk(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export async function createAthenaClient(s: AwsClientSettings) {
  quietSdk();
  const { AthenaClient } = await import('@aws-sdk/client-athena');
  return new AthenaClient(athenaClientConfig(s));
}

export async function createS3Client(s: AwsClientSettings) {
  quietSdk();
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client(s3ClientConfig(s));
}
