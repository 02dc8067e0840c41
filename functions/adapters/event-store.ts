import {
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  ConditionalCheckFailedException,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { eventFingerprint } from '../../events/fingerprint';
import { encodeEvent } from '../../events/catalog/codec';
import type { DomainEvent, EventMetadata, RecordedEvent } from '../../events/catalog/events';
import { ConflictError, DuplicateError, ValidationError } from '../../events/errors';
import { eventsTable, IDEMPOTENCY_PREFIX, SNAPSHOT_PREFIX } from '../../contracts/tables';
import { isUnreadable, type ProjectableEvent, type UnreadableEvent } from '../../events/catalog/unreadable';
import { claimPut, idRecordPut, insertOnly, readIdRecords, receiptPut, type IdRecord } from './event-id-records';
import { decodeEventItem, toEventItem } from './event-items';

/**
 * The append-only event store on DynamoDB. One stream per story: (streamId, version 1..n).
 * The events of an append are written by one TransactWriteItems, each only if its version is free,
 * so readers see all of them or none. Each event id is unique forever through its id record
 * (event-id-records.ts): up to 50 events, the id records go in the same transaction; a larger batch
 * claims its ids in a transaction before. Nothing here updates or deletes.
 */

/** DynamoDB allows 100 actions per transaction: a batch of up to 100 events is written in one. */
export const MAX_EVENTS_PER_APPEND = 100;
/** The one batch-size rule of an append, checked by the store and, before any work, by the story service. */
export const requireAppendSize = (count: number): void => {
  if (count > MAX_EVENTS_PER_APPEND) {
    throw new ValidationError('Batch too large', [{ field: 'events', message: `at most ${MAX_EVENTS_PER_APPEND} events per append (got ${count})` }]);
  }
};
/** Up to this many events, each event's item and its id record (two actions) fit in one transaction. */
export const SINGLE_TRANSACTION_EVENTS = 50;

const PK = eventsTable.partitionKey.name;
const SK = eventsTable.sortKey.name;
const STREAMS_INDEX = eventsTable.globalSecondaryIndexes[0];

/** A stream holds an event this code cannot read, where every event is needed (deciding on a story, its log as events). */
export class UnreadableEventError extends Error {
  override readonly name = 'UnreadableEventError';
  constructor(readonly event: UnreadableEvent) {
    super(`event ${event.id} (version ${event.version} of ${event.streamId}, type ${event.type}) cannot be read: ${event.reason}`);
  }
}

export type NewEvent = DomainEvent & { id: string; reportedAt?: string };

export interface AppendInput {
  streamId: string;
  /** The version the caller saw (0 for a new stream); absent means "append at the head". */
  expectedVersion?: number;
  events: NewEvent[];
  metadata: EventMetadata;
  /** Server time, ISO 8601 UTC. */
  recordedAt: string;
}

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append (for a repeat: the version of its last event). */
  version: number;
  events: { id: string; version: number; type: string }[];
  /** True when every event was already stored: nothing was written. */
  repeated: boolean;
}

export interface StreamInfo {
  streamId: string;
  version: number;
}


