import type { Engine } from '../engine.js';
import { createAthenaClient } from './client.js';
import { AthenaEngine } from './engine.js';
import type { AthenaSettings } from './settings.js';

/** The Athena engine with a real SDK client (the CLI's factory). */
export async function createAthenaEngine(s: AthenaSettings): Promise<Engine> {
  const client = await createAthenaClient(s);
  return new AthenaEngine({
    client,
    onClose: () => client.destroy(),
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
