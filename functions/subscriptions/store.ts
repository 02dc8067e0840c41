import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { subscriptionsTable } from '../../contracts/tables';
import type { DigestPeriod } from '../../events/digest/compose';
import type { Preferences } from './preferences';

/**
 * The subscriptions table (contracts/tables.ts). State, not events: the address lives in one item
 * only, and erasing a subscriber deletes their whole partition (subscription, rate limit, send records).
 */

export interface Subscription {
  sid: string;
  email: string;
  status: 'pending' | 'confirmed';
  /** What the subscriber receives (set by a confirmation). */
  preferences?: Preferences;
  /** Asked for by a sign-up and not yet confirmed (a confirmed subscriber's change waits here too). */
  requested?: Preferences;
  createdAt: string;
  confirmedAt?: string;
}

export interface SubscriptionCounts {
  pending: number;
  confirmed: Record<DigestPeriod, number>;
  /** Confirmed subscribers of each period who follow every story. */
  everything: Record<DigestPeriod, number>;
  byStory: Record<string, Record<DigestPeriod, number>>;
  byTopic: Record<string, Record<DigestPeriod, number>>;
}

const { partitionKey: PK, sortKey: SK, timeToLiveAttribute: TTL } = subscriptionsTable;
const [CONFIRMED_INDEX] = subscriptionsTable.globalSecondaryIndexes;
const SUBSCRIPTION = 'subscription';
const partition = (sid: string) => `sub/${sid}`;
const listingOf = (period: DigestPeriod) => `confirmed/${period}`;
const sentKey = (digestId: string) => `sent/${digestId}`;
/** A send claimed this long ago and never marked sent was lost with its sender: it may be claimed again. */
const STALE_CLAIM_MS = 15 * 60_000;

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

