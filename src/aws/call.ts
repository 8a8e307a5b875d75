import { CallTimeoutError, tagOperation } from './errors.js';
import { CancelledError, DEFAULT_RETRY, withRetry, type RetryPolicy, type Sleep } from './retry.js';

export interface CallOptions {
  timeoutMs: number;
  /** Default: DEFAULT_RETRY. */
  retry?: Partial<RetryPolicy>;
  /** Injected in tests: waits, jitter and the clock. */
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  /** The user's cancellation; absent for calls that must finish (start, stop). */
  signal?: AbortSignal;
  /** What the give-up message names, when more than the operation (e.g. `GetTable casebook.cloudtrail`). */
  label?: string;
}

/**
 * One AWS call, the only way casebook calls AWS: a time limit (enforced even if the SDK
 * never settles, e.g. while resolving credentials), the user's cancellation where a
 * signal is given, and retries of throttling and transient failures with jittered
 * backoff (src/aws/retry.ts). Failures are tagged with the operation for the message
 * (src/aws/errors.ts).
 */
export async function awsCall<T>(operation: string, send: (abortSignal: AbortSignal) => Promise<T>, o: CallOptions): Promise<T> {
  const { signal } = o;
  const policy = { ...DEFAULT_RETRY, ...o.retry };
  return withRetry(
    async () => {
      if (signal?.aborted) throw new CancelledError();
      const timeout = AbortSignal.timeout(o.timeoutMs);
      const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(signal?.aborted ? new CancelledError() : new CallTimeoutError(operation, o.timeoutMs));
        combined.addEventListener('abort', onAbort, { once: true });
      });
      aborted.catch(() => undefined);
      try {
        return await Promise.race([send(combined), aborted]);
      } catch (err) {
        if (signal?.aborted) throw new CancelledError();
        if (timeout.aborted) throw new CallTimeoutError(operation, o.timeoutMs, { cause: err });
        throw err;
      } finally {
        if (onAbort) combined.removeEventListener('abort', onAbort);
      }
    },
    { policy, operation: o.label ?? operation, signal, sleep: o.sleep, random: o.random, now: o.now },
  ).catch((err: unknown) => {
    throw tagOperation(err, operation);
  });
}
