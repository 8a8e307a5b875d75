import type { Engine } from '../engine.js';
import { createAthenaClient, createS3Client } from './client.js';
import { AthenaEngine } from './engine.js';
import type { LakeLayout } from './estimate.js';
import type { AthenaSettings } from './settings.js';

/**
 * The Athena engine with real SDK clients (the CLI's factory). The S3 client, used only
 * by estimate (over `lakeLayout`), is made when first asked for.
 */
export async function createAthenaEngine(s: AthenaSettings & { lakeLayout?: LakeLayout }): Promise<Engine> {
  const client = await createAthenaClient(s);
  let s3: ReturnType<typeof createS3Client> | undefined;
  return new AthenaEngine({
    client,
    s3: () => (s3 ??= createS3Client(s)),
    lakeLayout: s.lakeLayout,
    onClose: () => {
      client.destroy();
      void s3?.then((c) => c.destroy(), () => undefined);
    },
    database: s.database,
    catalog: s.catalog,
    workgroup: s.workgroup,
    outputLocation: s.outputLocation,
    maxScanBytes: s.maxScanBytes,
    reuseMaxAgeMinutes: s.reuseMaxAgeMinutes,
    pricePerTb: s.pricePerTb,
    timeoutMs: s.timeoutMs,
    region: s.region ?? (await client.config.region().catch(() => undefined)),
    endpoint: s.endpointUrl,
    profile: s.profile,
  });
}
