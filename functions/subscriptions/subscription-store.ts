import { BatchWriteItemCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DigestPeriod } from '../../events/digest/compose';
import { queryPages } from '../adapters/query-pages';
import { retryUnprocessed } from '../adapters/unprocessed-retry';
import type { Preferences } from './preferences';
import { CONFIRMED_INDEX, failedConditions, isConditionFailure, itemKey, partition, PK, sendRetrying, SK, TTL, writeIfHeld, type TableAccess } from './table';

/**
 * Subscriptions and the sign-up requests that lead to them. State, not events: the address lives in
 * the `subscription` item (a confirmed subscriber) and the `request` item (a sign-up waiting for its
 * confirmation, gone by TTL when its confirmation link expires), nowhere else.
 *
 * A sign-up writes only its request: a confirmed subscription changes through a confirmation of the
 * exact request (its id is in the confirmation link) or a manage link of the current token version.
 */

export interface Subscription {
  sid: string;
  email: string;
  status: 'confirmed';
  preferences: Preferences;
  createdAt: string;
  /** When the address was first confirmed: digests published before it are not sent to it. */
  confirmedAt: string;
  /** Manage links carry it; raising it revokes them all. */
  tokenVersion: number;
  /** The request the latest confirmation confirmed (a repeated confirmation is answered from it). */
  lastRequestId?: string;
}

export interface SignUpRequest {
  sid: string;
  email: string;
  requested: Preferences;
  requestId: string;
  requestedAt: string;
  /** Epoch seconds: when its confirmation link expires, and TTL deletes it. */
  expiresAt: number;
}

export interface SubscriptionCounts {
  pending: number;
  confirmed: Record<DigestPeriod, number>;
  /** Confirmed subscribers of each period who follow every story. */
  everything: Record<DigestPeriod, number>;
  byStory: Record<string, Record<DigestPeriod, number>>;
  byTopic: Record<string, Record<DigestPeriod, number>>;
}

const SUBSCRIPTION = 'subscription';
const REQUEST = 'request';
const PERIODS: readonly DigestPeriod[] = ['daily', 'weekly'];
/** Listings of the `confirmed` index: confirmed subscriptions per period, and pending requests (for the counts). */
const listingOf = (period: DigestPeriod) => `confirmed/${period}`;
const PENDING_LISTING = 'pending';

/** A manage token's version matches the stored one (a subscription from before versions has version 1). */
const versionCondition = (version: number) => (version === 1 ? '(attribute_not_exists(tokenVersion) OR tokenVersion = :version)' : 'tokenVersion = :version');
const versionOf = (item: Record<string, unknown>): Subscription => ({ ...(item as unknown as Subscription), tokenVersion: Number(item.tokenVersion ?? 1) });

