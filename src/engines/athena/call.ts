import { CallTimeoutError, tagOperation } from './errors.js';
import { CancelledError, withRetry, type RetryPolicy, type Sleep } from './retry.js';

export interface CallOptions {
  timeoutMs: number;
  retry: RetryPolicy;
  /** The user's cancellation; absent for calls that must finish (start, stop). */
  signal?: AbortSignal;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
}

/**
 * One AWS call: a time limit (enforced even if the SDK never settles, e.g. while
 * resolving credentials), the user's cancellation where a signal is given, and retries
 * of throttling and transient failures with jittered backoff. Failures are tagged with
 * the operation for the message.
 */
export async function awsCall<T>(operation: string, send: (abortSignal: AbortSignal) => Promise<T>, o: CallOptions): Promise<T> {
  const { signal } = o;
  return withRetry(async () => {
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
  }, { policy: o.retry, operation, signal, sleep: o.sleep, random: o.random, now: o.now }).catch((err: unknown) => {
    throw tagOperation(err, operation);
  });
}
