import { BatchGetItemCommand, type AttributeValue, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { EVENT_ID_PREFIX, eventsTable } from '../../contracts/tables';
import { DEFAULT_RETRY_POLICY, retryUnprocessed, type RetryPolicy } from './unprocessed-retry';

/**
 * The records that keep each event id unique in the events table, forever, under `$event/<id>`:
 * - sort key 0 is the id's record. A batch small enough to fit one transaction writes it with the
 *   event, and it names the event's stream, version and content hash. A larger batch claims its ids
 *   in a transaction of their own before its events are written: such a claim names the stream, the
 *   hash and the stream's head when it was claimed, but not yet a version;
 * - sort key 1 is a claimed id's receipt: the version its event was stored at, written after it.
 * All of them are inserts: none is updated or deleted.
 */

const PK = eventsTable.partitionKey.name;
const SK = eventsTable.sortKey.name;
const RECORD = 0;
const RECEIPT = 1;
/** BatchGetItem reads at most 100 keys per call. */
const KEYS_PER_READ = 100;

export interface IdRecord {
  id: string;
  streamId: string;
  hash: string;
  /** Where the event is stored; absent for a claim whose event is not (or not known to be) stored. */
  version?: number;
  /** For a claim: the stream's head when the id was claimed (its event, if stored, comes after it). */
  claimedAfter?: number;
}

const keyOf = (eventId: string, sortKey: number): Record<string, AttributeValue> => ({ [PK]: { S: `${EVENT_ID_PREFIX}${eventId}` }, [SK]: { N: String(sortKey) } });

/** A Put that only inserts: it fails (and cancels its transaction) when the key exists. */
export const insertOnly = (tableName: string, Item: Record<string, AttributeValue>): TransactWriteItem => ({
  Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } },
});

/** The id record written in the same transaction as its event. */
export const idRecordPut = (tableName: string, { id, streamId, hash, version }: Required<Omit<IdRecord, 'claimedAfter'>>): TransactWriteItem =>
  insertOnly(tableName, { ...keyOf(id, RECORD), eventId: { S: id }, eventStreamId: { S: streamId }, eventVersion: { N: String(version) }, hash: { S: hash } });

/** The claim of an id, written before its event. */
export const claimPut = (tableName: string, { id, streamId, hash, claimedAfter }: Required<Omit<IdRecord, 'version'>>): TransactWriteItem =>
  insertOnly(tableName, { ...keyOf(id, RECORD), eventId: { S: id }, eventStreamId: { S: streamId }, hash: { S: hash }, claimedAfter: { N: String(claimedAfter) } });

/** The receipt of a claimed id, once its event is stored. */
export const receiptPut = (tableName: string, { id, version }: { id: string; version: number }): TransactWriteItem =>
  insertOnly(tableName, { ...keyOf(id, RECEIPT), eventId: { S: id }, eventVersion: { N: String(version) } });

/** The records (and receipts) of these ids that exist, by event id; strongly consistent. */
export const readIdRecords = async (client: DynamoDBClient, tableName: string, ids: readonly string[], retry: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<Map<string, IdRecord>> => {
  const records = new Map<string, IdRecord>();
  const receipts = new Map<string, number>();
  const keys = ids.flatMap((id) => [keyOf(id, RECORD), keyOf(id, RECEIPT)]);
  const read = async (pending: Record<string, AttributeValue>[]) => {
    const out = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
    for (const item of out.Responses?.[tableName] ?? []) {
      const id = item.eventId?.S ?? '';
      const version = item.eventVersion?.N === undefined ? undefined : Number(item.eventVersion.N);
      if (Number(item[SK]?.N) === RECEIPT) {
        if (version !== undefined) receipts.set(id, version);
        continue;
      }
      records.set(id, {
        id,
        streamId: item.eventStreamId?.S ?? '',
        hash: item.hash?.S ?? '',
        ...(version !== undefined ? { version } : {}),
        ...(item.claimedAfter?.N !== undefined ? { claimedAfter: Number(item.claimedAfter.N) } : {}),
      });
    }
    return out.UnprocessedKeys?.[tableName]?.Keys ?? [];
  };
  for (let i = 0; i < keys.length; i += KEYS_PER_READ) await retryUnprocessed(tableName, 'BatchGetItem', keys.slice(i, i + KEYS_PER_READ), read, retry);
  for (const [id, version] of receipts) {
    const record = records.get(id);
    if (record && record.version === undefined) record.version = version;
  }
  return records;
};
