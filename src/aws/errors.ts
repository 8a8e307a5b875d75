import { CasebookError, firstLine } from '../errors.js';
import { elapsedText } from '../engines/athena/units.js';

/**
 * The one place where AWS failures (Athena, Glue, S3, ...) become casebook's one-line
 * messages that name the fix, and where they are classified for the retry policy. SDK
 * errors are classified by name (ThrottlingException, AccessDeniedException,
 * CredentialsProviderError, ...) and network codes; failed queries by Athena's
 * `AthenaError.ErrorType` and the error text. Messages name the endpoint actually
 * called (the client records it on each failure: src/aws/client.ts).
 */

export type AwsService = 'Athena' | 'Glue' | 'S3' | 'CloudTrail';

/** Where a failure happened, to name it in the message. */
export interface ErrorContext {
  service: AwsService;
  /** API operation, e.g. StartQueryExecution. */
  operation?: string;
  executionId?: string;
  database?: string;
  catalog?: string;
  workgroup?: string;
  region?: string;
  endpoint?: string;
  profile?: string;
  /** s3://bucket/prefix being listed. */
  location?: string;
  /** What the call acted on, e.g. `table casebook.cloudtrail`. */
  resource?: string;
  timeoutMs?: number;
}

interface AwsLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
  Reason?: string;
  AthenaErrorCode?: string;
  $retryable?: { throttling?: boolean };
  cause?: unknown;
}

export function errorName(err: unknown): string {
  const e = (err ?? {}) as AwsLikeError;
  return String(e.name ?? e.Code ?? e.code ?? '');
}

function messageOf(err: unknown): string {
  return firstLine(err instanceof Error ? err.message : String((err as AwsLikeError)?.message ?? err));
}

/** Network error codes of Node (ours or the cause's). */
function networkCode(err: unknown): string | undefined {
  for (let e = err as AwsLikeError | undefined, i = 0; e && i < 4; e = e.cause as AwsLikeError | undefined, i++) {
    const code = e.code;
    if (code && /^(E[A-Z_]+|UND_ERR[A-Z_]*)$/.test(code)) return code;
  }
  return undefined;
}

const THROTTLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'ConcurrentModificationException',
]);
const TRANSIENT_NAMES = new Set([
  'InternalServerException',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'PriorRequestNotComplete',
]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

export function isThrottle(err: unknown): boolean {
  const e = err as AwsLikeError;
  return THROTTLE_NAMES.has(errorName(err)) || e?.$metadata?.httpStatusCode === 429 || Boolean(e?.$retryable?.throttling);
}

/** A failure that may pass if the same call is made again: throttling, a 5xx, a dropped connection. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof CasebookError) return false;
  if (isThrottle(err)) return true;
  const e = err as AwsLikeError;
  if (TRANSIENT_NAMES.has(errorName(err))) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  const code = networkCode(err);
  if (code && TRANSIENT_CODES.has(code)) return true;
  return /socket hang up/i.test(messageOf(err));
}

/** The call ran past its own time limit (`--timeout`). */
export class CallTimeoutError extends Error {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`${operation} got no answer within ${timeoutMs} ms`, options);
    this.name = 'CallTimeoutError';
  }
}

export function isTimeout(err: unknown): boolean {
  return err instanceof CallTimeoutError || errorName(err) === 'TimeoutError';
}

/** Retries ran out. */
export class GaveUpError extends Error {
  constructor(
    readonly operation: string,
    readonly attempts: number,
    readonly elapsedMs: number,
    readonly last: unknown,
  ) {
    super(`${operation}: gave up after ${attempts} attempts`, { cause: last });
    this.name = 'GaveUpError';
  }
}

function where(ctx: ErrorContext): string {
  return ctx.executionId ? ` (execution ${ctx.executionId})` : '';
}

const ENDPOINT = new WeakMap<object, string>();

/** Remember the endpoint a failed request was sent to (the client's middleware does this). */
export function tagEndpoint(err: unknown, endpoint: string): unknown {
  if (typeof err === 'object' && err !== null && !ENDPOINT.has(err)) ENDPOINT.set(err, endpoint);
  return err;
}

/** The endpoint a failure came from, looking through retries and causes. */
export function calledEndpoint(err: unknown): string | undefined {
  for (let e = err as AwsLikeError | undefined, i = 0; e && typeof e === 'object' && i < 4; i++) {
    const hit = ENDPOINT.get(e);
    if (hit) return hit;
    e = (e instanceof GaveUpError ? e.last : e.cause) as AwsLikeError | undefined;
  }
  return undefined;
}

