import { gunzipSync, gzipSync } from 'node:zlib';
import { BatchWriteItemCommand, GetItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { snapshotsTable } from '../../contracts/tables';
import { filterFrom, type EventFilter } from '../../events/story/event-filter';
import type { SegmentEvent, SnapshotHead, SnapshotParts } from '../../events/story/snapshot';
import { queryPages } from './query-pages';
import { retryUnprocessed } from './unprocessed-retry';

/**
 * The snapshot store: snapshots of decided story state in a table of their own (no stream; nothing in
 * it is needed to answer anything, so it may be emptied or replaced). A stream's snapshot under a tag is
 * one partition: the head at sort key 0 (with the filter of its segments' events, gzipped bits), segment
 * i at i + 1, each a gzipped JSON body. Segments are
 * written before the head that names them: a write cut short leaves the previous head and what it
 * names whole (a segment past it is ignored, and written again with the same content later).
 */

const PK = snapshotsTable.partitionKey.name;
const SK = snapshotsTable.sortKey.name;
const HEAD = 0;
/** BatchWriteItem takes at most 25 puts. */
const PUTS_PER_WRITE = 25;

export interface StoredHead {
  head: SnapshotHead;
  /** The ids and hashes of the events in the head's segments. */
  filter: EventFilter;
}

export interface StoredSnapshot extends StoredHead {
  /** The segments the head names, in order. */
  segments: SegmentEvent[][];
  /** What the partition holds, keys and bodies: the bench prints it per story. */
  bytes: number;
  /** Of those, what the head item holds (all that a cold start reads of the snapshot). */
  headBytes: number;
}

export interface SnapshotStore {
  /** The head of a stream's snapshot under a tag, without its segments: one small read, whatever the story's length. */
  readHead(streamId: string, tag: string): Promise<StoredHead | undefined>;
  /** The snapshot of a stream under a tag, when there is one whole (every segment its head names). */
  read(streamId: string, tag: string): Promise<StoredSnapshot | undefined>;
  /** Writes the parts' segments, then their head. */
  write(streamId: string, tag: string, parts: SnapshotParts): Promise<void>;
}

/** No snapshot table: every cold start folds a story from its first event. */
export const noSnapshots: SnapshotStore = { readHead: () => Promise.resolve(undefined), read: () => Promise.resolve(undefined), write: () => Promise.resolve() };

const partition = (streamId: string, tag: string) => `${tag}/${streamId}`;
const encode = (value: unknown): Uint8Array => gzipSync(JSON.stringify(value));
const decode = <T>(body: Uint8Array): T => JSON.parse(gunzipSync(body).toString('utf8')) as T;
/** A head item's head and filter; none when the item lacks either (a head this code did not write). */
const headOf = (item: Record<string, AttributeValue> | undefined): StoredHead | undefined => {
  const body = item?.body?.B;
  const filter = item?.filter?.B;
  return body && filter ? { head: decode<SnapshotHead>(body), filter: filterFrom(new Uint8Array(gunzipSync(filter))) } : undefined;
};

export const createSnapshotStore = (client: DynamoDBClient, tableName: string): SnapshotStore => {
  const item = (streamId: string, tag: string, sortKey: number, body: unknown): Record<string, AttributeValue> => ({
    [PK]: { S: partition(streamId, tag) },
    [SK]: { N: String(sortKey) },
    body: { B: encode(body) },
  });

  const readHead: SnapshotStore['readHead'] = async (streamId, tag) => {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: { [PK]: { S: partition(streamId, tag) }, [SK]: { N: String(HEAD) } }, ConsistentRead: true }));
    return headOf(out.Item);
  };

  const read: SnapshotStore['read'] = async (streamId, tag) => {
    const bodies = new Map<number, Uint8Array>();
    let stored: StoredHead | undefined;
    let bytes = 0;
    let headBytes = 0;
    const pages = queryPages(client, {
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': { S: partition(streamId, tag) } },
      ConsistentRead: true,
    });
    for await (const items of pages) {
      for (const item of items) {
        const body = item.body?.B;
        if (!body || item[SK]?.N === undefined) continue;
        const itemBytes = body.byteLength + (item.filter?.B?.byteLength ?? 0) + partition(streamId, tag).length + 8;
        bytes += itemBytes;
        if (Number(item[SK].N) !== HEAD) bodies.set(Number(item[SK].N), body);
        else {
          stored = headOf(item);
          headBytes = itemBytes;
        }
      }
    }
    if (!stored) return undefined;
    const { head, filter } = stored;
    const segments: SegmentEvent[][] = [];
    for (let index = 0; index < head.segments; index++) {
      const body = bodies.get(index + 1);
      if (!body) return undefined;
      segments.push(decode<SegmentEvent[]>(body));
    }
    return { head, filter, segments, bytes, headBytes };
  };

  const write: SnapshotStore['write'] = async (streamId, tag, { head, filter, segments }) => {
    const puts: WriteRequest[] = segments.map(({ index, events }) => ({ PutRequest: { Item: item(streamId, tag, index + 1, events) } }));
    for (let i = 0; i < puts.length; i += PUTS_PER_WRITE) {
      await retryUnprocessed(tableName, 'BatchWriteItem', puts.slice(i, i + PUTS_PER_WRITE), async (pending) => {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
        return out.UnprocessedItems?.[tableName] ?? [];
      });
    }
    await client.send(new PutItemCommand({ TableName: tableName, Item: { ...item(streamId, tag, HEAD, head), filter: { B: gzipSync(filter.bits) } } }));
  };

  return { readHead, read, write };
};
