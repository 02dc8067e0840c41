/**
 * The one retry policy: a bounded number of attempts, an exponential backoff with full jitter (a
 * random delay from zero up to the bound, so that callers retrying at once spread out), an injected
 * sleep and random so that tests wait for nothing, and a typed error at the limit.
 *
 * - `retrying(operation, attempt, policy)`: for work that answers "not done yet" (items left
 *   unprocessed, entries a batch reports as failed, a version taken by another writer): `attempt`
 *   returns `{ done: true, value }` or `{ done: false, left }`; at the bound, RetryLimitError.
 * - `retryOnError(operation, run, isRetryable, policy)`: for work that throws a transient error
 *   (throttling, an internal error, a conflicting transaction): retried while `isRetryable` says so;
 *   at the bound, RetryLimitError with the last error as its cause. Other errors pass through at once.
 */

export interface RetryPolicy {
  /** Calls after the first. */
  retries: number;
  /** The bound of the first delay; it doubles with each retry, up to `capMs`. */
  baseMs: number;
  capMs: number;
  /** In [0, 1). */
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Up to about 3 s of waiting in all (half that on average): well inside a Lambda's timeout. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 8,
  baseMs: 25,
  capMs: 1000,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A policy with some settings changed, the rest the default's. */
export const retryPolicy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({ ...DEFAULT_RETRY_POLICY, ...overrides });

/** The wait before the `retry`th retry (1-based): full jitter under min(cap, base·2^(retry-1)). */
export const backoffDelay = ({ baseMs, capMs, random }: RetryPolicy, retry: number): number =>
  random() * Math.min(capMs, baseMs * 2 ** (retry - 1));

export class RetryLimitError extends Error {
  override readonly name = 'RetryLimitError';
  constructor(
    /** What was being done, e.g. `BatchWriteItem on storyline-read-models`. */
    readonly operation: string,
    /** Calls made in all. */
    readonly attempts: number,
    /** What was still not done at the bound, when the attempt said (items left, for example). */
    readonly left?: number,
    options?: { cause?: unknown },
  ) {
    super(`${operation} was not done after ${attempts} attempts${left === undefined ? '' : ` (${left} left)`}`, options);
  }
}

export type Attempt<T> = { done: true; value: T } | { done: false; left?: number };

/** Calls `attempt` (with its 0-based number) until it is done, sleeping between calls; RetryLimitError at the bound. */
export const retrying = async <T>(operation: string, attempt: (n: number) => Promise<Attempt<T>>, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<T> => {
  for (let n = 0; ; n++) {
    if (n > 0) await policy.sleep(backoffDelay(policy, n));
    const result = await attempt(n);
    if (result.done) return result.value;
    if (n >= policy.retries) throw new RetryLimitError(operation, n + 1, result.left);
  }
};

/** Runs `run` again after each error `isRetryable` accepts, up to the bound; RetryLimitError (cause: the last error) there. */
export const retryOnError = async <T>(
  operation: string,
  run: (n: number) => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> => {
  for (let n = 0; ; n++) {
    if (n > 0) await policy.sleep(backoffDelay(policy, n));
    try {
      return await run(n);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (n >= policy.retries) throw new RetryLimitError(operation, n + 1, undefined, { cause: error });
    }
  }
};