export interface EventStore {
  append(input: AppendInput): Promise<AppendResult>;
  /** Events of a stream with version > after, in order, at most `limit`. */
  readStream(streamId: string, options?: { after?: number; limit?: number }): Promise<RecordedEvent[]>;
  /** As readStream, but an event this code cannot read comes back in its place as an UnreadableEvent instead of failing the read. */
  readRecords(streamId: string, options?: { after?: number; limit?: number }): Promise<ProjectableEvent[]>;
  /** The head version of a stream (0 when it has no event). */
  headVersion(streamId: string): Promise<number>;
  listStreams(category: string): Promise<StreamInfo[]>;
  /** Every event of the table, stream by stream, in version order (for rebuilds); unreadable ones in their place. */
  scanAll(onPage: (events: ProjectableEvent[]) => Promise<void> | void): Promise<void>;
  /**
   * Claims an idempotency key for a request (its hash). Returns false when the key was already
   * claimed with the same hash, and throws DuplicateError when it was claimed by another request.
   */
  claimIdempotencyKey(key: string, requestHash: string, recordedAt: string): Promise<boolean>;
  /** The original result when every event of this batch is already stored (same ids, same content); a DuplicateError when an id is taken by other content. */
  findRepeat(input: Pick<AppendInput, 'streamId' | 'events'>): Promise<AppendResult | undefined>;
  /** The stored version of each of these event ids that exists. */
  versionsOf(ids: string[]): Promise<Map<string, number>>;
  /**
   * The latest snapshot of a stream's state stored under `tag` (the version of the code that folded
   * it: snapshots of other tags are never read), and the events after it.
   */
  readFromSnapshot(streamId: string, tag: string): Promise<{ snapshot?: Snapshot; events: RecordedEvent[] }>;
  /** Stores a snapshot (an insert: a snapshot already taken at this version is left as it is). */
  saveSnapshot(streamId: string, tag: string, snapshot: Snapshot): Promise<void>;
}

export interface Snapshot {
  /** the stream version the state was folded up to */
  version: number;
  /** the state, encoded by its owner */
  body: Uint8Array;
}

/** DynamoDB's item limit is 400 KB: a snapshot larger than this is not stored (the stream is read from the last one that was). */
export const MAX_SNAPSHOT_BYTES = 380_000;

