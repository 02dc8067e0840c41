import { createHash } from 'node:crypto';
import {
  BatchGetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  ConditionalCheckFailedException,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { canonicalJson } from '../../events/canonical';
import { encodeEvent } from '../../events/catalog/codec';
import type { DomainEvent, EventMetadata, RecordedEvent } from '../../events/catalog/events';
import { ConflictError, DuplicateError, ValidationError } from '../../events/errors';
import { EVENT_ID_PREFIX, eventsTable, IDEMPOTENCY_PREFIX } from '../../infra/tables';
import { fromEventItem, toEventItem, type EventItem } from './event-items';

/**
 * The append-only event store on DynamoDB. One stream per story: (streamId, version 1..n).
 * An append is one TransactWriteItems: each event's item (only if that version is free) and each
 * event id's uniqueness record (only if the id was never used). Nothing here updates or deletes.
 */

/** DynamoDB allows 100 actions per transaction and each event takes two (its item and its id record). */
export const MAX_EVENTS_PER_APPEND = 50;

const PK = eventsTable.partitionKey.name;
const SK = eventsTable.sortKey.name;
const STREAMS_INDEX = eventsTable.globalSecondaryIndexes[0];

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

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What makes two sends of an event "the same": its stream, type, data and reported time. */
const eventHash = (streamId: string, event: NewEvent): string =>
  sha256(canonicalJson({ streamId, type: event.type, data: event.data, reportedAt: event.reportedAt ?? null }));

const idRecordKey = (eventId: string) => ({ [PK]: { S: `${EVENT_ID_PREFIX}${eventId}` }, [SK]: { N: '0' } });

export interface EventStore {
  append(input: AppendInput): Promise<AppendResult>;
  /** Events of a stream with version > after, in order, at most `limit`. */
  readStream(streamId: string, options?: { after?: number; limit?: number }): Promise<RecordedEvent[]>;
  /** The head version of a stream (0 when it has no event). */
  headVersion(streamId: string): Promise<number>;
  listStreams(category: string): Promise<StreamInfo[]>;
  /** Every event of the table, stream by stream, in version order (for rebuilds). */
  scanAll(onPage: (events: RecordedEvent[]) => Promise<void> | void): Promise<void>;
  /**
   * Claims an idempotency key for a request (its hash). Returns false when the key was already
   * claimed with the same hash, and throws DuplicateError when it was claimed by another request.
   */
  claimIdempotencyKey(key: string, requestHash: string, recordedAt: string): Promise<boolean>;
  /** The original result when every event of this batch is already stored (same ids, same content); a DuplicateError when an id is taken by other content. */
  findRepeat(input: Pick<AppendInput, 'streamId' | 'events'>): Promise<AppendResult | undefined>;
  /** The stored version of each of these event ids that exists. */
  versionsOf(ids: string[]): Promise<Map<string, number>>;
}

export const createEventStore = (client: DynamoDBClient, tableName: string): EventStore => {
  const readStream: EventStore['readStream'] = async (streamId, { after = 0, limit = Number.POSITIVE_INFINITY } = {}) => {
    const events: RecordedEvent[] = [];
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
      for (const item of page.Items ?? []) events.push(fromEventItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey && events.length < limit);
    return events;
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

  /** The id records of these events, by event id. */
  const findIdRecords = async (ids: string[]): Promise<Map<string, EventItem>> => {
    const found = new Map<string, EventItem>();
    let keys = ids.map(idRecordKey);
    while (keys.length) {
      const out = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of out.Responses?.[tableName] ?? []) found.set(item.eventId?.S ?? '', item);
      keys = (out.UnprocessedKeys?.[tableName]?.Keys as typeof keys | undefined) ?? [];
    }
    return found;
  };

  /** Answers a re-sent batch from the id records: its original result, or a DuplicateError. */
  const resolveRepeat = (input: Pick<AppendInput, 'streamId' | 'events'>, hashes: string[], records: Map<string, EventItem>): AppendResult | undefined => {
    if (records.size === 0) return undefined;
    const events = input.events.map((event, i) => {
      const record = records.get(event.id);
      if (!record) throw new DuplicateError(`event ${event.id} is new but others of this batch were already appended: re-send the original batch alone`);
      if (record.hash?.S !== hashes[i] || record.eventStreamId?.S !== input.streamId) {
        throw new DuplicateError(`event id ${event.id} is already used by another event`);
      }
      return { id: event.id, version: Number(record.eventVersion?.N), type: event.type };
    });
    return { streamId: input.streamId, version: Math.max(...events.map((e) => e.version)), events, repeated: true };
  };

  const append = async (input: AppendInput): Promise<AppendResult> => {
    const { streamId, events } = input;
    if (events.length === 0) throw new ValidationError('Nothing to append', [{ field: 'events', message: 'must not be empty' }]);
    if (events.length > MAX_EVENTS_PER_APPEND) {
      throw new ValidationError('Batch too large', [{ field: 'events', message: `at most ${MAX_EVENTS_PER_APPEND} events per append (got ${events.length})` }]);
    }
    const ids = events.map((e) => e.id);
    if (new Set(ids).size !== ids.length) throw new ValidationError('Duplicate ids in batch', [{ field: 'events', message: 'event ids must be unique within a batch' }]);
    const hashes = events.map((event) => eventHash(streamId, event));

    const repeat = resolveRepeat(input, hashes, await findIdRecords(ids));
    if (repeat) return repeat;

    for (let attempt = 0; ; attempt++) {
      const base = input.expectedVersion ?? (await headVersion(streamId));
      const items: TransactWriteItem[] = [];
      events.forEach((event, i) => {
        const version = base + i + 1;
        const { type, schemaVersion, data } = encodeEvent(event);
        items.push({
          Put: {
            TableName: tableName,
            Item: toEventItem({
              streamId,
              version,
              id: event.id,
              type,
              schemaVersion,
              data,
              recordedAt: input.recordedAt,
              reportedAt: event.reportedAt ?? input.recordedAt,
              metadata: input.metadata,
            }),
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': PK },
          },
        });
        items.push({
          Put: {
            TableName: tableName,
            Item: { ...idRecordKey(event.id), eventId: { S: event.id }, eventStreamId: { S: streamId }, eventVersion: { N: String(version) }, hash: { S: hashes[i] ?? '' } },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': PK },
          },
        });
      });
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return { streamId, version: base + events.length, events: events.map((e, i) => ({ id: e.id, version: base + i + 1, type: e.type })), repeated: false };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const idClash = reasons.some((r, i) => i % 2 === 1 && r.Code === 'ConditionalCheckFailed');
        if (idClash) {
          // another request stored one of these ids meanwhile: answer as a repeat (or refuse)
          const again = resolveRepeat(input, hashes, await findIdRecords(ids));
          if (again) return again;
        }
        const head = await headVersion(streamId);
        if (input.expectedVersion !== undefined && head !== input.expectedVersion) {
          throw new ConflictError(`stream ${streamId} is at version ${head}, not ${input.expectedVersion}`, head);
        }
        // a transaction conflict or throttling that left the head where we expected it, or a racing append at the head: try again
        if (attempt >= 10) {
          // throttled to the end is not a conflict (409: re-read and decide again) but a busy store (503: wait and re-send)
          if (reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')) throw error;
          throw new ConflictError(`stream ${streamId} is busy: try again`, head);
        }
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
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
          const page = await readStream(streamId, { after, limit: 1000 });
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

  const findRepeat: EventStore['findRepeat'] = async (input) =>
    resolveRepeat(input, input.events.map((event) => eventHash(input.streamId, event)), await findIdRecords(input.events.map((e) => e.id)));

  const versionsOf: EventStore['versionsOf'] = async (ids) => {
    const records = await findIdRecords(ids);
    return new Map([...records].map(([id, item]) => [id, Number(item.eventVersion?.N)]));
  };

  return { append, readStream, headVersion, listStreams, scanAll, claimIdempotencyKey, findRepeat, versionsOf };
};
