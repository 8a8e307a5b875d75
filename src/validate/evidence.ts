import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TimeWindow } from '../params/time.js';
import { lakeSource, PULL_STATE_FILE } from '../pull/state.js';
import { validationSummary } from './text.js';
import { validateLogs, type Counts, type FileResult, type ValidationReport } from './validate.js';
import type { PublicKeyLookup } from './public-keys.js';

/**
 * What a report records about the log files of its period: the integrity validation's
 * result, or why none could be made. Small enough for a bundle manifest; the full
 * ValidationReport can be written beside it.
 */
export interface IntegrityEvidence {
  /** valid: every digest and log file checked out; problems: some did not; not-validated: see `reason`. */
  status: 'valid' | 'problems' | 'not-validated';
  /** One line for the page and index.md. */
  summary: string;
  reason?: string;
  window: { since: string; until: string };
  source?: string;
  publicKeys?: string;
  digests?: Counts;
  logs?: Counts;
  /** Trails and the digest period each covers. */
  chains?: ValidationReport['chains'];
  /** The first problems, for the page (the full list is in the validation report). */
  problems?: FileResult[];
}

export function evidenceOf(r: ValidationReport, maxProblems = 20): IntegrityEvidence {
  const status = r.ok ? 'valid' : r.digests.total === 0 ? 'not-validated' : 'problems';
  return {
    status,
    summary: validationSummary(r),
    ...(status === 'not-validated'
      ? { reason: r.notes.find((n) => n.startsWith('no CloudTrail-Digest')) ?? 'no digest files in the period' }
      : {}),
    window: r.window,
    source: r.source,
    publicKeys: r.publicKeys,
    digests: r.digests,
    logs: r.logs,
    chains: r.chains,
    problems: r.results.filter((x) => x.status !== 'valid').slice(0, maxProblems),
  };
}

/**
 * Validate the CloudTrail log files a report over a local lake read, for the report's
 * period. A lake that `casebook pull` did not make keeps no digest signatures, and
 * without public keys no signature can be checked: the evidence then says so instead
 * of validating.
 */
export async function lakeIntegrityEvidence(o: {
  lake: string;
  window: TimeWindow;
  keys?: PublicKeyLookup;
  signal?: AbortSignal;
}): Promise<IntegrityEvidence> {
  const window = { since: o.window.since.toISOString(), until: o.window.until.toISOString() };
  if (!existsSync(join(o.lake, PULL_STATE_FILE))) {
    return {
      status: 'not-validated',
      window,
      summary: 'NOT VALIDATED: the lake is not a copy made by casebook pull, so it keeps no digest signatures',
      reason:
        'a plain copy of a bucket loses the digest signatures (S3 object metadata); pull the period with casebook pull, or validate the bucket itself',
    };
  }
  if (!o.keys) {
    return {
      status: 'not-validated',
      window,
      summary: "NOT VALIDATED: the digest signatures could not be checked without CloudTrail's public keys",
      reason:
        'no public keys were given: pass --public-keys FILE (the output of aws cloudtrail list-public-keys), or validate the lake with casebook validate-logs',
    };
  }
  const source = lakeSource(o.lake);
  const report = await validateLogs({ source, prefix: source.keyPrefix, window: o.window, keys: o.keys, signal: o.signal });
  return evidenceOf(report);
}
