import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RetryPolicy } from '../adapters/retry-policy';
import { createRateLimits, type RateLimits } from './rate-limits';
import { createSendLedger, type SendLedger } from './send-ledger';
import { createSubscriptionStore, type SubscriptionStore } from './subscription-store';

/** The subscriptions table's three stores, by job: subscriptions (and sign-up requests), rate limits, the send ledger. */
export interface SubscriptionStores {
  subscriptions: SubscriptionStore;
  rateLimits: RateLimits;
  ledger: SendLedger;
}

export const createSubscriptionStores = (client: DynamoDBClient, tableName: string, policy?: RetryPolicy): SubscriptionStores => {
  const access = { client, tableName, ...(policy ? { policy } : {}) };
  return { subscriptions: createSubscriptionStore(access), rateLimits: createRateLimits(access), ledger: createSendLedger(access) };
};
