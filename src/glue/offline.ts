import { CasebookError } from '../errors.js';
import { errorName, explainAwsError } from '../aws/errors.js';
import type { GlueSend } from './setup.js';

/** A Glue catalog that holds nothing: every Get* answers EntityNotFoundException, so setup plans to create everything. */
export const EMPTY_CATALOG: GlueSend = {
  send: async () => {
    throw Object.assign(new Error('not in the catalog'), { name: 'EntityNotFoundException' });
  },
};

/**
 * The catalog a dry run compares against: Glue itself when it answers, otherwise (no
 * credentials, no region, no network, no permission) an empty one, with the reason, so
 * `setup --dry-run` still shows everything it would create.
 */
export async function catalogForDryRun(
  glue: GlueSend,
  database: string,
  catalogId: string | undefined,
  timeoutMs = 15_000,
): Promise<{ glue: GlueSend; note?: string }> {
  const { GetDatabaseCommand } = await import('@aws-sdk/client-glue');
  try {
    await glue.send(new GetDatabaseCommand({ ...(catalogId ? { CatalogId: catalogId } : {}), Name: database }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    return { glue };
  } catch (err) {
    if (errorName(err) === 'EntityNotFoundException') return { glue };
    const why =
      err instanceof CasebookError
        ? err.message
        : explainAwsError(err, { service: 'Glue', operation: 'GetDatabase', resource: `database ${database}` }).message;
    return { glue: EMPTY_CATALOG, note: `cannot read the Glue catalog, so this shows everything as new (${why.replace(/\.$/, '')})` };
  }
}
