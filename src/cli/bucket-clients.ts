import type { Argv } from 'yargs';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { S3Client } from '@aws-sdk/client-s3';
import { envName, optionValue } from '../config.js';
import { commandConfig, type CommandContext } from './context.js';

/**
 * The AWS clients of discover, pull and validate-logs, built in this one place from
 * --region, --profile and --endpoint-url (then CASEBOOK_* variables, then the config
 * file's `athena:` section, as `estimate` reads them). A custom endpoint (an
 * S3-compatible server, LocalStack) gets path-style bucket addressing.
 */
export interface BucketAws {
  region?: string;
  profile?: string;
  endpointUrl?: string;
}

const DESCRIBE = {
  region: 'AWS region (default: the AWS chain: AWS_REGION, the profile)',
  profile: 'AWS profile for credentials (default: the AWS chain)',
  'endpoint-url': 'Send AWS calls to this endpoint instead (an S3-compatible server, LocalStack, a VPC endpoint)',
} as const;

export function bucketAwsOptions<T>(y: Argv<T>) {
  let out = y;
  for (const [name, describe] of Object.entries(DESCRIBE)) out = out.option(name, { type: 'string', describe: `${describe} [${envName(name)}]`, group: 'AWS:' }) as Argv<T>;
  return out.option('config', { type: 'string', describe: 'Config file (default: casebook.config.yaml in the current directory, if present)' });
}

export function bucketAwsSettings(argv: Record<string, unknown>, ctx: CommandContext): BucketAws {
  const config = commandConfig(argv, ctx);
  const value = (name: string) => {
    const v = optionValue(name, { argv, env: ctx.io.env, config, section: 'athena' });
    return v === undefined ? undefined : String(v);
  };
  const s: BucketAws = {};
  const region = value('region');
  const profile = value('profile');
  const endpointUrl = value('endpoint-url');
  if (region) s.region = region;
  if (profile) s.profile = profile;
  if (endpointUrl) s.endpointUrl = endpointUrl;
  return s;
}

function quietSdk(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export async function createBucketS3(s: BucketAws): Promise<S3Client> {
  quietSdk();
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client({
    region: s.region ?? (s.endpointUrl ? 'us-east-1' : undefined),
    profile: s.profile,
    endpoint: s.endpointUrl,
    forcePathStyle: s.endpointUrl !== undefined,
    followRegionRedirects: true,
  });
}

/** A CloudTrail client per region (ListPublicKeys is answered by the trail's home region). */
export async function createCloudTrailFor(s: BucketAws): Promise<(region: string) => CloudTrailClient> {
  quietSdk();
  const { CloudTrailClient } = await import('@aws-sdk/client-cloudtrail');
  const clients = new Map<string, CloudTrailClient>();
  return (region) => {
    let c = clients.get(region);
    if (!c) {
      c = new CloudTrailClient({ region, profile: s.profile, endpoint: s.endpointUrl });
      clients.set(region, c);
    }
    return c;
  };
}
