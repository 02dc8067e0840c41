import { TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DuplicateError } from '../../events/errors';
import type { EventLog } from './event-log';
import { readIdRecords, receiptPut, type IdRecord } from './event-id-records';
import { RetryLimitError, retrying, retryPolicy, type Attempt } from './retry-policy';

/**
 * The id registry: what the records of event ids (event-id-records.ts) say about a batch. Whether it
 * was stored before (a re-send, answered with its original result), whether one of its ids is used by
 * other content (refused), and where an id's event is stored.
 */

export interface Appended {
  streamId: string;
  /** The stream's version after the append (for a repeat: the version of its last event). */
  version: number;
  events: { id: string; version: number; type: string }[];
  /** True when every event was already stored: nothing was written. */
  repeated: boolean;
}

export interface Batch {
  streamId: string;
  events: readonly { id: string; type: string }[];
}

/** What the registry says of a batch: its records, and its original result when all of it is stored. */
export type LookUp = { records: Map<string, IdRecord>; repeat?: Appended };

/**
 * Reads of many items are no snapshot (BatchGetItem and Query may see a transaction that commits while
 * they read in part): a batch seen partly stored is looked at again, twice, before it is refused.
 */
const PARTIAL_POLICY = retryPolicy({ retries: 2, baseMs: 50 });

export interface IdRegistry {
  /**
   * The records of a batch's ids (each event's content hash in `hashes`), and its original result when
   * all of it is stored; DuplicateError when an id is used by other content or in another stream, or
   * when some of the batch is stored and the rest is not (a batch is stored whole or not at all).
   */
  lookUp(batch: Batch, hashes: readonly string[]): Promise<LookUp>;
  /** The stored version of each of these event ids that exists. */
  versionsOf(ids: readonly string[]): Promise<Map<string, number>>;
  /** Receipts of claimed ids whose events are now stored; they only save a later lookup a read of the stream. */
  writeReceipts(stored: readonly { id: string; version: number }[]): Promise<void>;
}

export const createIdRegistry = (client: DynamoDBClient, tableName: string, log: Pick<EventLog, 'readRecords'>): IdRegistry => {
  const writeReceipts: IdRegistry['writeReceipts'] = async (stored) => {
    if (stored.length === 0) return;
    await client.send(new TransactWriteItemsCommand({ TransactItems: stored.map((event) => receiptPut(tableName, event)) })).catch(() => undefined);
  };

  /**
   * The id records of these events, with the version of every claimed id whose event is stored. A
   * claim without a receipt is looked up in its stream after the head it was claimed at (and given
   * its receipt when found, so that the next lookup is one read).
   */
  const settled = async (ids: readonly string[]): Promise<Map<string, IdRecord>> => {
    const records = await readIdRecords(client, tableName, ids);
    const unsettled = new Map<string, IdRecord[]>();
    for (const record of records.values()) {
      if (record.version === undefined) unsettled.set(record.streamId, [...(unsettled.get(record.streamId) ?? []), record]);
    }
    for (const [streamId, claims] of unsettled) {
      const wanted = new Map(claims.map((claim) => [claim.id, claim]));
      const after = Math.min(...claims.map((claim) => claim.claimedAfter ?? 0));
      const found = (await log.readRecords(streamId, { after })).filter((event) => wanted.has(event.id));
      for (const event of found) (wanted.get(event.id) as IdRecord).version = event.version;
      await writeReceipts(found);
    }
    return records;
  };

  const lookUp: IdRegistry['lookUp'] = async (batch, hashes) => {
    let seen: Map<string, IdRecord> = new Map();
    try {
      return await retrying<LookUp>(
        `look up the ids of a batch of ${batch.streamId}`,
        async (): Promise<Attempt<LookUp>> => {
          const records = (seen = await settled(batch.events.map((e) => e.id)));
          batch.events.forEach((event, i) => {
            const record = records.get(event.id);
            if (record && (record.hash !== hashes[i] || record.streamId !== batch.streamId)) throw new DuplicateError(`event id ${event.id} is already used by another event`);
          });
          const stored = batch.events.filter((event) => records.get(event.id)?.version !== undefined);
          if (stored.length === 0) return { done: true, value: { records } };
          if (stored.length < batch.events.length) return { done: false };
          const events = batch.events.map((event) => ({ id: event.id, version: records.get(event.id)?.version as number, type: event.type }));
          return { done: true, value: { records, repeat: { streamId: batch.streamId, version: Math.max(...events.map((e) => e.version)), events, repeated: true } } };
        },
        PARTIAL_POLICY,
      );
    } catch (error) {
      if (!(error instanceof RetryLimitError)) throw error;
      const fresh = batch.events.find((event) => seen.get(event.id)?.version === undefined);
      throw new DuplicateError(`event ${fresh?.id} is new but others of this batch were already appended: re-send the original batch alone`);
    }
  };

  const versionsOf: IdRegistry['versionsOf'] = async (ids) => {
    const records = await settled(ids);
    return new Map([...records.values()].flatMap((record) => (record.version === undefined ? [] : [[record.id, record.version] as const])));
  };

  return { lookUp, versionsOf, writeReceipts };
};
