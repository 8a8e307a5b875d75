import type { S3Client } from '@aws-sdk/client-s3';
import type { Engine } from '../engine.js';
import { createAthenaClient, createS3Client } from '../../aws/client.js';
import type { AwsSettings } from '../../aws/settings.js';
import { AthenaEngine } from './engine.js';
import type { LakeLayout } from './estimate.js';
import type { AthenaSettings } from './settings.js';

/**
 * The Athena engine with real SDK clients (the CLI's factory). The S3 client, used only
 * by estimate (over `lakeLayout`), is made when first asked for.
 */
export async function createAthenaEngine(s: { athena: AthenaSettings; aws: AwsSettings; lakeLayout?: LakeLayout }): Promise<Engine> {
  const client = await createAthenaClient(s.aws);
  let s3: Promise<S3Client> | undefined;
  return new AthenaEngine({
    ...s.athena,
    client,
    s3: () => (s3 ??= createS3Client(s.aws)),
    lakeLayout: s.lakeLayout,
    onClose: () => {
      client.destroy();
      void s3?.then(
        (c) => c.destroy(),
        () => undefined,
      );
    },
    timeoutMs: s.aws.timeoutMs,
    retry: { attempts: s.aws.retries + 1 },
    region: s.aws.region ?? (await client.config.region().catch(() => undefined)),
    endpoint: s.aws.endpointUrl,
    profile: s.aws.profile,
  });
}
