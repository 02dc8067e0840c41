import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Mailer } from '../../functions/adapters/mailer';
import { keysOfSecret } from '../../functions/subscriptions/secret';
import type { SubscriptionDeps } from '../../functions/subscriptions/service';
import { createSubscriptionStores } from '../../functions/subscriptions/stores';
import type { Preferences } from '../../functions/subscriptions/preferences';
import { CONFIRMATION_TTL_SECONDS, subscriberIdOf } from '../../functions/subscriptions/tokens';

/** Subscription dependencies on a test table: the three stores, a fixed one-string secret, and the mailer and clock a test gives. */

export const TEST_SECRET = 'k'.repeat(40);
export const testKeys = keysOfSecret(TEST_SECRET);
export const PUBLIC = 'https://news.example.org';

export const subscriptionDeps = (client: DynamoDBClient, tableName: string, mailer: Mailer, now: () => Date = () => new Date()): SubscriptionDeps => ({
  ...createSubscriptionStores(client, tableName),
  mailer,
  keys: () => Promise.resolve(testKeys),
  now,
  baseUrl: PUBLIC,
});

/** A confirmed subscriber, made through the store as a sign-up and its confirmation would. */
export const confirmedSubscriber = async (deps: SubscriptionDeps, address: string, preferences: Partial<Preferences> = {}, now = new Date()): Promise<string> => {
  const sid = subscriberIdOf(testKeys, address);
  const requestId = `r-${Math.random().toString(36).slice(2)}`;
  const requested = { period: 'weekly' as const, stories: [], topics: [], ...preferences };
  await deps.subscriptions.request({ sid, email: address, requested, requestId, requestedAt: now.toISOString(), expiresAt: Math.floor(Date.now() / 1000) + CONFIRMATION_TTL_SECONDS });
  await deps.subscriptions.confirm(sid, requestId, now);
  return sid;
};