/** The endpoint called: as recorded on the failure, else the one configured, else the service's default host. */
function endpointText(ctx: ErrorContext, err?: unknown): string {
  const called = err === undefined ? undefined : calledEndpoint(err);
  if (called) return called;
  if (ctx.endpoint) return ctx.endpoint;
  return ctx.region ? `${ctx.service.toLowerCase()}.${ctx.region}.amazonaws.com` : `the ${ctx.service} endpoint`;
}

const PERMISSIONS_GLUE = (action: string) =>
  `grant the caller glue:${action} on the catalog, the database and its tables (the policy is in the README, "Set up Athena"); with Lake Formation, also grant CREATE_TABLE / ALTER on the database`;

const PERMISSIONS_ATHENA =
  'grant athena:StartQueryExecution, GetQueryExecution, GetQueryResults, StopQueryExecution and GetWorkGroup on the workgroup, glue:GetDatabase/GetTable on the tables, s3:GetObject/ListBucket on the log bucket and s3:GetObject/PutObject on the output location (README, "Running on Amazon Athena", Permissions)';

const OPERATION = new WeakMap<object, string>();

/** Remember which API operation an error came from (for the message). */
export function tagOperation(err: unknown, operation: string): unknown {
  if (typeof err === 'object' && err !== null && !OPERATION.has(err)) OPERATION.set(err, operation);
  return err;
}

