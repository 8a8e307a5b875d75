import { defineSection, type SettingsOf } from '../settings/model.js';
import { duration, httpUrl, integer, region, text } from '../settings/values.js';

/** Default time limit of each AWS call (`--timeout`). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * AWS access, shared by every command that calls AWS (run and report on Athena,
 * estimate, setup, compact): the one declaration of these options. Config file: `aws:`
 * (the keys are also read from `athena:`, where earlier versions documented them, and
 * `aws_region` at the top level, as `casebook setup` read it).
 */
export const AWS = defineSection({
  name: 'aws',
  title: 'AWS:',
  fileFallback: ['athena'],
  options: {
    region: {
      flag: 'region',
      type: 'string',
      deprecated: ['aws-region'],
      manifest: true,
      describe: 'AWS region (default: the AWS chain: AWS_REGION, the profile)',
      schema: region(),
    },
    profile: {
      flag: 'profile',
      type: 'string',
      describe: 'AWS profile for credentials (default: the AWS chain: AWS_PROFILE, environment, SSO, roles)',
      schema: text(),
    },
    endpointUrl: {
      flag: 'endpoint-url',
      type: 'string',
      describe: 'Send AWS calls to this endpoint instead (LocalStack, a VPC endpoint)',
      schema: httpUrl(),
    },
    timeoutMs: {
      flag: 'timeout',
      type: 'string',
      describe: 'Time limit of each AWS call, e.g. 30s (default 30s)',
      schema: duration('s').default(DEFAULT_TIMEOUT_MS),
    },
    retries: {
      flag: 'retries',
      type: 'number',
      describe: 'Retries of a throttled or failed AWS call, with backoff (default 5)',
      schema: integer(0, 'is not a number of retries (0 or more)').default(5),
    },
  },
});

export type AwsSettings = SettingsOf<typeof AWS>;