export const createSubscriptionStore = (client: DynamoDBClient, tableName: string) => {
  const key = (sid: string, sk: string) => marshall({ [PK.name]: partition(sid), [SK.name]: sk });

  const get = async (sid: string): Promise<Subscription | undefined> => {
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key(sid, SUBSCRIPTION), ConsistentRead: true }));
    return Item ? (unmarshall(Item) as Subscription) : undefined;
  };

  return {
    get,

    /** A sign-up: a new subscription is pending; an existing one keeps its state and gets the request to confirm. */
    async request(sid: string, email: string, requested: Preferences, now: Date): Promise<void> {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(sid, SUBSCRIPTION),
          UpdateExpression: 'SET sid = :sid, email = :email, requested = :requested, createdAt = if_not_exists(createdAt, :now), #status = if_not_exists(#status, :pending)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({ ':sid': sid, ':email': email, ':requested': requested, ':now': now.toISOString(), ':pending': 'pending' }),
        }),
      );
    },

    /** Confirms what was requested; repeating it changes nothing. Undefined when there is no subscription. */
    async confirm(sid: string, now: Date): Promise<Subscription | undefined> {
      const current = await get(sid);
      if (!current?.requested) return current;
      const preferences = current.requested;
      try {
        const { Attributes } = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(sid, SUBSCRIPTION),
            UpdateExpression: 'SET #status = :confirmed, preferences = :preferences, listing = :listing, confirmedAt = :now REMOVE requested',
            ConditionExpression: 'attribute_exists(requested)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: marshall({ ':confirmed': 'confirmed', ':preferences': preferences, ':listing': listingOf(preferences.period), ':now': now.toISOString() }),
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? (unmarshall(Attributes) as Subscription) : undefined;
      } catch (error) {
        // a concurrent confirmation (or a new request) got there first: what is stored now is the answer
        if (isConditionFailure(error)) return get(sid);
        throw error;
      }
    },

    /** A confirmed subscriber changes what they follow (they hold a manage token: no new confirmation). */
    async updatePreferences(sid: string, preferences: Preferences): Promise<Subscription | undefined> {
      try {
        const { Attributes } = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(sid, SUBSCRIPTION),
            UpdateExpression: 'SET preferences = :preferences, listing = :listing REMOVE requested',
            ConditionExpression: '#status = :confirmed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: marshall({ ':preferences': preferences, ':listing': listingOf(preferences.period), ':confirmed': 'confirmed' }),
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? (unmarshall(Attributes) as Subscription) : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    /** Deletes everything kept about a subscriber: the subscription, its rate limit and send records. Returns how many items. */
    async erase(sid: string): Promise<number> {
      let erased = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': PK.name, '#sk': SK.name },
            ExpressionAttributeValues: marshall({ ':pk': partition(sid) }),
            ProjectionExpression: '#pk, #sk',
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: marshall(start) } : {}),
          }),
        );
        const keys = page.Items ?? [];
        for (let i = 0; i < keys.length; i += 25) {
          let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
          while (requests.length) {
            const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
            requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
          }
        }
        erased += keys.length;
        start = page.LastEvaluatedKey ? unmarshall(page.LastEvaluatedKey) : undefined;
      } while (start);
      return erased;
    },

    /** At most one confirmation mail per address per window: true when this one may be sent. */
    async claimAddressSlot(sid: string, nowMs: number, windowSeconds: number): Promise<boolean> {
      const now = Math.floor(nowMs / 1000);
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: marshall({ [PK.name]: partition(sid), [SK.name]: 'rate', [TTL]: now + windowSeconds }),
            // TTL deletes late (up to days): an expired item counts as absent
            ConditionExpression: 'attribute_not_exists(#pk) OR #ttl <= :now',
            ExpressionAttributeNames: { '#pk': PK.name, '#ttl': TTL },
            ExpressionAttributeValues: marshall({ ':now': now }),
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    /** Counts a client's requests in the current fixed window; returns the count including this one. */
    async countClientRequest(clientId: string, nowMs: number, windowSeconds: number): Promise<number> {
      const window = Math.floor(nowMs / 1000 / windowSeconds);
      const { Attributes } = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: marshall({ [PK.name]: `client/${clientId}`, [SK.name]: `window/${window}` }),
          UpdateExpression: 'ADD requests :one SET #ttl = :expires',
          ExpressionAttributeNames: { '#ttl': TTL },
          ExpressionAttributeValues: marshall({ ':one': 1, ':expires': (window + 1) * windowSeconds }),
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes ? unmarshall(Attributes).requests : 1);
    },

    /** Confirmed subscriptions of a period, page by page (the sparse `confirmed` index). */
    async *confirmed(period: DigestPeriod, pageSize = 500): AsyncGenerator<Subscription[]> {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: CONFIRMED_INDEX.indexName,
            KeyConditionExpression: '#listing = :listing',
            ExpressionAttributeNames: { '#listing': CONFIRMED_INDEX.partitionKey.name },
            ExpressionAttributeValues: marshall({ ':listing': listingOf(period) }),
            Limit: pageSize,
            ...(start ? { ExclusiveStartKey: marshall(start) } : {}),
          }),
        );
        yield (page.Items ?? []).map((item) => unmarshall(item) as Subscription);
        start = page.LastEvaluatedKey ? unmarshall(page.LastEvaluatedKey) : undefined;
      } while (start);
    },

    /** Claims the send of a digest to a subscriber: false when it was sent, or is being sent, already. */
    async claimSend(sid: string, digestId: string, nowMs: number): Promise<boolean> {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: marshall({ [PK.name]: partition(sid), [SK.name]: sentKey(digestId), state: 'sending', claimedAt: nowMs }),
            ConditionExpression: 'attribute_not_exists(#pk) OR (#state = :sending AND claimedAt < :stale)',
            ExpressionAttributeNames: { '#pk': PK.name, '#state': 'state' },
            ExpressionAttributeValues: marshall({ ':sending': 'sending', ':stale': nowMs - STALE_CLAIM_MS }),
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async markSent(sid: string, digestId: string, nowMs: number): Promise<void> {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(sid, sentKey(digestId)),
          UpdateExpression: 'SET #state = :sent, sentAt = :now',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: marshall({ ':sent': 'sent', ':now': nowMs }),
        }),
      );
    },

    /** A failed send gives its claim back, so that a retry sends it. */
    async releaseSend(sid: string, digestId: string): Promise<void> {
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: key(sid, sentKey(digestId)) }));
    },

    /** Counts for editors; the scan never reads an address (only status and preferences are projected). */
    async counts(): Promise<SubscriptionCounts> {
      const counts: SubscriptionCounts = { pending: 0, confirmed: { daily: 0, weekly: 0 }, everything: { daily: 0, weekly: 0 }, byStory: {}, byTopic: {} };
      const add = (into: Record<string, Record<DigestPeriod, number>>, name: string, period: DigestPeriod) => {
        const entry = (into[name] ??= { daily: 0, weekly: 0 });
        entry[period] += 1;
      };
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: '#sk = :subscription',
            ProjectionExpression: '#status, preferences',
            ExpressionAttributeNames: { '#sk': SK.name, '#status': 'status' },
            ExpressionAttributeValues: marshall({ ':subscription': SUBSCRIPTION }),
            ...(start ? { ExclusiveStartKey: marshall(start) } : {}),
          }),
        );
        for (const raw of page.Items ?? []) {
          const item = unmarshall(raw) as Pick<Subscription, 'status' | 'preferences'>;
          if (item.status !== 'confirmed' || !item.preferences) {
            counts.pending += 1;
            continue;
          }
          const { period, stories, topics } = item.preferences;
          counts.confirmed[period] += 1;
          if (!stories.length && !topics.length) counts.everything[period] += 1;
          for (const story of stories) add(counts.byStory, story, period);
          for (const topic of topics) add(counts.byTopic, topic, period);
        }
        start = page.LastEvaluatedKey ? unmarshall(page.LastEvaluatedKey) : undefined;
      } while (start);
      return counts;
    },
  };
};

export type SubscriptionStore = ReturnType<typeof createSubscriptionStore>;
