import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { BatchWriteItemCommand, ConditionalCheckFailedException, PutItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { snapshotsTable } from '../../contracts/tables';
import { emptyFilter, filterFrom, type EventFilter } from '../../events/story/event-filter';
import type { SegmentEvent, SnapshotHead, SnapshotParts } from '../../events/story/snapshot';
import { queryPages } from './query-pages';
import { retryUnprocessed } from './unprocessed-retry';

/**
 * The snapshot store: snapshots of decided story state in a table of their own (no stream; nothing in
 * it is needed to answer anything, so it may be emptied or replaced). A stream's snapshot under a tag is
 * one partition: the filter of the segments' events at sort key -1 (gzipped bits, with the number of
 * segments it covers), the head at 0, segment i at i + 1, each a gzipped JSON body. A cold start reads
 * the filter and the head in one Query. Segments are written before the filter that covers them, and
 * the filter before the head that names them; the filter and the head are written only over older ones
 * (a condition on their segments and version), so the stored filter always covers the stored head's
 * segments. A write cut short leaves the previous head and what it names whole (a segment past it is
 * ignored, and written again with the same content later).
 */

const PK = snapshotsTable.partitionKey.name;
const SK = snapshotsTable.sortKey.name;
const FILTER = -1;
const HEAD = 0;
/** BatchWriteItem takes at most 25 puts. */
const PUTS_PER_WRITE = 25;

export interface StoredHead {
  head: SnapshotHead;
  /** The ids and hashes of the events in the head's segments (and perhaps of the segments after them). */
  filter: EventFilter;
}

export interface StoredSnapshot extends StoredHead {
  /** The segments the head names, in order. */
  segments: SegmentEvent[][];
  /** What the partition holds, keys and bodies: the bench prints it per story. */
  bytes: number;
  /** Of those, what the head and filter items hold (all that a cold start reads of the snapshot). */
  headBytes: number;
}

export interface SnapshotStore {
  /** The head of a stream's snapshot under a tag and its filter, without its segments: one small read, whatever the story's length. */
  readHead(streamId: string, tag: string): Promise<StoredHead | undefined>;
  /** The snapshot of a stream under a tag, when there is one whole (every segment its head names). */
  read(streamId: string, tag: string): Promise<StoredSnapshot | undefined>;
  /** Writes the parts' segments, then their filter, then their head (the filter and head unless newer ones are stored). */
  write(streamId: string, tag: string, parts: SnapshotParts): Promise<void>;
}

/** No snapshot table: every cold start folds a story from its first event. */
export const noSnapshots: SnapshotStore = { readHead: () => Promise.resolve(undefined), read: () => Promise.resolve(undefined), write: () => Promise.resolve() };

const partition = (streamId: string, tag: string) => `${tag}/${streamId}`;
const encode = (value: unknown): Uint8Array => gzipSync(JSON.stringify(value));
const decode = <T>(body: Uint8Array): T => JSON.parse(gunzipSync(body).toString('utf8')) as T;
type Item = Record<string, AttributeValue>;
const itemBytes = (item: Item) => (item[PK] ? (item.body?.B?.byteLength ?? 0) + (item.filter?.B?.byteLength ?? 0) + (item[PK].S?.length ?? 0) + 8 : 0);

/**
 * The head and filter items' head and filter; none when the head is missing, or the filter does not
 * cover the head's segments (a head this code did not write, or a filter lost: the stream is folded).
 */
const headOf = (headItem: Item | undefined, filterItem: Item | undefined): StoredHead | undefined => {
  const body = headItem?.body?.B;
  if (!body) return undefined;
  const head = decode<SnapshotHead>(body);
  if (head.segments === 0) return { head, filter: emptyFilter() };
  const bits = filterItem?.filter?.B;
  if (!bits || Number(filterItem.segments?.N ?? 0) < head.segments) return undefined;
  return { head, filter: filterFrom(new Uint8Array(gunzipSync(bits))) };
};

const isNewer = (error: unknown) => error instanceof ConditionalCheckFailedException;
/**
 * A filter's bits gzipped run-length only: near the smallest any deflate gives for bits this random
 * (30 KiB at 5,000 events, 59 KiB at 20,000), in 0.5 ms where the default strategy's search for
 * repeats took 9-10 ms at 5,000 events (a block of the event loop, every segment).
 */
const packFilter = (filter: EventFilter) => gzipSync(filter.bits, { strategy: constants.Z_RLE });

export const createSnapshotStore = (client: DynamoDBClient, tableName: string): SnapshotStore => {
  const key = (streamId: string, tag: string, sortKey: number) => ({ [PK]: { S: partition(streamId, tag) }, [SK]: { N: String(sortKey) } });
  /** The partition's items (up to sort key `to`), by sort key. */
  const items = async (streamId: string, tag: string, to?: number): Promise<Map<number, Item>> => {
    const byKey = new Map<number, Item>();
    const pages = queryPages(client, {
      TableName: tableName,
      KeyConditionExpression: to === undefined ? '#pk = :pk' : '#pk = :pk AND #sk <= :to',
      ExpressionAttributeNames: { '#pk': PK, ...(to === undefined ? {} : { '#sk': SK }) },
      ExpressionAttributeValues: { ':pk': { S: partition(streamId, tag) }, ...(to === undefined ? {} : { ':to': { N: String(to) } }) },
      ConsistentRead: true,
    });
    for await (const page of pages) for (const item of page) if (item[SK]?.N !== undefined) byKey.set(Number(item[SK].N), item);
    return byKey;
  };

  const readHead: SnapshotStore['readHead'] = async (streamId, tag) => {
    const stored = await items(streamId, tag, HEAD);
    return headOf(stored.get(HEAD), stored.get(FILTER));
  };

  const read: SnapshotStore['read'] = async (streamId, tag) => {
    const stored = await items(streamId, tag);
    const found = headOf(stored.get(HEAD), stored.get(FILTER));
    if (!found) return undefined;
    const segments: SegmentEvent[][] = [];
    for (let index = 0; index < found.head.segments; index++) {
      const body = stored.get(index + 1)?.body?.B;
      if (!body) return undefined;
      segments.push(decode<SegmentEvent[]>(body));
    }
    const bytes = [...stored.values()].reduce((sum, item) => sum + itemBytes(item), 0);
    const headBytes = [HEAD, FILTER].reduce((sum, sk) => sum + itemBytes(stored.get(sk) ?? {}), 0);
    return { ...found, segments, bytes, headBytes };
  };

  /** Puts an item unless the stored one's `attribute` is as high already. */
  const putIfNewer = async (item: Item, attribute: 'version' | 'segments') => {
    try {
      await client.send(new PutItemCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(#a) OR #a < :a', ExpressionAttributeNames: { '#a': attribute }, ExpressionAttributeValues: { ':a': item[attribute]! } }));
    } catch (error) {
      // another writer stored a newer one: it stays
      if (!isNewer(error)) throw error;
    }
  };

  const write: SnapshotStore['write'] = async (streamId, tag, { head, filter, segments }) => {
    const puts: WriteRequest[] = segments.map(({ index, events }) => ({ PutRequest: { Item: { ...key(streamId, tag, index + 1), body: { B: encode(events) } } } }));
    for (let i = 0; i < puts.length; i += PUTS_PER_WRITE) {
      await retryUnprocessed(tableName, 'BatchWriteItem', puts.slice(i, i + PUTS_PER_WRITE), async (pending) => {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
        return out.UnprocessedItems?.[tableName] ?? [];
      });
    }
    if (filter) await putIfNewer({ ...key(streamId, tag, FILTER), segments: { N: String(head.segments) }, filter: { B: packFilter(filter) } }, 'segments');
    await putIfNewer({ ...key(streamId, tag, HEAD), version: { N: String(head.version) }, body: { B: encode(head) } }, 'version');
  };

  return { readHead, read, write };
};
