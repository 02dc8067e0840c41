import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { inParallel } from '../projection/worker-pool';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ScanCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  ConditionalCheckFailedException,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { readModelsTable } from '../../contracts/tables';
import { boundedCache } from '../bounded-cache';
import { DEFAULT_RETRY_POLICY, retryUnprocessed, type RetryPolicy } from './unprocessed-retry';
import { queryPages } from './query-pages';
import { createWriteCoalescer } from './write-coalescer';
import { READ_MODEL_SCHEMA } from '../../events/projections/registry';
import { derive, derivedFrom } from '../../events/projections/derived';
import { changedChunks, isChunkedKey, joinTimeline, splitTimeline } from '../../events/projections/timeline-chunks';
import type { ActorModel, TimelineEntry, TimelineModel } from '../../events/projections';
import { ACTOR_PROFILE_RANGE, assemble, collectionRanges, isCollectionKey, type CollectionItem, type CollectionRange, type ItemWrite } from '../../events/projections/collections';

/**
 * Read-model documents in DynamoDB: JSON, gzipped, in one item or split over several when larger
 * than an item can hold. Each document carries a revision; a write names the revision it read, so
 * two projectors touching the same document (from different shards) never lose each other's work.
 * Documents live in a generation; readers follow the `$generation` pointer that a rebuild switches.
 * A collection (events/projections/collections.ts: the feeds, the list of stories, an actor) is one
 * small item per entry under its key (sk 1 and up, attribute `item`), written without a read or a
 * guard in BatchWriteItem; `get` assembles the document from them with a Query.
 */

const PK = readModelsTable.partitionKey.name;
const SK = readModelsTable.sortKey.name;
/** Below DynamoDB's 400 KB item limit, leaving room for the keys and attributes. */
const PART_BYTES = 350 * 1024;
const GENERATION_KEY = '$generation';
/** The key of the item naming the generation readers follow. */
const GENERATION_ITEM = { [PK]: { S: GENERATION_KEY }, [SK]: { N: '0' } };
/** BatchGetItem reads at most 100 keys per call. */
const KEYS_PER_READ = 100;
/** BatchWriteItem takes at most 25 requests. */
const WRITES_PER_BATCH = 25;
/** BatchWriteItem requests of a fresh generation in flight at once: a rebuild. DynamoDB Local took about 1,200 items/s at 4 and 2,700-3,700 at 16 (2026-12-05, loaded machine). */
export const FRESH_BATCHES_IN_FLIGHT = 16;
/** BatchWriteItem requests of a projector batch's collection items and timeline chunks (write-coalescer.ts) in flight at once. */
const ITEM_BATCHES_IN_FLIGHT = 8;
/**
 * Timeline chunks held in memory by their item's key: a chunk item is never rewritten (a changed
 * chunk is a new item), so a chunk written or read once is served from memory whenever a head names
 * it again. The projector's next batch of a story then reads only the head. At 100 entries a chunk,
 * 256 chunks are about 10 MB of a projector's 1,024 MB.
 */
const CHUNKS_CACHED = 256;

/** An item's identity, `partition\nsk`: how chunk bodies are kept and looked up, and how a write request names its item. */
const itemId = (partition: string | undefined, sk: string | undefined): string => `${partition}\n${sk}`;
const idOfKey = (key: Record<string, AttributeValue>): string => itemId(key[PK]?.S, key[SK]?.N);
/** The item a write request names. */
const keyOfWrite = (request: WriteRequest): string => idOfKey(request.PutRequest?.Item ?? request.DeleteRequest?.Key ?? {});

export class StaleDocumentError extends Error {
  override readonly name = 'StaleDocumentError';
}

export interface StoredDocument<T> {
  key: string;
  value: T;
  /** 0 for a document not stored yet */
  rev: number;
  /** For a document stored in chunks (a timeline): the sort key of each chunk, by index. */
  chunks?: Record<string, string>;
  /** For a document stored in chunks: how many entries each chunk holds, by index (absent in a head written before heads counted them). */
  counts?: Record<string, number>;
  /** For a timeline read in part (`headsOnly`, then `readEntries`): the chunks its entries are from; its other chunks stay as its head names them. */
  loaded?: ReadonlySet<number>;
  /** For a document stored in chunks: the chunks its last write replaced, which the next write deletes. */
  garbage?: readonly string[];
}

export interface ReadOptions {
  /** Timelines as their heads alone (no entry): `readEntries` reads the chunks wanted. */
  headsOnly?: boolean;
}