export const createSubscriptionStore = (access: TableAccess) => {
  const { client, tableName } = access;

  const read = async (sid: string, sk: string): Promise<Record<string, unknown> | undefined> => {
    const { Item } = await sendRetrying(access, 'GetItem', () => client.send(new GetItemCommand({ TableName: tableName, Key: itemKey(sid, sk), ConsistentRead: true })));
    return Item ? unmarshall(Item) : undefined;
  };

  /** The confirmed subscription (an item from before requests were kept apart counts only once confirmed). */
  const get = async (sid: string): Promise<Subscription | undefined> => {
    const item = await read(sid, SUBSCRIPTION);
    return item?.status === 'confirmed' && item.preferences ? versionOf(item) : undefined;
  };

  /** Pages of a Query (each request under the shared retries), each page's items. */
  async function* query(input: { index?: boolean; condition: string; names: Record<string, string>; values: Record<string, unknown>; projection?: string; filter?: string; limit?: number }) {
    const pages = queryPages(
      client,
      {
        TableName: tableName,
        ...(input.index ? { IndexName: CONFIRMED_INDEX.indexName } : { ConsistentRead: true }),
        KeyConditionExpression: input.condition,
        ExpressionAttributeNames: input.names,
        ExpressionAttributeValues: marshall(input.values),
        ...(input.projection ? { ProjectionExpression: input.projection } : {}),
        ...(input.filter ? { FilterExpression: input.filter } : {}),
      },
      { ...(input.limit ? { pageLimit: input.limit } : {}), send: (command) => sendRetrying(access, 'Query', () => client.send(command)) },
    );
    for await (const items of pages) yield items.map((item): Record<string, unknown> => unmarshall(item));
  }

  /** Updates a confirmed subscription while `version` is its manage links' version; the item after, or undefined. */
  const updateManaged = async (sid: string, version: number, update: string, values: Record<string, unknown>): Promise<Record<string, unknown> | undefined> => {
    try {
      const { Attributes } = await sendRetrying(access, 'UpdateItem', () =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: itemKey(sid, SUBSCRIPTION),
            UpdateExpression: update,
            ConditionExpression: `#status = :confirmed AND ${versionCondition(version)}`,
            ExpressionAttributeNames: { '#status': 'status', ...(update.includes('#listing') ? { '#listing': CONFIRMED_INDEX.partitionKey.name } : {}) },
            ExpressionAttributeValues: marshall({ ...values, ':confirmed': 'confirmed', ':version': version }),
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return Attributes ? unmarshall(Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  };

  return {
    get,

    /** The sign-up waiting for confirmation, if its link has not expired (TTL deletes late: an expired one counts as absent). */
    async pendingRequest(sid: string, nowMs: number): Promise<SignUpRequest | undefined> {
      const item = (await read(sid, REQUEST)) as SignUpRequest | undefined;
      return item && item.expiresAt * 1000 > nowMs ? item : undefined;
    },

    /** A sign-up: replaces the waiting request (its older link stops confirming anything); the subscription is not touched. */
    async request(request: SignUpRequest): Promise<void> {
      const item = { [PK.name]: partition(request.sid), [SK.name]: REQUEST, [CONFIRMED_INDEX.partitionKey.name]: PENDING_LISTING, ...request, [TTL]: request.expiresAt };
      await sendRetrying(access, 'PutItem', () => client.send(new PutItemCommand({ TableName: tableName, Item: marshall(item) })));
    },

    /**
     * Confirms the request `requestId` and nothing else: the request is deleted on the condition that
     * it is still that one, in the same transaction that writes the subscription. Repeating it answers
     * the subscription it made. Undefined when that request is not waiting (replaced, cancelled, expired).
     */
    async confirm(sid: string, requestId: string, now: Date): Promise<Subscription | undefined> {
      const confirmedBefore = async () => {
        const current = await get(sid);
        return current?.lastRequestId === requestId ? current : undefined;
      };
      const request = (await read(sid, REQUEST)) as SignUpRequest | undefined;
      if (request?.requestId !== requestId || request.expiresAt * 1000 <= now.getTime()) return confirmedBefore();
      const { requested: preferences } = request;
      try {
        await sendRetrying(access, 'TransactWriteItems', () =>
          client.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                {
                  Delete: {
                    TableName: tableName,
                    Key: itemKey(sid, REQUEST),
                    ConditionExpression: 'requestId = :requestId',
                    ExpressionAttributeValues: marshall({ ':requestId': requestId }),
                  },
                },
                {
                  Update: {
                    TableName: tableName,
                    Key: itemKey(sid, SUBSCRIPTION),
                    UpdateExpression:
                      'SET sid = :sid, email = :email, #status = :confirmed, preferences = :preferences, #listing = :listing, lastRequestId = :requestId, ' +
                      'createdAt = if_not_exists(createdAt, :now), confirmedAt = if_not_exists(confirmedAt, :now), tokenVersion = if_not_exists(tokenVersion, :one) REMOVE requested, #ttl',
                    ExpressionAttributeNames: { '#status': 'status', '#listing': CONFIRMED_INDEX.partitionKey.name, '#ttl': TTL },
                    ExpressionAttributeValues: marshall({
                      ':sid': sid,
                      ':email': request.email,
                      ':confirmed': 'confirmed',
                      ':preferences': preferences,
                      ':listing': listingOf(preferences.period),
                      ':requestId': requestId,
                      ':now': now.toISOString(),
                      ':one': 1,
                    }),
                  },
                },
              ],
            }),
          ),
        );
      } catch (error) {
        // a concurrent confirmation of the same request, or a newer request, got there first
        if (failedConditions(error)) return confirmedBefore();
        throw error;
      }
      return get(sid);
    },

    /** Deletes the waiting request `requestId` (the "this was not me" link of its mail); false when it is not waiting. */
    cancelRequest: (sid: string, requestId: string): Promise<boolean> =>
      writeIfHeld(access, 'DeleteItem', () =>
        client.send(
          new DeleteItemCommand({ TableName: tableName, Key: itemKey(sid, REQUEST), ConditionExpression: 'requestId = :requestId', ExpressionAttributeValues: marshall({ ':requestId': requestId }) }),
        ),
      ),

    /** A confirmed subscriber changes what they follow with a manage link of the current version. Undefined when there is none (or the link was revoked). */
    async updatePreferences(sid: string, version: number, preferences: Preferences): Promise<Subscription | undefined> {
      const updated = await updateManaged(sid, version, 'SET preferences = :preferences, #listing = :listing', { ':preferences': preferences, ':listing': listingOf(preferences.period) });
      return updated && versionOf(updated);
    },

    /** 'Sign me out everywhere': raises the token version, so every manage link sent so far stops working. The new version, or undefined. */
    async revokeManageLinks(sid: string, version: number): Promise<number | undefined> {
      const updated = await updateManaged(sid, version, 'SET tokenVersion = :next', { ':next': version + 1 });
      return updated && Number(updated.tokenVersion);
    },

    /**
     * Deletes everything kept about a subscriber: the subscription first (so that no send can be
     * claimed any more: send-ledger.ts claims only beside a subscription), then whatever else the
     * partition holds (the request, rate limits, send records, a claim in flight). With `version`
     * (a manage link's), only while that version is current: 'revoked' otherwise. Returns how many items went.
     */
    async erase(sid: string, version?: number): Promise<number | 'revoked'> {
      let erased = 0;
      try {
        const { Attributes } = await sendRetrying(access, 'DeleteItem', () =>
          client.send(
            new DeleteItemCommand({
              TableName: tableName,
              Key: itemKey(sid, SUBSCRIPTION),
              ReturnValues: 'ALL_OLD',
              ...(version === undefined
                ? {}
                : { ConditionExpression: `attribute_not_exists(#pk) OR ${versionCondition(version)}`, ExpressionAttributeNames: { '#pk': PK.name }, ExpressionAttributeValues: marshall({ ':version': version }) }),
            }),
          ),
        );
        if (Attributes) erased += 1;
      } catch (error) {
        if (isConditionFailure(error)) return 'revoked';
        throw error;
      }
      for await (const items of query({ condition: '#pk = :pk', names: { '#pk': PK.name, '#sk': SK.name }, values: { ':pk': partition(sid) }, projection: '#pk, #sk' })) {
        const requests = items.map((item) => ({ DeleteRequest: { Key: marshall({ [PK.name]: item[PK.name], [SK.name]: item[SK.name] }) } }));
        for (let i = 0; i < requests.length; i += 25) {
          await retryUnprocessed(tableName, 'BatchWriteItem', requests.slice(i, i + 25), async (chunk) => {
            const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: chunk } }));
            return (result.UnprocessedItems?.[tableName] ?? []) as typeof chunk;
          }, access.policy);
        }
        erased += items.length;
      }
      return erased;
    },

    /** Confirmed subscriptions of a period, page by page (the sparse `confirmed` index). */
    async *confirmed(period: DigestPeriod, pageSize = 500): AsyncGenerator<Subscription[]> {
      const names = { '#listing': CONFIRMED_INDEX.partitionKey.name };
      for await (const items of query({ index: true, condition: '#listing = :listing', names, values: { ':listing': listingOf(period) }, limit: pageSize })) yield items.map(versionOf);
    },

    /** Counts for editors, from the `confirmed` index (never a Scan; only status and preferences are read, never an address). */
    async counts(nowMs: number): Promise<SubscriptionCounts> {
      const counts: SubscriptionCounts = { pending: 0, confirmed: { daily: 0, weekly: 0 }, everything: { daily: 0, weekly: 0 }, byStory: {}, byTopic: {} };
      const add = (into: Record<string, Record<DigestPeriod, number>>, name: string, period: DigestPeriod) => {
        const entry = (into[name] ??= { daily: 0, weekly: 0 });
        entry[period] += 1;
      };
      const names = { '#listing': CONFIRMED_INDEX.partitionKey.name };
      for (const period of PERIODS) {
        for await (const items of query({ index: true, condition: '#listing = :listing', names, values: { ':listing': listingOf(period) }, projection: 'preferences' })) {
          for (const { preferences } of items as Pick<Subscription, 'preferences'>[]) {
            counts.confirmed[period] += 1;
            if (!preferences.stories.length && !preferences.topics.length) counts.everything[period] += 1;
            for (const story of preferences.stories) add(counts.byStory, story, period);
            for (const topic of preferences.topics) add(counts.byTopic, topic, period);
          }
        }
      }
      const live = { '#listing': CONFIRMED_INDEX.partitionKey.name, '#ttl': TTL };
      for await (const items of query({ index: true, condition: '#listing = :listing', names: live, values: { ':listing': PENDING_LISTING, ':now': Math.floor(nowMs / 1000) }, projection: '#ttl', filter: '#ttl > :now' })) {
        counts.pending += items.length;
      }
      return counts;
    },
  };
};

export type SubscriptionStore = ReturnType<typeof createSubscriptionStore>;
