import { CasebookError, firstLine } from '../errors.js';

/** The error name an AWS SDK v3 call failed with (`AccessDeniedException`, ...). */
export function awsErrorName(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; Code?: unknown; code?: unknown };
    for (const v of [e.name, e.Code, e.code]) if (typeof v === 'string' && v !== 'Error') return v;
  }
  return 'Error';
}

function messageOf(err: unknown): string {
  return firstLine(err instanceof Error ? err.message : String(err));
}

const THROTTLING = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException',
  'SlowDown', 'RequestThrottled', 'RequestThrottledException', 'ConcurrentModificationException',
]);

export function isThrottling(err: unknown): boolean {
  if (THROTTLING.has(awsErrorName(err))) return true;
  const r = (err as { $retryable?: { throttling?: boolean } } | undefined)?.$retryable;
  return Boolean(r?.throttling);
}

export interface RetryOptions {
  /** Attempts in all (default 5). */
  attempts?: number;
  /** First backoff in ms, doubled each time (default 250). */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms); });

/** Run a Glue call, retrying throttling with exponential backoff and jitter. */
export async function withRetry<T>(call: () => Promise<T>, what: string, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 250;
  const sleep = options.sleep ?? realSleep;
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (err) {
      if (!isThrottling(err)) throw err;
      if (i >= attempts) {
        throw new CasebookError(
          `Glue kept throttling ${what} (${awsErrorName(err)}: ${messageOf(err)}) after ${attempts} attempts: wait a minute and run casebook setup again (it picks up where it stopped), or raise the Glue API request quota`,
          { cause: err },
        );
      }
      await sleep(Math.round(base * 2 ** (i - 1) * (0.5 + Math.random() / 2)));
    }
  }
}

/**
 * One clear line for a failed Glue call, naming the fix. `action` is the API
 * (`CreateTable`), `resource` what it acted on (`table casebook.cloudtrail`).
 */
export function explainGlueError(err: unknown, action: string, resource: string): CasebookError {
  if (err instanceof CasebookError) return err;
  const name = awsErrorName(err);
  const msg = messageOf(err);
  const iam = `glue:${action}`;
  switch (name) {
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnauthorizedOperation':
      return new CasebookError(
        `access denied: Glue refused ${action} on ${resource} (${msg}): grant the caller ${iam} on the catalog, the database and its tables (the policy is in the README, "Set up Athena"); with Lake Formation, also grant CREATE_TABLE / ALTER on the database`,
        { cause: err },
      );
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
      return new CasebookError(`AWS rejected the credentials (${name}): check AWS_PROFILE / AWS_ACCESS_KEY_ID, or sign in again (aws sso login)`, { cause: err });
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return new CasebookError(`the AWS credentials have expired (${name}): sign in again (aws sso login) or refresh the session`, { cause: err });
    case 'CredentialsProviderError':
      return new CasebookError('no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run aws sso login', { cause: err });
    case 'ResourceNumberLimitExceededException':
      return new CasebookError(`Glue quota reached on ${action} ${resource} (${msg}): delete unused tables or partitions, or raise the Glue quota`, { cause: err });
    case 'InvalidInputException':
      return new CasebookError(`Glue rejected ${action} on ${resource}: ${msg}`, { cause: err });
    case 'GlueEncryptionException':
      return new CasebookError(`Glue could not use the Data Catalog's KMS key for ${action} on ${resource} (${msg}): grant the caller kms:Decrypt / kms:GenerateDataKey on the catalog's key`, { cause: err });
    default:
      if (/region is missing/i.test(msg)) return new CasebookError('no AWS region: pass --aws-region or set AWS_REGION (the region of the Glue catalog Athena uses)', { cause: err });
      if (/could not load credentials/i.test(msg)) return new CasebookError('no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run aws sso login', { cause: err });
      return new CasebookError(`Glue ${action} on ${resource} failed: ${name}: ${msg}`, { cause: err });
  }
}
