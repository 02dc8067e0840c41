import { TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DuplicateError } from '../../events/errors';
import type { EventLog } from './event-log';
import { readIdRecords, receiptPut, type IdRecord } from './event-id-records';

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

/** What the registry says of a batch: its records, and its original result when all of it is stored; `partial` when some of it is. */
export type LookUp = { records: Map<string, IdRecord>; repeat?: Appended; partial?: true };

export interface IdRegistry {
  /** The records of a batch's ids (each event's content hash in `hashes`); DuplicateError when an id is used by other content or in another stream. */
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
    const records = await settled(batch.events.map((e) => e.id));
    batch.events.forEach((event, i) => {
      const record = records.get(event.id);
      if (record && (record.hash !== hashes[i] || record.streamId !== batch.streamId)) throw new DuplicateError(`event id ${event.id} is already used by another event`);
    });
    const stored = batch.events.filter((event) => records.get(event.id)?.version !== undefined);
    if (stored.length === 0) return { records };
    // reads of many items are no snapshot: a batch seen partly stored may be committing right now
    if (stored.length < batch.events.length) return { records, partial: true };
    const events = batch.events.map((event) => ({ id: event.id, version: records.get(event.id)?.version as number, type: event.type }));
    return { records, repeat: { streamId: batch.streamId, version: Math.max(...events.map((e) => e.version)), events, repeated: true } };
  };

  const versionsOf: IdRegistry['versionsOf'] = async (ids) => {
    const records = await settled(ids);
    return new Map([...records.values()].flatMap((record) => (record.version === undefined ? [] : [[record.id, record.version] as const])));
  };

  return { lookUp, versionsOf, writeReceipts };
};