export interface DocumentWrite {
  key: string;
  value: unknown;
  /** The revision read (0 when the document did not exist). */
  rev: number;
  /** The document as read at `rev`: a document stored in chunks writes only the chunks that changed. */
  previous?: StoredDocument<unknown> | undefined;
  /** Writes that must be stored before this document (its head, when stored in chunks: its chunks are written meanwhile); their failure is this write's. */
  after?: Promise<unknown>;
}

/** A timeline's head as stored: the story without its entries, and where its entries are. */
export interface TimelineHead {
  key: string;
  rev: number;
  /** The generation it was read from, where its chunks are. */
  generation: number;
  story: Omit<TimelineModel, 'entries'>;
  /** Its chunks (events/projections/timeline-chunks.ts) in index order, with how many entries each holds (absent in a head written before heads counted them). */
  chunks: { index: number; sk: string; count?: number }[];
}

export interface ReadModelStore {
  generation(): Promise<number>;
  get<T>(key: string, generation?: number): Promise<StoredDocument<T> | undefined>;
  getMany<T>(keys: string[], generation?: number, options?: ReadOptions): Promise<Map<string, StoredDocument<T>>>;
  /**
   * Documents of the current generation, and which generation that is, in one round trip while the
   * generation stays as last seen: the generation's own item is read in the same BatchGetItem, and
   * only when it moved are the documents read again, from the new one.
   */
  getManyCurrent<T>(keys: string[], options?: ReadOptions): Promise<{ generation: number; docs: Map<string, StoredDocument<T>> }>;
  /**
   * Timelines read in part (`headsOnly`) with the entries of more of their chunks, read in
   * BatchGetItem: each chunk wanted that the head names. StaleDocumentError when one was replaced
   * since the head was read (read the head again).
   */
  readEntries<T>(docs: readonly StoredDocument<T>[], wanted: ReadonlyMap<string, Iterable<number>>, generation: number): Promise<Map<string, StoredDocument<T>>>;
  /** The version of a development of a timeline stored in chunks, by its id (one GetItem); undefined when the timeline has no such development. */
  getTimelineVersion(key: string, eventId: string, generation?: number): Promise<number | undefined>;
  /** Writes one document if it is still at `rev`; StaleDocumentError otherwise. */
  put(write: DocumentWrite, generation?: number): Promise<void>;
  /**
   * Writes documents that are new in a generation nobody else writes to (a rebuild's, before it is
   * switched to), and collection items of it: in full batches of 25, several in flight, without the
   * revision guard, each document stored at revision 1.
   */
  putFresh(documents: readonly { key: string; value: unknown }[], generation: number, items?: readonly ItemWrite[]): Promise<void>;
  /**
   * Writes (or deletes) items of collections: 25 to a BatchWriteItem, several in flight, what comes
   * back unprocessed retried with backoff. An item written twice in `writes` is written once, the last.
   */
  writeItems(writes: readonly ItemWrite[], generation: number): Promise<void>;
  /** Points readers at another generation, whose documents have the current shape (READ_MODEL_SCHEMA). */
  switchGeneration(generation: number): Promise<void>;
  /** The shape of the documents readers are pointed at, as the last switch recorded it; undefined if none did. */
  schema(): Promise<number | undefined>;
  /**
   * Deletes every document of the generations before `generation` (what rebuilds left behind), by
   * scanning the table; returns how many items it deleted. Never the current generation's.
   */
  dropGenerationsBefore(generation: number): Promise<number>;
}

/** Reads bounded by what a reader shows (the pages: functions/page-sources.ts), beside the whole documents `get` assembles. */
export interface BoundedReads {
  /** A collection (events/projections/collections.ts) with only its newest `limit` entries, read newest first; undefined when it has none. */
  getNewest<T>(key: string, limit: number, generation?: number): Promise<StoredDocument<T> | undefined>;
  /** An actor's profile (`actor/<id>`: name, aliases, identifications, stories identified in) without its developments; undefined when it was never identified. */
  getActorProfile(key: string, generation?: number): Promise<ActorModel | undefined>;
  /** The head of a timeline stored in chunks, without reading a chunk; undefined when there is none. */
  getTimelineHead(key: string, generation?: number): Promise<TimelineHead | undefined>;
  /** The entries of some chunks of a timeline, by index, in timeline order; StaleDocumentError when one was replaced since the head was read (read the head again). */
  getTimelineChunks(head: TimelineHead, indexes: Iterable<number>): Promise<Map<number, TimelineEntry[]>>;
}

