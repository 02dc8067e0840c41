import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RecordedEvent } from '../../events/catalog/events';
import { isUnreadable, type ProjectableEvent, type UnreadableEvent } from '../../events/catalog/unreadable';
import { eventsTable } from '../../contracts/tables';
import { decodeEventItem } from './event-items';
import { queryPages } from './query-pages';

/**
 * Reading the event log: a stream's events in version order, its head, the streams of a category
 * (the sparse `streams` index), and every event of the table for a rebuild. Writing is the append's
 * (event-append.ts); nothing here writes.
 */

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

export interface StreamInfo {
  streamId: string;
  version: number;
}

export interface EventLog {
  /** Events of a stream with version > after, in order, at most `limit`. */
  readStream(streamId: string, options?: { after?: number; limit?: number }): Promise<RecordedEvent[]>;
  /** As readStream, but an event this code cannot read comes back in its place as an UnreadableEvent instead of failing the read. */
  readRecords(streamId: string, options?: { after?: number; limit?: number }): Promise<ProjectableEvent[]>;
  /** The head version of a stream (0 when it has no event). */
  headVersion(streamId: string): Promise<number>;
  /** The streams of a category, each with its head version (one Query per stream). */
  listStreams(category: string): Promise<StreamInfo[]>;
  /** The ids of the streams of a category, from the index alone (no Query per stream). */
  streamIds(category: string): Promise<string[]>;
  /** Every event of the table, stream by stream, in version order (for rebuilds); unreadable ones in their place. */
  scanAll(onPage: (events: ProjectableEvent[]) => Promise<void> | void): Promise<void>;
}

export const createEventLog = (client: DynamoDBClient, tableName: string): EventLog => {
  const readRecords: EventLog['readRecords'] = async (streamId, { after = 0, limit = Number.POSITIVE_INFINITY } = {}) => {
    const events: ProjectableEvent[] = [];
    const pages = queryPages(
      client,
      {
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND #sk > :after',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':pk': { S: streamId }, ':after': { N: String(after) } },
        ConsistentRead: true,
      },
      // no Limit without a limit: then a page is what DynamoDB returns
      Number.isFinite(limit) ? { limit, pageLimit: 1000 } : {},
    );
    for await (const items of pages) for (const item of items) events.push(decodeEventItem(item));
    return events;
  };

  const readStream: EventLog['readStream'] = async (streamId, options) => {
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

  const streamIds = async (category: string): Promise<string[]> => {
    const ids: string[] = [];
    const pages = queryPages(client, {
      TableName: tableName,
      IndexName: STREAMS_INDEX.indexName,
      KeyConditionExpression: '#c = :c',
      ExpressionAttributeNames: { '#c': STREAMS_INDEX.partitionKey.name },
      ExpressionAttributeValues: { ':c': { S: category } },
    });
    for await (const items of pages) for (const item of items) if (item[PK]?.S) ids.push(item[PK].S);
    return ids;
  };

  const listStreams = async (category: string): Promise<StreamInfo[]> =>
    Promise.all((await streamIds(category)).map(async (streamId) => ({ streamId, version: await headVersion(streamId) })));

  const scanAll: EventLog['scanAll'] = async (onPage) => {
    for (const category of ['story', 'digest']) {
      for (const streamId of await streamIds(category)) {
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

  return { readStream, readRecords, headVersion, listStreams, streamIds, scanAll };
};
