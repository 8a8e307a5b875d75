import { CasebookError } from '../errors.js';
import { GaveUpError, isRetryable } from './errors.js';

/**
 * casebook's one retry policy for AWS calls (Athena, Glue, S3, ...): throttling, 5xx
 * and dropped connections are retried with "full jitter" exponential backoff; the SDK
 * makes one attempt per call (src/aws/client.ts), so retries never nest.
 */
export interface RetryPolicy {
  /** Calls in all, the first included. */
  attempts: number;
  /** Ceiling of the first wait; doubles each retry. */
  baseMs: number;
  /** Largest wait. */
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 250, maxMs: 8_000 };

/** What a caller may change of the policy, and the waits and jitter tests inject. */
export interface RetryOverrides extends Partial<RetryPolicy> {
  sleep?: Sleep;
  random?: () => number;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A query cancelled by the user (Ctrl-C / SIGTERM). */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** Wait `ms`, or less if `signal` aborts (then reject with CancelledError). */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** "Full jitter": a wait drawn uniformly from [0, min(max, base * 2^retry)). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** retry));
}

export interface RetryOptions {
  policy: RetryPolicy;
  /** API operation, for the give-up message. */
  operation: string;
  signal?: AbortSignal;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  /** Told before each wait. */
  onRetry?: (err: unknown, attempt: number, waitMs: number) => void;
}

/**
 * Call `fn` until it succeeds, retrying throttling, 5xx and dropped connections with
 * jittered exponential backoff; anything else fails at once. When the attempts run out,
 * throws GaveUpError holding the last failure.
 */
export async function withRetry<T>(fn: () => Promise<T>, o: RetryOptions): Promise<T> {
  const wait = o.sleep ?? sleep;
  const now = o.now ?? (() => performance.now());
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof CancelledError || err instanceof CasebookError || !isRetryable(err)) throw err;
      if (attempt >= o.policy.attempts) throw new GaveUpError(o.operation, attempt, now() - started, err);
      const ms = backoffMs(attempt - 1, o.policy, o.random);
      o.onRetry?.(err, attempt, ms);
      await wait(ms, o.signal);
    }
  }
}
