import { PutItemCommand, TransactWriteItemsCommand, TransactionCanceledException, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { encodeEvent } from '../../events/catalog/codec';
import type { DomainEvent, EventMetadata } from '../../events/catalog/events';
import { ConflictError, ValidationError } from '../../events/errors';
import { eventFingerprint } from '../../events/fingerprint';
import { claimPut, idRecordPut, insertOnly, type IdRecord } from './event-id-records';
import { toEventItem } from './event-items';
import type { EventLog } from './event-log';
import type { Appended, IdRegistry } from './id-registry';
import type { IdempotencyKey, IdempotencyKeys } from './idempotency-keys';
import { retrying, retryPolicy, RetryLimitError, type Attempt, type RetryPolicy } from './retry-policy';

/**
 * The append: the events of a batch are written by one TransactWriteItems, each only if its version is
 * free, so readers see all of them or none. Each event id is unique forever through its id record: up
 * to 50 events, the id records go in the same transaction; a larger batch (or one whose ids an earlier
 * attempt claimed) claims its ids in a transaction before. One loop with one attempt budget: each
 * round writes, or learns why it could not (a repeat to answer, ids to look up, a head that moved, a
 * busy store) and goes round after the retry policy's backoff. Nothing here updates or deletes.
 */

/** DynamoDB allows 100 actions per transaction. */
const MAX_TRANSACTION_ITEMS = 100;
/** A batch of up to 100 events is written in one transaction. */
export const MAX_EVENTS_PER_APPEND = 100;
/** Up to this many events, each event's item and its id record (two actions) fit in one transaction. */
export const SINGLE_TRANSACTION_EVENTS = 50;
/** Rounds of one append: ids to look up, a version taken at an unchanged head, DynamoDB Local's lock waits. */
export const APPEND_RETRY_POLICY = retryPolicy({ retries: 10, baseMs: 20, capMs: 250 });

/** The one batch-size rule of an append, checked by the store and, before any work, by the story service. */
export const requireAppendSize = (count: number): void => {
  if (count > MAX_EVENTS_PER_APPEND) {
    throw new ValidationError('Batch too large', [{ field: 'events', message: `at most ${MAX_EVENTS_PER_APPEND} events per append (got ${count})` }]);
  }
};

export type NewEvent = DomainEvent & { id: string; reportedAt?: string };

export interface AppendInput {
  streamId: string;
  /** The version the caller saw (0 for a new stream); absent means "append at the head". */
  expectedVersion?: number;
  events: NewEvent[];
  metadata: EventMetadata;
  /** Server time, ISO 8601 UTC. */
  recordedAt: string;
  /** The request's Idempotency-Key: recorded with the events, so that it is used up only by a request that was applied. */
  idempotency?: IdempotencyKey;
}

const CONDITION_FAILED = 'ConditionalCheckFailed';
const reasonsOf = (error: unknown) => (error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : []);
const isThrottled = (error: unknown) => reasonsOf(error).some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded');
/** The store failed inside (DynamoDB Local says so when a lock waits too long under concurrent transactions) after the SDK's own retries. */
const isInternalError = (error: unknown) => error instanceof Error && error.name === 'InternalServerError';

export const createAppend = (
  { client, tableName, log, ids, keys }: { client: DynamoDBClient; tableName: string; log: Pick<EventLog, 'headVersion' | 'readRecords'>; ids: IdRegistry; keys: IdempotencyKeys },
  policy: RetryPolicy = APPEND_RETRY_POLICY,
) => async (input: AppendInput): Promise<Appended> => {
  const { streamId, events, expectedVersion, idempotency } = input;
  if (events.length === 0) throw new ValidationError('Nothing to append', [{ field: 'events', message: 'must not be empty' }]);
  requireAppendSize(events.length);
  if (new Set(events.map((e) => e.id)).size !== events.length) throw new ValidationError('Duplicate ids in batch', [{ field: 'events', message: 'event ids must be unique within a batch' }]);
  const hashes = events.map((event) => eventFingerprint(streamId, event));
  const keyItems = idempotency ? 1 : 0;
  const fitsOne = events.length <= SINGLE_TRANSACTION_EVENTS && events.length * 2 + keyItems <= MAX_TRANSACTION_ITEMS;

  const appended = (base: number): Appended => ({ streamId, version: base + events.length, events: events.map((e, i) => ({ id: e.id, version: base + i + 1, type: e.type })), repeated: false });
  const eventPuts = (base: number): TransactWriteItem[] =>
    events.map((event, i) => {
      const { type, schemaVersion, data } = encodeEvent(event);
      const reportedAt = event.reportedAt ?? input.recordedAt;
      return insertOnly(tableName, toEventItem({ streamId, version: base + i + 1, id: event.id, type, schemaVersion, data, recordedAt: input.recordedAt, reportedAt, metadata: input.metadata }));
    });
  const keyRecord = (result: Appended): TransactWriteItem[] => (idempotency ? [keys.record(streamId, idempotency, result, input.recordedAt)] : []);
  const stale = (head: number) => {
    if (expectedVersion !== undefined && head !== expectedVersion) throw new ConflictError(`stream ${streamId} is at version ${head}, not ${expectedVersion}`, head);
  };

  // what the rounds learn: the ids' records once looked up, the head last seen, the last failure
  let records: Map<string, IdRecord> | undefined;
  let lookUpNext = !fitsOne;
  let head = expectedVersion ?? 0;
  let lastError: unknown;

  /**
   * Why a transaction failed: an id that exists (look it up), this key used meanwhile (answer), a
   * version taken (the head moved: 409 if a version was expected, else go round, reading the head
   * anew), or a busy store (go round). A taken version is a conflict whatever the new head is, so it
   * is not read: the caller that expected a version reads the events after it if it needs them (the
   * story service does, to decide again or to say the head in its 409).
   */
  const failed = async (error: unknown, { idAt, eventAt, keyAt }: { idAt: (index: number) => boolean; eventAt: (index: number) => boolean; keyAt: number }): Promise<Attempt<Appended>> => {
    lastError = error;
    if (isInternalError(error)) return { done: false };
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = reasonsOf(error);
    if (reasons.some((r, i) => r.Code === CONDITION_FAILED && idAt(i))) {
      lookUpNext = true;
      return { done: false };
    }
    if (idempotency && reasons[keyAt]?.Code === CONDITION_FAILED) {
      const answer = await keys.answer(streamId, idempotency);
      if (answer) return { done: true, value: answer };
    }
    if (reasons.some((r, i) => r.Code === CONDITION_FAILED && eventAt(i))) {
      if (expectedVersion !== undefined) throw new ConflictError(`stream ${streamId} is past version ${expectedVersion}`);
      return { done: false };
    }
    // cancelled for another reason (a transaction conflict): whether the head moved is known only by reading it
    head = await log.headVersion(streamId);
    stale(head);
    return { done: false };
  };

  /** Each event's item and its id record (and the key's record), in one transaction. */
  const writeInOne = async (): Promise<Attempt<Appended>> => {
    const base = expectedVersion ?? (await log.headVersion(streamId));
    head = base;
    const result = appended(base);
    const items = eventPuts(base).flatMap((put, i) => [put, idRecordPut(tableName, { id: events[i]!.id, streamId, hash: hashes[i]!, version: base + i + 1 })]);
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: [...items, ...keyRecord(result)] }));
      return { done: true, value: result };
    } catch (error) {
      return failed(error, { idAt: (i) => i < items.length && i % 2 === 1, eventAt: (i) => i < items.length && i % 2 === 0, keyAt: items.length });
    }
  };

  /**
   * The ids claimed first (one transaction), then the events (another). Readers see all of the events
   * or none; a claim whose events were never written (the append failed in between) only lets the same
   * event be sent again, with the same content.
   */
  const writeClaimed = async (claims: Map<string, IdRecord>): Promise<Attempt<Appended>> => {
    const unclaimed = events.flatMap((event, i) => (claims.has(event.id) ? [] : [{ id: event.id, streamId, hash: hashes[i]! }]));
    if (unclaimed.length) {
      const at = await log.headVersion(streamId);
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: unclaimed.map((claim) => claimPut(tableName, { ...claim, claimedAfter: at })) }));
      } catch (error) {
        return failed(error, { idAt: () => true, eventAt: () => false, keyAt: -1 });
      }
      for (const claim of unclaimed) claims.set(claim.id, { ...claim, claimedAfter: at });
    }
    // whatever was appended since the claims: the events themselves (another request with this batch wrote them), or the head to write after
    const claimedAfter = Math.min(...[...claims.values()].map((claim) => claim.claimedAfter ?? Number.POSITIVE_INFINITY));
    const since = await log.readRecords(streamId, { after: claimedAfter });
    if (since.some((event) => claims.has(event.id))) {
      lookUpNext = true;
      return { done: false };
    }
    head = since.length ? since[since.length - 1]!.version : claimedAfter;
    stale(head);
    const result = appended(head);
    const keyFits = events.length + keyItems <= MAX_TRANSACTION_ITEMS;
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: [...eventPuts(head), ...(keyFits ? keyRecord(result) : [])] }));
    } catch (error) {
      return failed(error, { idAt: () => false, eventAt: (i) => i < events.length, keyAt: events.length });
    }
    // a full transaction leaves no room for the key: it is recorded after (a re-send is answered by its ids meanwhile)
    if (!keyFits) await Promise.all(keyRecord(result).map((item) => client.send(new PutItemCommand(item.Put!)).catch(() => undefined)));
    await ids.writeReceipts(result.events);
    return { done: true, value: result };
  };

  const round = async (): Promise<Attempt<Appended>> => {
    if (lookUpNext) {
      const found = await ids.lookUp(input, hashes);
      if (found.repeat) return { done: true, value: found.repeat };
      records = found.records;
      lookUpNext = false;
    }
    return records === undefined || (records.size === 0 && fitsOne) ? writeInOne() : writeClaimed(records);
  };

  try {
    return await retrying(`append to ${streamId}`, round, policy);
  } catch (error) {
    if (!(error instanceof RetryLimitError)) throw error;
    // throttled or failing to the end is no conflict (409: re-read and decide again) but a busy store (5xx: wait and re-send)
    if (isThrottled(lastError) || isInternalError(lastError)) throw lastError;
    throw new ConflictError(`stream ${streamId} is busy: try again`, head);
  }
};
