/**
 * BatchGetItem and BatchWriteItem may answer with part of a request unprocessed (throttling, the
 * response size limit). The SDK does not retry those: this asks again for what is left, under the
 * shared retry policy (retry-policy.ts: exponential backoff with full jitter, a bounded number of
 * times), and fails loudly at the bound naming the operation, the table and what was left.
 */
import { DEFAULT_RETRY_POLICY, RetryLimitError, retrying, type RetryPolicy } from './retry-policy';

export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

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

/** Sends `items`, then what each answer left unprocessed, until nothing is left; UnprocessedItemsError at the bound. */
export const retryUnprocessed = async <T>(
  table: string,
  operation: BatchOperation,
  items: T[],
  send: (items: T[]) => Promise<T[]>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<void> => {
  if (items.length === 0) return;
  let pending = items;
  try {
    await retrying(
      `${operation} on ${table}`,
      async () => {
        pending = await send(pending);
        return pending.length === 0 ? { done: true, value: undefined } : { done: false, left: pending.length };
      },
      policy,
    );
  } catch (error) {
    if (error instanceof RetryLimitError) throw new UnprocessedItemsError(operation, table, pending.length, policy.retries);
    throw error;
  }
};
