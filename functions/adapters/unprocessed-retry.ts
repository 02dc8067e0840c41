/**
 * BatchGetItem and BatchWriteItem may answer with part of a request unprocessed (throttling, the
 * response size limit). The SDK does not retry those: this asks again for what is left, after an
 * exponential backoff with full jitter (a random delay from zero up to the bound, so that retrying
 * callers spread out), a bounded number of times, and fails loudly at the bound.
 */

export type BatchOperation = 'BatchGetItem' | 'BatchWriteItem';

export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
  constructor(
    readonly operation: BatchOperation,
    readonly table: string,
    /** Items still unprocessed at the bound. */
    readonly count: number,
    retries: number,
  ) {
    super(`${operation} on table ${table} left ${count} items unprocessed after ${retries} retries`);
  }
}

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

/** Sends `items`, then what each answer left unprocessed, until nothing is left; UnprocessedItemsError at the bound. */
export const retryUnprocessed = async <T>(
  table: string,
  operation: BatchOperation,
  items: T[],
  send: (items: T[]) => Promise<T[]>,
  { retries, baseMs, capMs, random, sleep }: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<void> => {
  let pending = items;
  for (let retry = 0; pending.length > 0; retry++) {
    if (retry > 0) {
      if (retry > retries) throw new UnprocessedItemsError(operation, table, pending.length, retries);
      await sleep(random() * Math.min(capMs, baseMs * 2 ** (retry - 1)));
    }
    pending = await send(pending);
  }
};