export const createEventStore = (client: DynamoDBClient, tableName: string): EventStore => {
  const readRecords: EventStore['readRecords'] = async (streamId, { after = 0, limit = Number.POSITIVE_INFINITY } = {}) => {
    const events: ProjectableEvent[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk AND #sk > :after',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: { ':pk': { S: streamId }, ':after': { N: String(after) } },
          ConsistentRead: true,
          ...(Number.isFinite(limit) ? { Limit: Math.min(1000, limit - events.length) } : {}),
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) events.push(decodeEventItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey && events.length < limit);
    return events;
  };

  const readStream: EventStore['readStream'] = async (streamId, options) => {
    const events = await readRecords(streamId, options);
    const unreadable = events.find(isUnreadable);
    if (unreadable) throw new UnreadableEventError(unreadable);
    return events as RecordedEvent[];
  };

  const headVersion = async (streamId: string): Promise<number> => {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':pk': { S: streamId } },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
        ProjectionExpression: '#sk',
      }),
    );
    const top = page.Items?.[0]?.[SK]?.N;
    return top === undefined ? 0 : Number(top);
  };

  /**
   * The id records of these events, with the version of every claimed id whose event is stored. A
   * claim without a receipt is looked up in its stream after the head it was claimed at (and given
   * its receipt when found, so that the next lookup is one read).
   */
  const settledIdRecords = async (ids: readonly string[]): Promise<Map<string, IdRecord>> => {
    const records = await readIdRecords(client, tableName, ids);
    const unsettled = new Map<string, IdRecord[]>();
    for (const record of records.values()) {
      if (record.version === undefined) unsettled.set(record.streamId, [...(unsettled.get(record.streamId) ?? []), record]);
    }
    for (const [streamId, claims] of unsettled) {
      const wanted = new Map(claims.map((claim) => [claim.id, claim]));
      const after = Math.min(...claims.map((claim) => claim.claimedAfter ?? 0));
      const found = (await readRecords(streamId, { after })).filter((event) => wanted.has(event.id));
      for (const event of found) (wanted.get(event.id) as IdRecord).version = event.version;
      await writeReceipts(found);
    }
    return records;
  };

  /** Receipts only save a later lookup the read of the stream: failing to write them changes no answer. */
  const writeReceipts = async (stored: readonly { id: string; version: number }[]): Promise<void> => {
    if (stored.length === 0) return;
    await client.send(new TransactWriteItemsCommand({ TransactItems: stored.map((event) => receiptPut(tableName, event)) })).catch(() => undefined);
  };

  /**
   * A re-sent batch: its original result when every event is stored, `partial` when some are stored
   * and others not, nothing when it is new or only claimed; a DuplicateError when an id is used by
   * other content.
   */
  const resolveRepeat = (input: Pick<AppendInput, 'streamId' | 'events'>, hashes: readonly string[], records: Map<string, IdRecord>): AppendResult | 'partial' | undefined => {
    if (records.size === 0) return undefined;
    input.events.forEach((event, i) => {
      const record = records.get(event.id);
      if (record && (record.hash !== hashes[i] || record.streamId !== input.streamId)) throw new DuplicateError(`event id ${event.id} is already used by another event`);
    });
    const stored = input.events.filter((event) => records.get(event.id)?.version !== undefined);
    if (stored.length === 0) return undefined;
    if (stored.length < input.events.length) return 'partial';
    const events = input.events.map((event) => ({ id: event.id, version: records.get(event.id)?.version as number, type: event.type }));
    return { streamId: input.streamId, version: Math.max(...events.map((e) => e.version)), events, repeated: true };
  };

  /**
   * The id records of a batch, and its original result if it is a repeat. Reads of many items are no
   * snapshot (BatchGetItem and Query may see a transaction that commits while they read in part), so
   * a batch seen partly stored is looked at again before it is refused as partly stored.
   */
  const lookUp = async (input: Pick<AppendInput, 'streamId' | 'events'>, hashes: readonly string[]): Promise<{ records: Map<string, IdRecord>; repeat?: AppendResult }> => {
    for (let attempt = 1; ; attempt++) {
      const records = await settledIdRecords(input.events.map((e) => e.id));
      const repeat = resolveRepeat(input, hashes, records);
      if (repeat !== 'partial') return { records, ...(repeat ? { repeat } : {}) };
      if (attempt === 3) {
        const fresh = input.events.find((event) => records.get(event.id)?.version === undefined);
        throw new DuplicateError(`event ${fresh?.id} is new but others of this batch were already appended: re-send the original batch alone`);
      }
      await new Promise((r) => setTimeout(r, 25 * attempt));
    }
  };

  const eventPuts = (input: AppendInput, base: number): TransactWriteItem[] =>
    input.events.map((event, i) => {
      const { type, schemaVersion, data } = encodeEvent(event);
      return insertOnly(
        tableName,
        toEventItem({
          streamId: input.streamId,
          version: base + i + 1,
          id: event.id,
          type,
          schemaVersion,
          data,
          recordedAt: input.recordedAt,
          reportedAt: event.reportedAt ?? input.recordedAt,
          metadata: input.metadata,
        }),
      );
    });

  const appended = (input: AppendInput, base: number): AppendResult => ({
    streamId: input.streamId,
    version: base + input.events.length,
    events: input.events.map((e, i) => ({ id: e.id, version: base + i + 1, type: e.type })),
    repeated: false,
  });

  /**
   * After a cancelled transaction at an unchanged head (a transaction conflict, throttling, or a
   * racing append that the next round will see): wait a little, or give up after 10 rounds.
   */
  const backOff = async (error: TransactionCanceledException, attempt: number, streamId: string, head: number): Promise<void> => {
    if (attempt >= 10) {
      // throttled to the end is not a conflict (409: re-read and decide again) but a busy store (503: wait and re-send)
      if ((error.CancellationReasons ?? []).some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')) throw error;
      throw new ConflictError(`stream ${streamId} is busy: try again`, head);
    }
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
  };

  const isInternalError = (error: unknown): boolean => error instanceof Error && error.name === 'InternalServerError';

  const conflict = (input: AppendInput, head: number): ConflictError | undefined =>
    input.expectedVersion !== undefined && head !== input.expectedVersion
      ? new ConflictError(`stream ${input.streamId} is at version ${head}, not ${input.expectedVersion}`, head)
      : undefined;

  const append = async (input: AppendInput): Promise<AppendResult> => {
    const { streamId, events } = input;
    if (events.length === 0) throw new ValidationError('Nothing to append', [{ field: 'events', message: 'must not be empty' }]);
    requireAppendSize(events.length);
    const ids = events.map((e) => e.id);
    if (new Set(ids).size !== ids.length) throw new ValidationError('Duplicate ids in batch', [{ field: 'events', message: 'event ids must be unique within a batch' }]);
    const hashes = events.map((event) => eventFingerprint(streamId, event));
    // a batch that fits one transaction is written at once: its id records are looked up only when
    // the transaction says one of them exists (a repeat, an id taken, or claimed by a larger batch)
    return events.length > SINGLE_TRANSACTION_EVENTS ? appendLookedUp(input, hashes) : appendInOne(input, hashes);
  };

  const appendLookedUp = async (input: AppendInput, hashes: readonly string[]): Promise<AppendResult> => {
    const { records, repeat } = await lookUp(input, hashes);
    if (repeat) return repeat;
    if (input.events.length > SINGLE_TRANSACTION_EVENTS || records.size > 0) return appendClaimed(input, hashes, records);
    return appendInOne(input, hashes);
  };

  /** Each event's item and its id record, in one transaction. */
  const appendInOne = async (input: AppendInput, hashes: readonly string[]): Promise<AppendResult> => {
    const { streamId } = input;
    const ids = input.events.map((e) => e.id);
    for (let attempt = 0; ; attempt++) {
      const base = input.expectedVersion ?? (await headVersion(streamId));
      const items = eventPuts(input, base).flatMap((put, i) => [put, idRecordPut(tableName, { id: ids[i] as string, streamId, hash: hashes[i] as string, version: base + i + 1 })]);
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return appended(input, base);
      } catch (error) {
        if (isInternalError(error) && attempt < 10) {
          // the store failed inside (DynamoDB Local says so when a lock waits too long under concurrent
          // transactions) after the SDK's own retries: wait and send again. Had the transaction been
          // written after all, the id records' conditions fail on the next send and it is answered as a repeat.
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
          continue;
        }
        if (!(error instanceof TransactionCanceledException)) throw error;
        // one of these ids is stored or claimed (by an earlier send of this batch or another request): look it up (a repeat, a refusal or a claim)
        if ((error.CancellationReasons ?? []).some((r, i) => i % 2 === 1 && r.Code === 'ConditionalCheckFailed')) return appendLookedUp(input, hashes);
        const head = await headVersion(streamId);
        const stale = conflict(input, head);
        if (stale) throw stale;
        await backOff(error, attempt, streamId, head);
      }
    }
  };

  /**
   * A batch too large for one transaction (or whose ids an earlier attempt claimed): first claim the
   * ids that have no record (one transaction), then write the events (another). Readers see all of the
   * events or none; a claim whose events were never written (the append failed in between) only lets
   * the same event be sent again, with the same content.
   */
  const appendClaimed = async (input: AppendInput, hashes: readonly string[], records: Map<string, IdRecord>): Promise<AppendResult> => {
    const { streamId, events } = input;
    let claimedAfter = Math.min(...[...records.values()].map((record) => record.claimedAfter ?? Number.POSITIVE_INFINITY));
    const unclaimed = events.flatMap((event, i) => (records.has(event.id) ? [] : [{ id: event.id, streamId, hash: hashes[i] as string }]));
    if (unclaimed.length) {
      const head = await headVersion(streamId);
      for (let attempt = 0; ; attempt++) {
        try {
          await client.send(new TransactWriteItemsCommand({ TransactItems: unclaimed.map((claim) => claimPut(tableName, { ...claim, claimedAfter: head })) }));
          break;
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          // claimed or stored by another request meanwhile: look again
          if ((error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')) return appendLookedUp(input, hashes);
          await backOff(error, attempt, streamId, head);
        }
      }
      claimedAfter = Math.min(claimedAfter, head);
    }

    const wanted = new Set(events.map((e) => e.id));
    for (let attempt = 0; ; attempt++) {
      // whatever was appended since the claim: the events themselves (another request with this batch
      // wrote them), or the head to write them after
      const since = await readRecords(streamId, { after: claimedAfter });
      const mine = since.filter((event) => wanted.has(event.id));
      // stored by another request with this batch (or storing right now: look again)
      if (mine.length) return (await lookUp(input, hashes)).repeat ?? appendClaimed(input, hashes, records);
      const head = since.length ? (since[since.length - 1] as ProjectableEvent).version : claimedAfter;
      const stale = conflict(input, head);
      if (stale) throw stale;
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: eventPuts(input, head) }));
        const result = appended(input, head);
        await writeReceipts(result.events);
        return result;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        await backOff(error, attempt, streamId, head);
      }
    }
  };

  const listStreams = async (category: string): Promise<StreamInfo[]> => {
    const ids: string[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: STREAMS_INDEX.indexName,
          KeyConditionExpression: '#c = :c',
          ExpressionAttributeNames: { '#c': STREAMS_INDEX.partitionKey.name },
          ExpressionAttributeValues: { ':c': { S: category } },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) if (item[PK]?.S) ids.push(item[PK].S);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return Promise.all(ids.map(async (streamId) => ({ streamId, version: await headVersion(streamId) })));
  };

  const scanAll: EventStore['scanAll'] = async (onPage) => {
    for (const category of ['story', 'digest']) {
      for (const { streamId } of await listStreams(category)) {
        let after = 0;
        for (;;) {
          const page = await readRecords(streamId, { after, limit: 1000 });
          if (page.length === 0) break;
          await onPage(page);
          after = page[page.length - 1]?.version ?? after;
          if (page.length < 1000) break;
        }
      }
    }
  };

  const claimIdempotencyKey = async (key: string, requestHash: string, recordedAt: string): Promise<boolean> => {
    const Key = { [PK]: { S: `${IDEMPOTENCY_PREFIX}${key}` }, [SK]: { N: '0' } };
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...Key, requestHash: { S: requestHash }, recordedAt: { S: recordedAt } },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (error.Item?.requestHash?.S === requestHash) return false;
      throw new DuplicateError(`Idempotency-Key ${key} was already used with another request body`);
    }
  };

  const findRepeat: EventStore['findRepeat'] = async (input) => (await lookUp(input, input.events.map((event) => eventFingerprint(input.streamId, event)))).repeat;

  const versionsOf: EventStore['versionsOf'] = async (ids) => {
    const records = await settledIdRecords(ids);
    return new Map([...records.values()].flatMap((record) => (record.version === undefined ? [] : [[record.id, record.version] as const])));
  };

  const snapshotKey = (streamId: string, tag: string) => `${SNAPSHOT_PREFIX}${tag}/${streamId}`;

  const readFromSnapshot: EventStore['readFromSnapshot'] = async (streamId, tag) => {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': { S: snapshotKey(streamId, tag) } },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = page.Items?.[0];
    const snapshot = item?.[SK]?.N !== undefined && item.body?.B ? { version: Number(item[SK].N), body: item.body.B } : undefined;
    return { ...(snapshot ? { snapshot } : {}), events: await readStream(streamId, { after: snapshot?.version ?? 0 }) };
  };

  const saveSnapshot: EventStore['saveSnapshot'] = async (streamId, tag, { version, body }) => {
    if (body.byteLength > MAX_SNAPSHOT_BYTES) return;
    try {
      await client.send(new PutItemCommand({ ...insertOnly(tableName, { [PK]: { S: snapshotKey(streamId, tag) }, [SK]: { N: String(version) }, body: { B: body } }).Put! }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  };

  return { append, readStream, readRecords, headVersion, listStreams, scanAll, claimIdempotencyKey, findRepeat, versionsOf, readFromSnapshot, saveSnapshot };
};
