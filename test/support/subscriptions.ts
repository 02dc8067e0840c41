import { BatchWriteItemCommand, GetItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { retryUnprocessed } from '../../functions/adapters/unprocessed-retry';
import type { Mailer } from '../../functions/adapters/mailer';
import { keysOfSecret } from '../../functions/subscriptions/secret';
import type { SubscriptionDeps } from '../../functions/subscriptions/service';
import { createSubscriptionStores } from '../../functions/subscriptions/stores';
import type { Preferences } from '../../functions/subscriptions/preferences';
import { itemKey } from '../../functions/subscriptions/table';
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

/**
 * Many confirmed subscribers, for a suite about what happens to them rather than about signing up:
 * the first made by `confirmedSubscriber` (the store's own writes), the others written with
 * BatchWriteItem as copies of the item the store wrote for it, its id and address replaced by
 * theirs wherever they appear (its key, its listing in the `confirmed` index and every other
 * attribute stay as the store wrote them). Thousands in seconds, where a sign-up and a confirmation
 * each take four requests. Their subscriber ids, in the order of `addresses`.
 */
export const confirmedSubscribers = async (deps: SubscriptionDeps, client: DynamoDBClient, tableName: string, addresses: readonly string[], preferences: Partial<Preferences> = {}): Promise<string[]> => {
  const [first, ...others] = addresses;
  if (first === undefined) return [];
  const sid = await confirmedSubscriber(deps, first, preferences);
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: itemKey(sid, 'subscription'), ConsistentRead: true }));
  if (!Item) throw new Error(`the store wrote no subscription item for ${sid}`);
  const template = JSON.stringify(unmarshall(Item));
  const sids = addresses.map((address) => subscriberIdOf(testKeys, address));
  const copies: WriteRequest[] = others.map((address, i) => ({
    PutRequest: { Item: marshall(JSON.parse(template.replaceAll(sid, sids[i + 1] ?? '').replaceAll(first, address)) as Record<string, unknown>) },
  }));
  for (let at = 0; at < copies.length; at += 25) {
    await retryUnprocessed(tableName, 'BatchWriteItem', copies.slice(at, at + 25), async (chunk) => {
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: chunk } }));
      return result.UnprocessedItems?.[tableName] ?? [];
    });
  }
  return sids;
};