const encode = (value: unknown): Buffer[] => {
  const zipped = gzipSync(JSON.stringify(value));
  const parts: Buffer[] = [];
  for (let at = 0; at < zipped.length || parts.length === 0; at += PART_BYTES) parts.push(zipped.subarray(at, at + PART_BYTES));
  return parts;
};

const decode = <T>(parts: Uint8Array[]): T => JSON.parse(gunzipSync(Buffer.concat(parts)).toString('utf8')) as T;

/**
 * A timeline's head names its chunks (events/projections/timeline-chunks.ts), each one item of the
 * same partition at a sort key of its own, never rewritten: a changed chunk is a new item, the head
 * (written last, guarded by revision) switches to it, and the chunks it replaced are deleted by the
 * next write (a reader that holds the head before may still read them). A writer that loses the race
 * for the head leaves no chunk behind.
 */
const CHUNK_SK_BASE = 10n ** 12n;
interface ChunkedHead {
  $chunks: Record<string, string>;
  /** How many entries each chunk holds, by index: a reader finds the n-th development without reading the chunks before it. */
  $counts?: Record<string, number>;
  /** Chunks replaced by the write of this head, deleted by the next one. */
  $garbage: string[];
}
/**
 * Beside its chunks, a timeline keeps one small item per development naming its version (and so its
 * chunk), at a sort key made from its id: a development is found with one GetItem, whatever the
 * story's length. Written once, with the chunk that first holds the development; never changed.
 */
const VERSION_SK_BASE = 10n ** 30n;
const versionSk = (eventId: string): string => (VERSION_SK_BASE + (BigInt(`0x${createHash('sha256').update(eventId).digest('hex').slice(0, 32)}`) % 10n ** 29n)).toString();
const chunkSk = (index: number): string => (CHUNK_SK_BASE + BigInt(index) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000))).toString();

