/**
 * The one definition of Storyline's DynamoDB tables: key names, key types, indexes and streams.
 * The CDK stack, the local runtime, the adapters and the tests all import it; nothing re-types it.
 */

export type KeyType = 'S' | 'N';
export interface KeyDefinition {
  name: string;
  type: KeyType;
}
export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
}
export interface TableDefinition {
  /** logical id in CDK, and the base of the local table name */
  id: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
  globalSecondaryIndexes: IndexDefinition[];
  /** DynamoDB stream view type, when the table has a stream */
  stream?: 'NEW_IMAGE';
  /** The attribute (epoch seconds) DynamoDB's TTL deletes an item after, when the table has one */
  timeToLiveAttribute?: string;
}

/**
 * Events: one item per event (streamId, version 1..n), plus one uniqueness record per event id
 * (`$event/<id>`, version 0; its receipt, for ids of batches over 50 events, at version 1) and one
 * per idempotency key of a stream (`$idempotency/<stream id>/<key>`, version 0). Nothing else.
 * The sparse `streams` index holds the first event of each stream (attribute `category`).
 */
export const eventsTable = {
  id: 'Events',
  partitionKey: { name: 'streamId', type: 'S' },
  sortKey: { name: 'version', type: 'N' },
  globalSecondaryIndexes: [
    { indexName: 'streams', partitionKey: { name: 'category', type: 'S' }, sortKey: { name: 'streamId', type: 'S' } },
  ],
  stream: 'NEW_IMAGE',
} as const satisfies TableDefinition;

/**
 * Read models: one document per key (`g<generation>/story/<id>/timeline`, `g<generation>/feed/all`...),
 * stored gzipped in one item (sk `0`) or, when large, in several (sk `0`, `1`, ...). The item
 * `$generation` names the generation readers use; a rebuild writes a new one, then switches.
 */
export const readModelsTable = {
  id: 'ReadModels',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'N' },
  globalSecondaryIndexes: [] as IndexDefinition[],
} as const satisfies TableDefinition;

/**
 * Digest subscriptions: state, not events, so that an address never enters the immutable log and an
 * erasure is one partition deleted. Everything about a subscriber sits in partition `sub/<sid>`
 * (`sid`: an HMAC of the address, opaque): the subscription (sk `subscription`, the only item holding
 * the address), the per-address rate limit (sk `rate`) and one send record per digest (sk
 * `sent/<digestId>`). Per-client rate limits are `client/<hmac of the client>` items. Rate-limit items
 * carry `expiresAt` for TTL. The sparse `confirmed` index lists confirmed subscriptions per period
 * (`listing` = `confirmed/<period>`). No stream: nothing projects subscriptions, and a read-model
 * rebuild never touches this table.
 */
export const subscriptionsTable = {
  id: 'Subscriptions',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [{ indexName: 'confirmed', partitionKey: { name: 'listing', type: 'S' }, sortKey: { name: 'pk', type: 'S' } }],
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/**
 * Snapshots of a story's decided state, so that a cold instance need not fold a long story from its
 * first event. Partition `<tag>/<stream id>` (tag: the decider's version, so that a changed decider
 * reads none of the old ones); sort key 0 is the head (the state's small parts and the version it was
 * taken at), 1..n the segments (the ids, types and hashes of 100 events each, written once). No stream,
 * and nothing in it is needed to answer anything (a story is its events): it may be deleted and replaced.
 */
export const snapshotsTable = {
  id: 'Snapshots',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'N' },
  globalSecondaryIndexes: [] as IndexDefinition[],
} as const satisfies TableDefinition;

export const tables = [eventsTable, readModelsTable, subscriptionsTable, snapshotsTable] as const;

/** Prefixes of the events table's bookkeeping items (never events). */
export const EVENT_ID_PREFIX = '$event/';
export const IDEMPOTENCY_PREFIX = '$idempotency/';
export const isBookkeepingKey = (streamId: string): boolean => streamId.startsWith('$');
