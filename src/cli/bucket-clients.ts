import type { Argv } from 'yargs';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { S3Client } from '@aws-sdk/client-s3';
import { AWS, type AwsSettings } from '../aws/settings.js';
import { cloudTrailClients, createS3Client } from '../aws/client.js';
import { addOptions, resolveSection } from '../settings/model.js';
import { commandSettings, configOption, type CommandContext } from './context.js';

/**
 * The AWS clients of discover, pull and validate-logs: the AWS settings section
 * (--region, --profile, --endpoint-url, --timeout, --retries, then CASEBOOK_* variables,
 * then the config file's `aws:` section) and the one client factory (src/aws/client.ts).
 */
export function bucketAwsOptions<T>(y: Argv<T>): Argv<T> {
  return configOption(addOptions(y, AWS));
}

/** The AWS settings of this command line; `noConfigFile`: from the command line and environment only. */
export function bucketAwsSettings(argv: Record<string, unknown>, ctx: CommandContext, noConfigFile = false): AwsSettings {
  return noConfigFile ? resolveSection(AWS, { argv, env: ctx.io.env, config: {} }) : commandSettings(AWS, argv, ctx);
}

export function createBucketS3(s: AwsSettings): Promise<S3Client> {
  return createS3Client(s);
}

/** CloudTrail clients by region, from the same settings. */
export function createCloudTrailFor(s: AwsSettings): Promise<(region: string) => CloudTrailClient> {
  return cloudTrailClients(s);
}