export const createReadModelStore = (
  client: DynamoDBClient,
  tableName: string,
  {
    generationCacheMs = 1000,
    retry = DEFAULT_RETRY_POLICY,
    cachedChunks = CHUNKS_CACHED,
  }: { generationCacheMs?: number; retry?: RetryPolicy; /** 0: every chunk is read from the table (the cost of a batch on an instance that has not seen the story) */ cachedChunks?: number } = {},
): ReadModelStore & BoundedReads => {
  /** The current generation, read again once it is `generationCacheMs` old. */
  const cached = boundedCache<'current', number>({ max: 1, maxAgeMs: generationCacheMs });

  /** The generation last seen, however old: what `getManyCurrent` guesses and checks. */
  let lastSeen: number | undefined;
  const seen = (value: number): number => {
    cached.set('current', value);
    lastSeen = value;
    return value;
  };
  /** The generation its item names; 1 before any rebuild wrote it. */
  const generationIn = (item: Record<string, AttributeValue> | undefined): number => Number(item?.current?.N ?? 1);

  const generation = async (): Promise<number> => {
    const known = cached.get('current');
    if (known !== undefined) return known;
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: GENERATION_ITEM, ConsistentRead: true }));
    return seen(generationIn(out.Item));
  };

  const pk = (key: string, gen: number) => `g${gen}/${key}`;

  /** The remaining parts of a split document. */
  const restOf = async (partition: string, count: number, rev: number): Promise<Uint8Array[]> => {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :one AND :last',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':pk': { S: partition }, ':one': { N: '1' }, ':last': { N: String(count - 1) } },
        ConsistentRead: true,
      }),
    );
    const parts = (out.Items ?? []).filter((item) => Number(item.rev?.N) === rev);
    if (parts.length !== count - 1) throw new StaleDocumentError(`document ${partition} changed while being read`);
    return parts.sort((a, b) => Number(a[SK]?.N) - Number(b[SK]?.N)).map((item) => item.body?.B ?? new Uint8Array());
  };

  const fromHead = async <T>(key: string, partition: string, head: Record<string, AttributeValue>): Promise<StoredDocument<T>> => {
    const rev = Number(head.rev?.N ?? 0);
    const count = Number(head.parts?.N ?? 1);
    const first = head.body?.B ?? new Uint8Array();
    const parts = count > 1 ? [first, ...(await restOf(partition, count, rev))] : [first];
    return { key, rev, value: decode<T>(parts) };
  };

  /** A range of a collection's items, following pages up to its limit. */
  const queryRange = async (partition: string, { from, to, newestFirst = false, limit }: CollectionRange): Promise<CollectionItem[]> => {
    const items: CollectionItem[] = [];
    const pages = queryPages(
      client,
      {
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':pk': { S: partition }, ':from': { N: from }, ':to': { N: to } },
        ScanIndexForward: !newestFirst,
        ConsistentRead: true,
      },
      { limit },
    );
    for await (const page of pages) for (const item of page) if (item.item?.S !== undefined) items.push(JSON.parse(item.item.S) as CollectionItem);
    return items;
  };

  const getCollection = async <T>(key: string, gen: number, limit?: number): Promise<StoredDocument<T> | undefined> => {
    const partition = pk(key, gen);
    const items = (await Promise.all(collectionRanges(key, limit).map((range) => queryRange(partition, range)))).flat();
    const value = assemble(key, items, limit);
    return value === undefined ? undefined : { key, value: value as T, rev: 0 };
  };

  const getNewest = async <T>(key: string, limit: number, gen?: number): Promise<StoredDocument<T> | undefined> => {
    const g = gen ?? (await generation());
    return isCollectionKey(key) ? getCollection<T>(key, g, limit) : get<T>(key, g);
  };

  const getActorProfile = async (key: string, gen?: number): Promise<ActorModel | undefined> => {
    const items = await queryRange(pk(key, gen ?? (await generation())), ACTOR_PROFILE_RANGE);
    return assemble(key, items) as ActorModel | undefined;
  };

  /** Chunks written or read, by `partition\nsk` (see CHUNKS_CACHED). */
  const chunkBodies = boundedCache<string, TimelineEntry[]>({ max: cachedChunks, ...(cachedChunks === 0 ? { maxAgeMs: 0 } : {}) });

  /** Chunk bodies by `partition\nsk`, from memory or read in BatchGetItem; a chunk that is gone is not among them. */
  const readChunks = async (keys: Record<string, AttributeValue>[]): Promise<Map<string, TimelineEntry[]>> => {
    const bodies = new Map<string, TimelineEntry[]>();
    const unread = keys.filter((key) => {
      const id = idOfKey(key);
      const body = chunkBodies.get(id);
      if (body) bodies.set(id, body);
      return !body;
    });
    const read = async (request: Record<string, AttributeValue>[]) => {
      const out = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: request, ConsistentRead: true } } }));
      for (const item of out.Responses?.[tableName] ?? []) {
        const body = decode<TimelineEntry[]>([item.body?.B ?? new Uint8Array()]);
        const id = idOfKey(item);
        bodies.set(id, body);
        chunkBodies.set(id, body);
      }
      return out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    };
    for (let i = 0; i < unread.length; i += KEYS_PER_READ) await retryUnprocessed(tableName, 'BatchGetItem', unread.slice(i, i + KEYS_PER_READ), read, retry);
    return bodies;
  };

  const getTimelineHead = async (key: string, gen?: number): Promise<TimelineHead | undefined> => {
    const g = gen ?? (await generation());
    const partition = pk(key, g);
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: { [PK]: { S: partition }, [SK]: { N: '0' } }, ConsistentRead: true }));
    if (!out.Item) return undefined;
    const doc = await fromHead<ChunkedHead & Omit<TimelineModel, 'entries'>>(key, partition, out.Item);
    const { $chunks, $counts, $garbage: _garbage, ...story } = doc.value;
    const chunks = Object.entries($chunks)
      .map(([index, sk]) => ({ index: Number(index), sk, ...($counts?.[index] !== undefined ? { count: $counts[index] } : {}) }))
      .sort((a, b) => a.index - b.index);
    return { key, rev: doc.rev, generation: g, story, chunks };
  };

  const getTimelineVersion = async (key: string, eventId: string, gen?: number): Promise<number | undefined> => {
    const g = gen ?? (await generation());
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: { [PK]: { S: pk(key, g) }, [SK]: { N: versionSk(eventId) } }, ConsistentRead: true }));
    return out.Item?.eventId?.S === eventId && out.Item.version?.N !== undefined ? Number(out.Item.version.N) : undefined;
  };

  const getTimelineChunks = async (head: TimelineHead, indexes: Iterable<number>): Promise<Map<number, TimelineEntry[]>> => {
    const partition = pk(head.key, head.generation);
    const asked = new Set(indexes);
    const wanted = head.chunks.filter((chunk) => asked.has(chunk.index));
    const bodies = await readChunks(wanted.map((chunk) => ({ [PK]: { S: partition }, [SK]: { N: chunk.sk } })));
    return new Map(
      wanted.map((chunk) => {
        const body = bodies.get(itemId(partition, chunk.sk));
        if (!body) throw new StaleDocumentError(`document ${head.key} changed while being read`);
        return [chunk.index, body];
      }),
    );
  };

  /** A derived document (events/projections/derived.ts) from its source as stored. */
  const derived = <T>(key: string, source: StoredDocument<unknown> | undefined): StoredDocument<T> | undefined => {
    const value = derive(key, source?.value);
    return value === undefined || !source ? undefined : { key, value: value as T, rev: source.rev };
  };

  /**
   * Where a document stored in chunks keeps its entries (its chunks' keys and counts) and the story
   * without them: from its head as read, or from the document as read before; undefined for any other document.
   */
  const layoutOf = (doc: StoredDocument<unknown>) => {
    const value = doc.value as (Partial<ChunkedHead> & Partial<TimelineModel>) | undefined;
    if (value?.$chunks !== undefined) {
      const { $chunks, $garbage, $counts, ...story } = value as ChunkedHead & TimelineModel;
      return { chunks: $chunks, counts: $counts, garbage: $garbage, story };
    }
    if (doc.chunks === undefined || value === undefined) return undefined;
    const { entries: _entries, ...story } = value as TimelineModel;
    return { chunks: doc.chunks, counts: doc.counts, garbage: doc.garbage, story };
  };
  const chunkIndexes = (doc: StoredDocument<unknown>): number[] => Object.keys(layoutOf(doc)?.chunks ?? {}).map(Number);
  const chunkKeys = (doc: StoredDocument<unknown>, indexes: readonly number[], gen: number) => {
    const chunks = layoutOf(doc)?.chunks ?? {};
    return indexes.flatMap((index) => (chunks[index] ? [{ [PK]: { S: pk(doc.key, gen) }, [SK]: { N: chunks[index] } }] : []));
  };

  /**
   * A document stored in chunks with the entries of its chunks `indexes` (all of them unless `loaded`
   * says which), from the bodies read; StaleDocumentError when one is gone (replaced meanwhile).
   */
  const withChunks = <T>(doc: StoredDocument<T>, indexes: readonly number[], bodies: ReadonlyMap<string, TimelineEntry[]>, gen: number, loaded?: ReadonlySet<number>): StoredDocument<T> => {
    const layout = layoutOf(doc);
    if (!layout) return doc;
    const chunks = indexes.map((index) => {
      const body = bodies.get(itemId(pk(doc.key, gen), layout.chunks[index]));
      if (!body) throw new StaleDocumentError(`document ${doc.key} changed while being read`);
      return body;
    });
    return {
      key: doc.key,
      rev: doc.rev,
      chunks: layout.chunks,
      ...(layout.counts ? { counts: layout.counts } : {}),
      ...(layout.garbage?.length ? { garbage: layout.garbage } : {}),
      value: joinTimeline(layout.story, chunks) as T,
      ...(loaded ? { loaded } : {}),
    };
  };

  /** Documents stored in chunks, joined (or as heads alone, `headsOnly`): their chunks read in BatchGetItem, all of them at once. StaleDocumentError when a chunk is gone (replaced meanwhile). */
  const joined = async <T>(docs: StoredDocument<T>[], gen: number, { headsOnly = false }: ReadOptions = {}): Promise<StoredDocument<T>[]> => {
    if (!docs.some((doc) => layoutOf(doc) !== undefined)) return docs;
    if (headsOnly) return docs.map((doc) => withChunks(doc, [], new Map(), gen, new Set()));
    const bodies = await readChunks(docs.flatMap((doc) => chunkKeys(doc, chunkIndexes(doc), gen)));
    return docs.map((doc) => withChunks(doc, chunkIndexes(doc), bodies, gen));
  };

  const readEntries: ReadModelStore['readEntries'] = async <T>(docs: readonly StoredDocument<T>[], wanted: ReadonlyMap<string, Iterable<number>>, gen: number) => {
    // of a document read in part: the chunks it had and those wanted, each as its head names it, read again all together
    const indexesOf = (doc: StoredDocument<T>) => [...new Set([...(doc.loaded ?? []), ...(wanted.get(doc.key) ?? [])])].filter((index) => doc.chunks?.[index] !== undefined).sort((a, b) => a - b);
    const partial = docs.filter((doc) => doc.loaded !== undefined);
    const bodies = await readChunks(partial.flatMap((doc) => chunkKeys(doc, indexesOf(doc), gen)));
    return new Map(docs.map((doc) => [doc.key, doc.loaded === undefined ? doc : withChunks(doc, indexesOf(doc), bodies, gen, new Set(indexesOf(doc)))]));
  };

  const get = async <T>(key: string, gen?: number): Promise<StoredDocument<T> | undefined> => {
    const g = gen ?? (await generation());
    if (isCollectionKey(key)) return getCollection<T>(key, g);
    const source = derivedFrom(key);
    if (source !== undefined) return derived<T>(key, await get(source, g));
    const partition = pk(key, g);
    for (let attempt = 0; ; attempt++) {
      const out = await client.send(new GetItemCommand({ TableName: tableName, Key: { [PK]: { S: partition }, [SK]: { N: '0' } }, ConsistentRead: true }));
      if (!out.Item) return undefined;
      try {
        return (await joined([await fromHead<T>(key, partition, out.Item)], g))[0];
      } catch (error) {
        if (!(error instanceof StaleDocumentError) || attempt > 3) throw error;
      }
    }
  };

  /** `probe`: the generation's item is read along, and what it names is set on it (1 when there is none). */
  const readMany = async <T>(keys: string[], g: number, probe?: { generation: number }, options: ReadOptions = {}): Promise<Map<string, StoredDocument<T>>> => {
    const found = new Map<string, StoredDocument<T>>();
    const sources = new Map(keys.flatMap((key) => (derivedFrom(key) !== undefined ? [[key, derivedFrom(key) as string] as const] : [])));
    const unique = [...new Set([...keys, ...sources.values()])].filter((key) => !isCollectionKey(key) && !sources.has(key));
    await inParallel([...new Set(keys)].filter(isCollectionKey), async (key) => {
      const doc = await getCollection<T>(key, g);
      if (doc) found.set(key, doc);
    });
    const read = async (request: Record<string, AttributeValue>[]) => {
      const out = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: request, ConsistentRead: true } } }));
      for (const head of out.Responses?.[tableName] ?? []) {
        const partition = head[PK]?.S ?? '';
        if (probe && partition === GENERATION_KEY) {
          probe.generation = generationIn(head);
          continue;
        }
        const key = partition.slice(partition.indexOf('/') + 1);
        if (Number(head.parts?.N ?? 1) > 1) {
          const doc = await get<T>(key, g);
          if (doc) found.set(key, doc);
        } else found.set(key, await fromHead<T>(key, partition, head));
      }
      return out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    };
    const requests: Record<string, AttributeValue>[] = [...(probe ? [GENERATION_ITEM] : []), ...unique.map((key) => ({ [PK]: { S: pk(key, g) }, [SK]: { N: '0' } }))];
    for (let i = 0; i < requests.length; i += KEYS_PER_READ) await retryUnprocessed(tableName, 'BatchGetItem', requests.slice(i, i + KEYS_PER_READ), read, retry);
    try {
      for (const doc of await joined([...found.values()], g, options)) found.set(doc.key, doc);
    } catch (error) {
      if (!(error instanceof StaleDocumentError)) throw error;
      // a chunk replaced while we read: each document again, on its own (whole)
      for (const key of [...found.keys()]) {
        const doc = await get<T>(key, g);
        if (doc) found.set(key, doc);
      }
    }
    for (const [key, source] of sources) {
      const doc = derived<T>(key, found.get(source));
      if (doc) found.set(key, doc);
    }
    // a source read only to derive from is not asked for
    for (const source of new Set(sources.values())) if (!keys.includes(source)) found.delete(source);
    return found;
  };

  const getMany = async <T>(keys: string[], gen?: number, options?: ReadOptions): Promise<Map<string, StoredDocument<T>>> => readMany<T>(keys, gen ?? (await generation()), undefined, options);

  const getManyCurrent = async <T>(keys: string[], options?: ReadOptions): Promise<{ generation: number; docs: Map<string, StoredDocument<T>> }> => {
    const guess = lastSeen ?? (await generation());
    const probe = { generation: 1 };
    const docs = await readMany<T>(keys, guess, probe, options);
    seen(probe.generation);
    // a rebuild switched readers meanwhile: the documents of the generation it switched to
    return probe.generation === guess ? { generation: guess, docs } : { generation: probe.generation, docs: await readMany<T>(keys, probe.generation, undefined, options) };
  };

  /**
   * The writes of the chunks of a timeline that changed since `previous`, and the deletes of those the
   * previous write replaced; with the head to store. A timeline read in part (`previous.loaded`) keeps
   * the chunks it did not read as its head named them.
   */
  const chunkWrites = (key: string, value: TimelineModel, previous: StoredDocument<unknown> | undefined, gen: number) => {
    const { head, chunks } = splitTimeline(value);
    const before = previous?.chunks ? splitTimeline(previous.value as TimelineModel).chunks : undefined;
    for (const index of chunks.keys()) {
      // entries of a chunk that was not read would replace the whole chunk: the projector reads every chunk it changes
      if (previous?.loaded && previous.chunks?.[index] !== undefined && !previous.loaded.has(index)) throw new Error(`chunk ${index} of ${key} was changed without being read`);
    }
    const changed = changedChunks(chunks, before);
    const $chunks: Record<string, string> = { ...(previous?.loaded ? previous.chunks : {}) };
    const $counts: Record<string, number> = { ...(previous?.loaded ? previous.counts : {}) };
    for (const [index, entries] of chunks) {
      $chunks[index] = previous?.chunks?.[index] ?? '';
      $counts[index] = entries.length;
    }
    const written: string[] = [];
    for (const index of changed) {
      // a new item, never one of this chunk's keys still in use (chunks are cached by key: one key, one content)
      const inUse = new Set([previous?.chunks?.[index], ...(previous?.garbage ?? [])]);
      do $chunks[index] = chunkSk(index);
      while (inUse.has($chunks[index]));
      written.push($chunks[index]);
    }
    const garbage = changed.flatMap((index) => (previous?.chunks?.[index] ? [previous.chunks[index]] : []));
    // what the previous write replaced (read from its head: a reader that held the head before it may have read them until now)
    const previousGarbage = previous?.garbage ?? [];
    const known = (previous?.value as TimelineModel | undefined)?.version ?? 0;
    const added = changed.flatMap((index) => (chunks.get(index) ?? []).filter((entry) => entry.version > known));
    const requests: WriteRequest[] = [
      ...changed.map((index, i): WriteRequest => ({ PutRequest: { Item: { [PK]: { S: pk(key, gen) }, [SK]: { N: written[i]! }, body: { B: encode(chunks.get(index))[0]! } } } })),
      ...added.map((entry): WriteRequest => ({ PutRequest: { Item: { [PK]: { S: pk(key, gen) }, [SK]: { N: versionSk(entry.id) }, eventId: { S: entry.id }, version: { N: String(entry.version) } } } })),
      ...previousGarbage.map((sk): WriteRequest => ({ DeleteRequest: { Key: { [PK]: { S: pk(key, gen) }, [SK]: { N: sk } } } })),
    ];
    return { head: { ...head, $chunks, $counts, $garbage: garbage }, written, requests, bodies: changed.map((index) => chunks.get(index) ?? []), deleted: previousGarbage };
  };

  /** Writes the chunks of a timeline that changed since `previous`, and deletes those the previous write replaced; returns the head to store. */
  const putChunks = async (key: string, value: TimelineModel, previous: StoredDocument<unknown> | undefined, gen: number) => {
    const { head, written, requests, bodies, deleted } = chunkWrites(key, value, previous, gen);
    await gathered.write(requests);
    // a deleted chunk's key may be drawn again for a new chunk: it leaves memory with its item
    for (const sk of deleted) chunkBodies.delete(itemId(pk(key, gen), sk));
    written.forEach((sk, i) => chunkBodies.set(itemId(pk(key, gen), sk), bodies[i]!));
    return { head, written };
  };

  // a batch's collection items and its stories' chunks, handed over side by side, share full requests
  const gathered = createWriteCoalescer<WriteRequest>((batch) => retryUnprocessed(tableName, 'BatchWriteItem', batch, writeAll, retry), keyOfWrite, {
    perRequest: WRITES_PER_BATCH,
    inFlight: ITEM_BATCHES_IN_FLIGHT,
  });

  const writeRequests = async (requests: WriteRequest[], inFlight = ITEM_BATCHES_IN_FLIGHT) => {
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < requests.length; i += WRITES_PER_BATCH) batches.push(requests.slice(i, i + WRITES_PER_BATCH));
    await inParallel(batches, (batch) => retryUnprocessed(tableName, 'BatchWriteItem', batch, writeAll, retry), inFlight);
  };

  const put = async (write: DocumentWrite, gen?: number): Promise<void> => {
    const g = gen ?? (await generation());
    if (!isChunkedKey(write.key)) {
      await write.after;
      return putWhole(write, g);
    }
    const { head, written } = await putChunks(write.key, write.value as TimelineModel, write.previous, g);
    try {
      await write.after;
      await putWhole({ ...write, value: head }, g);
    } catch (error) {
      // the head went to another writer, or what it waited for failed: our chunks are referenced by nothing
      for (const sk of written) chunkBodies.delete(itemId(pk(write.key, g), sk));
      await writeRequests(written.map((sk) => ({ DeleteRequest: { Key: { [PK]: { S: pk(write.key, g) }, [SK]: { N: sk } } } }))).catch(() => undefined);
      throw error;
    }
  };

  const putWhole = async ({ key, value, rev }: DocumentWrite, gen: number): Promise<void> => {
    const partition = pk(key, gen);
    const parts = encode(value);
    const next = rev + 1;
    const condition =
      rev === 0
        ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }
        : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': { N: String(rev) } } };
    const head = {
      TableName: tableName,
      Item: { [PK]: { S: partition }, [SK]: { N: '0' }, rev: { N: String(next) }, parts: { N: String(parts.length) }, body: { B: parts[0]! } },
      ...condition,
    };
    try {
      if (parts.length === 1) {
        await client.send(new PutItemCommand(head));
        return;
      }
      if (parts.length > 99) throw new Error(`document ${key} is too large to store (${parts.length} parts)`);
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: head },
            ...parts.slice(1).map((body, i) => ({
              Put: { TableName: tableName, Item: { [PK]: { S: partition }, [SK]: { N: String(i + 1) }, rev: { N: String(next) }, body: { B: body } } },
            })),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new StaleDocumentError(`document ${key} changed since revision ${rev}`);
      if (error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) {
        throw new StaleDocumentError(`document ${key} changed since revision ${rev}`);
      }
      throw error;
    }
  };

  /** The writes of collection items, each item once (the last write of it). */
  const itemRequests = (writes: readonly ItemWrite[], gen: number): WriteRequest[] => {
    const last = new Map<string, ItemWrite>();
    for (const write of writes) last.set(`${write.key}\n${write.sk}`, write);
    return [...last.values()].map(({ key, sk, item }) => {
      const Key = { [PK]: { S: pk(key, gen) }, [SK]: { N: sk } };
      return item ? { PutRequest: { Item: { ...Key, item: { S: JSON.stringify(item) } } } } : { DeleteRequest: { Key } };
    });
  };

  const putFresh: ReadModelStore['putFresh'] = async (documents, gen, items = []) => {
    // everything in one stream of full batches: a timeline's chunks and development items, the documents' heads, the collection items
    const requests = itemRequests(items, gen);
    const split: { key: string; value: unknown }[] = [];
    for (const document of documents) {
      let doc = document;
      if (isChunkedKey(document.key)) {
        const chunked = chunkWrites(document.key, document.value as TimelineModel, undefined, gen);
        requests.push(...chunked.requests);
        doc = { key: document.key, value: chunked.head };
      }
      const parts = encode(doc.value);
      if (parts.length > 1) split.push(doc);
      else requests.push({ PutRequest: { Item: { [PK]: { S: pk(doc.key, gen) }, [SK]: { N: '0' }, rev: { N: '1' }, parts: { N: '1' }, body: { B: parts[0]! } } } });
    }
    await writeRequests(requests, FRESH_BATCHES_IN_FLIGHT);
    // a document split over several items is written as put writes it: its parts in one transaction
    for (const doc of split) await putWhole({ ...doc, rev: 0 }, gen);
  };

  const writeItems: ReadModelStore['writeItems'] = async (writes, gen) => gathered.write(itemRequests(writes, gen));

  const switchGeneration = async (gen: number): Promise<void> => {
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: { ...GENERATION_ITEM, current: { N: String(gen) }, schema: { N: String(READ_MODEL_SCHEMA) } } }),
    );
    seen(gen);
  };

  const writeAll = async (requests: WriteRequest[]): Promise<WriteRequest[]> => (await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }))).UnprocessedItems?.[tableName] ?? [];
  const schema = async (): Promise<number | undefined> => {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: GENERATION_ITEM, ConsistentRead: true }));
    return out.Item?.schema?.N === undefined ? undefined : Number(out.Item.schema.N);
  };

  const dropGenerationsBefore = async (before: number): Promise<number> => {
    const current = await generation();
    const limit = Math.min(before, current);
    let dropped = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: tableName, ProjectionExpression: '#pk, #sk', ExpressionAttributeNames: { '#pk': PK, '#sk': SK }, ExclusiveStartKey: startKey }),
      );
      const old = (page.Items ?? []).filter((item) => {
        const gen = /^g(\d+)\//.exec(item[PK]?.S ?? '')?.[1];
        return gen !== undefined && Number(gen) < limit;
      });
      // several BatchWriteItem requests in flight, what comes back unprocessed retried with backoff
      await writeRequests(old.map((Key) => ({ DeleteRequest: { Key } })));
      dropped += old.length;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return dropped;
  };

  return { generation, get, getMany, getManyCurrent, readEntries, getNewest, getActorProfile, getTimelineHead, getTimelineVersion, getTimelineChunks, put, putFresh, writeItems, switchGeneration, schema, dropGenerationsBefore };
};
