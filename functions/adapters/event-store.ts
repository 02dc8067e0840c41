import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { eventFingerprint } from '../../events/fingerprint';
import { createAppend, type AppendInput } from './event-append';
import { createEventLog, type EventLog } from './event-log';
import { createIdRegistry, type Appended } from './id-registry';
import { createIdempotencyKeys, type IdempotencyKey } from './idempotency-keys';
import type { RetryPolicy } from './retry-policy';

/**
 * The append-only event store on DynamoDB. One stream per story: (streamId, version 1..n). It is made of
 * one module per job, over the one events table:
 * - the event log (event-log.ts): reading streams, their heads, the streams of a category;
 * - the append (event-append.ts): one loop that writes a batch all at once, or says why not;
 * - the id registry (id-registry.ts, over event-id-records.ts): each event id unique forever, repeats recognised;
 * - idempotency keys (idempotency-keys.ts): a key used up only by a request that was applied.
 * Snapshots of decided state live elsewhere (snapshot-store.ts, a table of their own).
 */

export { MAX_EVENTS_PER_APPEND, SINGLE_TRANSACTION_EVENTS, type AppendInput, type NewEvent } from './event-append';
export type { IdempotencyKey } from './idempotency-keys';
export type AppendResult = Appended;

export interface EventStore extends EventLog {
  append(input: AppendInput): Promise<AppendResult>;
  /** The original result when every event of this batch is already stored (same ids, same content); a DuplicateError when an id is taken by other content. */
  findRepeat(batch: Pick<AppendInput, 'streamId' | 'events'>): Promise<AppendResult | undefined>;
  /** The stored version of each of these event ids that exists. */
  versionsOf(ids: string[]): Promise<Map<string, number>>;
  /** The result of the request an Idempotency-Key was used for in this stream (nothing when unused); DuplicateError when it was used with another body. */
  answerIdempotent(streamId: string, key: IdempotencyKey): Promise<AppendResult | undefined>;
  /** Uses up a key with no events, once (a one-time sign-in link): true the first time, false ever after. */
  claimKey(scope: string, key: string, recordedAt: string): Promise<boolean>;
}

export const createEventStore = (client: DynamoDBClient, tableName: string, { appendPolicy }: { appendPolicy?: RetryPolicy } = {}): EventStore => {
  const log = createEventLog(client, tableName);
  const ids = createIdRegistry(client, tableName, log);
  const keys = createIdempotencyKeys(client, tableName);
  return {
    ...log,
    append: createAppend({ client, tableName, log, ids, keys }, appendPolicy),
    findRepeat: async (batch) => (await ids.lookUp(batch, batch.events.map((event) => eventFingerprint(batch.streamId, event)))).repeat,
    versionsOf: (eventIds) => ids.versionsOf(eventIds),
    answerIdempotent: (streamId, key) => keys.answer(streamId, key),
    claimKey: (scope, key, recordedAt) => keys.claim(scope, key, recordedAt),
  };
};
