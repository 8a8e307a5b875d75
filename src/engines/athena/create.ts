import type { Engine } from '../engine.js';
import { createAthenaClient } from '../../aws/client.js';
import type { AwsSettings } from '../../aws/settings.js';
import { AthenaEngine } from './engine.js';
import type { AthenaSettings } from './settings.js';

/** The Athena engine with a real SDK client (the CLI's factory). */
export async function createAthenaEngine(s: { athena: AthenaSettings; aws: AwsSettings }): Promise<Engine> {
  const client = await createAthenaClient(s.aws);
  return new AthenaEngine({
    ...s.athena,
    client,
    onClose: () => client.destroy(),
    timeoutMs: s.aws.timeoutMs,
    retry: { attempts: s.aws.retries + 1 },
    region: s.aws.region ?? (await client.config.region().catch(() => undefined)),
    endpoint: s.aws.endpointUrl,
    profile: s.aws.profile,
  });
}