/** Turn any AWS failure into one line naming the fix. */
export function explainAwsError(err: unknown, context: ErrorContext): CasebookError {
  if (err instanceof CasebookError) return err;
  const tagged = typeof err === 'object' && err !== null ? OPERATION.get(err) : undefined;
  const ctx = tagged ? { ...context, operation: tagged } : context;
  const at = where(ctx);
  if (err instanceof GaveUpError) {
    const last = err.last;
    const tried = `gave up after ${err.attempts} attempts over ${elapsedText(err.elapsedMs)}`;
    if (isThrottle(last) && ctx.service === 'Glue') {
      return new CasebookError(
        `Glue kept throttling ${err.operation} (${errorName(last)}: ${messageOf(last)}) after ${err.attempts} attempts: wait a minute and run casebook setup again (it picks up where it stopped), or raise the Glue API request quota`,
        { cause: err },
      );
    }
    if (isThrottle(last)) {
      const reason = (last as AwsLikeError).Reason;
      if (errorName(last) === 'TooManyRequestsException' || reason === 'CONCURRENT_QUERY_LIMIT_EXCEEDED') {
        return new CasebookError(
          `${ctx.service} refused ${err.operation}: too many queries running or queued in this account and region${reason ? ` (${reason})` : ''}; ${tried}${at} — wait for running queries to finish, or ask AWS Support for a higher active-query quota`,
          { cause: err },
        );
      }
      return new CasebookError(
        `${ctx.service} kept throttling ${err.operation} (${errorName(last)}: ${messageOf(last)}); ${tried}${at} — run again in a minute, or run fewer casebook commands at once`,
        { cause: err },
      );
    }
    const code = networkCode(last);
    if (code)
      return new CasebookError(
        `cannot reach ${ctx.service} at ${endpointText(ctx, err)} (${code}); ${tried}${at} — check the network, proxy, --region and --endpoint-url`,
        { cause: err },
      );
    return new CasebookError(
      `${ctx.service} ${err.operation} kept failing (${errorName(last) || 'error'}: ${messageOf(last)}); ${tried}${at} — run again later`,
      { cause: err },
    );
  }
  if (isTimeout(err)) {
    const ms = err instanceof CallTimeoutError ? err.timeoutMs : ctx.timeoutMs;
    const op = err instanceof CallTimeoutError ? err.operation : (ctx.operation ?? 'a call');
    return new CasebookError(
      `no answer from ${ctx.service} at ${endpointText(ctx, err)} to ${op} within ${ms !== undefined ? elapsedText(ms) : 'the time limit'} (--timeout)${at} — the endpoint is unreachable or too slow: check the network, proxy, --region and --endpoint-url, or raise --timeout`,
      { cause: err },
    );
  }
  const name = errorName(err);
  const msg = messageOf(err);
  if (name === 'CredentialsProviderError' || /Could not load credentials|Unable to load credentials/i.test(msg)) {
    if (/profile .* (could not be found|not found)|Profile .* not found/i.test(msg)) {
      return new CasebookError(
        `AWS profile ${ctx.profile ?? ''} not found (${msg}) — check --profile / AWS_PROFILE against ~/.aws/config`.replace(
          'profile  not',
          'profile not',
        ),
        { cause: err },
      );
    }
    if (/SSO|token.*expired|expired.*token/i.test(msg)) {
      return new CasebookError(
        `the AWS SSO session has expired (${msg}) — run: aws sso login${ctx.profile ? ` --profile ${ctx.profile}` : ''}`,
        { cause: err },
      );
    }
    if (ctx.profile) {
      return new CasebookError(
        `no AWS credentials for profile ${ctx.profile} — check that it exists in ~/.aws/config (or AWS_CONFIG_FILE), and for SSO run: aws sso login --profile ${ctx.profile}`,
        { cause: err },
      );
    }
    return new CasebookError(
      'no AWS credentials found — run `aws sso login` or `aws configure`, pass --profile (or set AWS_PROFILE), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      { cause: err },
    );
  }
  if (/Region is missing|region.*not.*(set|configured)/i.test(msg)) {
    return new CasebookError('no AWS region — pass --region, set AWS_REGION (or CASEBOOK_REGION), or give the profile a region', {
      cause: err,
    });
  }
  if (['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'RequestExpired'].includes(name)) {
    return new CasebookError(
      `the AWS credentials have expired (${name}) — refresh them: aws sso login${ctx.profile ? ` --profile ${ctx.profile}` : ''}, or a new session token`,
      { cause: err },
    );
  }
  if (
    [
      'UnrecognizedClientException',
      'InvalidClientTokenId',
      'InvalidSignatureException',
      'SignatureDoesNotMatch',
      'InvalidAccessKeyId',
      'IncompleteSignature',
    ].includes(name)
  ) {
    return new CasebookError(
      `AWS rejected the credentials (${name}: ${msg}) — check the access key and secret, or the profile (--profile / AWS_PROFILE)`,
      { cause: err },
    );
  }
  if (
    ['AccessDeniedException', 'AccessDenied', 'AllAccessDisabled', 'UnauthorizedOperation'].includes(name) ||
    /not authorized to perform/i.test(msg)
  ) {
    if (ctx.service === 'Glue') {
      return new CasebookError(
        `access denied: Glue refused ${ctx.operation ?? 'the call'}${ctx.resource ? ` on ${ctx.resource}` : ''} (${msg}): ${PERMISSIONS_GLUE(ctx.operation ?? '*')}`,
        { cause: err },
      );
    }
    if (ctx.service === 'S3') {
      return new CasebookError(
        `access denied listing ${ctx.location ?? 'the log bucket'} (${msg}) — grant s3:ListBucket on the log bucket to this identity`,
        { cause: err },
      );
    }
    return new CasebookError(
      `access denied by Athena${ctx.operation ? ` on ${ctx.operation}` : ''} (${msg})${at} — ${PERMISSIONS_ATHENA}`,
      { cause: err },
    );
  }
  if (name === 'NoSuchBucket') {
    return new CasebookError(`bucket of ${ctx.location ?? 'the location'} does not exist — check --location`, { cause: err });
  }
  if (['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException'].includes(name)) {
    return new CasebookError(
      `the bucket of ${ctx.location ?? 'the location'} is in another region (${msg}) — pass --region with the bucket's region`,
      { cause: err },
    );
  }
  if (ctx.service === 'Glue') {
    const on = `${ctx.operation ?? 'the call'}${ctx.resource ? ` on ${ctx.resource}` : ''}`;
    if (name === 'ResourceNumberLimitExceededException')
      return new CasebookError(`Glue quota reached on ${on} (${msg}): delete unused tables or partitions, or raise the Glue quota`, {
        cause: err,
      });
    if (name === 'InvalidInputException') return new CasebookError(`Glue rejected ${on}: ${msg}`, { cause: err });
    if (name === 'GlueEncryptionException')
      return new CasebookError(
        `Glue could not use the Data Catalog's KMS key for ${on} (${msg}): grant the caller kms:Decrypt / kms:GenerateDataKey on the catalog's key`,
        { cause: err },
      );
  }
  if (
    ctx.service === 'Athena' &&
    (name === 'InvalidRequestException' || name === 'ResourceNotFoundException' || name === 'MetadataException')
  ) {
    return new CasebookError(`${requestProblem(msg, ctx)}${at}`, { cause: err });
  }
  const code = networkCode(err);
  if (code === 'ENOTFOUND') {
    return new CasebookError(
      `cannot resolve ${endpointText(ctx, err).replace(/^https?:\/\//, '')} (ENOTFOUND) — check --region and --endpoint-url, and the network or proxy`,
      { cause: err },
    );
  }
  if (code) {
    return new CasebookError(
      `cannot reach ${ctx.service} at ${endpointText(ctx, err)} (${code}: ${msg}) — check the network, proxy, --region and --endpoint-url`,
      { cause: err },
    );
  }
  return new CasebookError(
    `${ctx.service}${ctx.operation ? ` ${ctx.operation}` : ''}${ctx.resource ? ` on ${ctx.resource}` : ''} failed: ${name ? `${name}: ` : ''}${msg}${at}`,
    { cause: err },
  );
}

/** A refused request (InvalidRequestException and friends): find what is missing from the text. */
function requestProblem(msg: string, ctx: ErrorContext): string {
  const fix = fixFor(msg, undefined, ctx);
  const what = !ctx.operation || ctx.operation === 'StartQueryExecution' ? 'the query' : ctx.operation;
  return fix ? `Athena refused ${what}: ${msg} — ${fix}` : `Athena refused ${what}: ${msg}`;
}

/**
 * The fix for a failure, from Athena's ErrorType (see the Athena error catalog) and
 * the text; undefined when there is nothing better to say than the reason itself.
 */
export function fixFor(
  reason: string,
  errorType: number | undefined,
  ctx: Pick<ErrorContext, 'database' | 'workgroup' | 'catalog' | 'region'>,
): string | undefined {
  const db = ctx.database ?? 'casebook';
  const wg = ctx.workgroup ?? 'primary';
  if (/WorkGroup .*(is )?not found|WorkGroup is not found|workgroup.*does not exist/i.test(reason)) {
    return `check --workgroup (now ${wg}) and --region${ctx.region ? ` (now ${ctx.region})` : ''}: the workgroup must exist in that region`;
  }
  if (/output location|OutputLocation|query results? location|Unable to verify\/create output bucket/i.test(reason)) {
    return `pass --output-location s3://BUCKET/PREFIX/ (or set a query result location on workgroup ${wg}) in a bucket you can write to`;
  }
  if (/CATALOG_NOT_FOUND|Catalog .* (does not exist|not found)/i.test(reason)) {
    return 'check --catalog (the default is AwsDataCatalog)';
  }
  if (/SCHEMA_NOT_FOUND|Schema .* does not exist|Database .* (does not exist|not found)/i.test(reason)) {
    return `the database ${db} does not exist: pass --database with the Glue database holding the cloudtrail and vpc_flow_logs tables, or create it with \`casebook setup\``;
  }
  if (errorType === 1110 || /TABLE_NOT_FOUND|Table .* does not exist|Table not found/i.test(reason)) {
    return `create the tables with \`casebook setup\`, or pass --database with the database that holds them (now ${db})`;
  }
  if (
    errorType === 1500 ||
    errorType === 1501 ||
    /Access ?Denied|Insufficient (Lake Formation )?permissions|not authorized|PERMISSION_DENIED/i.test(reason)
  ) {
    return PERMISSIONS_ATHENA;
  }
  if (
    errorType === 1006 ||
    /SYNTAX_ERROR|mismatched input|extraneous input|FUNCTION_NOT_FOUND|TYPE_MISMATCH|COLUMN_NOT_FOUND/i.test(reason)
  ) {
    return 'Athena rejected the SQL: check the table columns (`casebook setup` keeps them current), and report the query with the output of `casebook render`';
  }
  if (errorType === 1109 || /S3 path not found|HIVE_PATH_ALREADY_EXISTS|NoSuchKey|does not exist.*s3:\/\//i.test(reason)) {
    return 'a table LOCATION or projection template points at an S3 path that does not exist: check the location given to `casebook setup`';
  }
  if (/HIVE_BAD_DATA|HIVE_CURSOR_ERROR|HIVE_CANNOT_OPEN_SPLIT|Malformed|JSON parse/i.test(reason)) {
    return 'a log file could not be read as the table defines it: check the table definition (flow-log format, layout) with `casebook setup --dry-run`';
  }
  if (errorType !== undefined && errorType >= 0 && errorType <= 8) {
    return 'Athena ran out of resources: narrow --since/--until, or run again later';
  }
  if (errorType === 206 || errorType === 210 || /Query timeout|exceeded.*time limit/i.test(reason)) {
    return "the query ran past Athena's time limit: narrow --since/--until";
  }
  if ((errorType !== undefined && errorType >= 1401 && errorType <= 1406) || /Rate exceeded|SlowDown|throttl/i.test(reason)) {
    return 'throttled inside Athena (Glue, S3 or Athena): run again in a minute';
  }
  if (/data scan(ned)? limit|BytesScannedCutoffPerQuery|exceeded.*scan/i.test(reason)) {
    return `the workgroup ${wg} limits the data a query may scan: narrow --since/--until or use another workgroup`;
  }
  return undefined;
}
