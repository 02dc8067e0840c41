import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  TransactionCanceledException,
  TransactionConflictException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { subscriptionsTable } from '../../contracts/tables';
import { DEFAULT_RETRY_POLICY, retryOnError, type RetryPolicy } from '../adapters/retry-policy';

/**
 * What the three subscription stores (subscription-store.ts, rate-limits.ts, send-ledger.ts) share
 * of the subscriptions table (contracts/tables.ts): the partition of a subscriber, item keys, and
 * one way to send a request under the shared retry policy.
 */

export const { partitionKey: PK, sortKey: SK, timeToLiveAttribute: TTL } = subscriptionsTable;
export const [CONFIRMED_INDEX] = subscriptionsTable.globalSecondaryIndexes;

/** Everything about one subscriber sits in this partition: an erasure deletes it whole. */
export const partition = (sid: string): string => `sub/${sid}`;
export const itemKey = (sid: string, sk: string) => marshall({ [PK.name]: partition(sid), [SK.name]: sk });

export const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

/** Which items of a cancelled transaction failed their condition (by position), none when it was cancelled for another reason. */
export const failedConditions = (error: unknown): boolean[] | undefined =>
  error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')
    ? error.CancellationReasons.map((r) => r.Code === 'ConditionalCheckFailed')
    : undefined;

/** Errors that a moment later may not recur: throttling, an internal error, a transaction that met another. */
const isTransient = (error: unknown): boolean =>
  error instanceof ProvisionedThroughputExceededException ||
  error instanceof RequestLimitExceeded ||
  error instanceof InternalServerError ||
  error instanceof TransactionConflictException ||
  (error instanceof TransactionCanceledException && !failedConditions(error) && (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError'));

export interface TableAccess {
  client: DynamoDBClient;
  tableName: string;
  policy?: RetryPolicy;
}

/** Sends a request, again after a transient error (retry-policy.ts); a failed condition passes through at once. */
export const sendRetrying = <T>(access: TableAccess, operation: string, send: () => Promise<T>): Promise<T> =>
  retryOnError(`${operation} on ${access.tableName}`, send, isTransient, access.policy ?? DEFAULT_RETRY_POLICY);

/** Sends a conditional write as sendRetrying does: true when it was written, false when its condition failed (nothing written). */
export const writeIfHeld = async (access: TableAccess, operation: string, send: () => Promise<unknown>): Promise<boolean> => {
  try {
    await sendRetrying(access, operation, send);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};
