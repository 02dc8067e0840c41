import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { DuplicateError } from '../../events/errors';
import { eventsTable, IDEMPOTENCY_PREFIX } from '../../contracts/tables';
import { insertOnly } from './event-id-records';
import type { Appended } from './id-registry';

/**
 * Idempotency keys, scoped to a stream: `$idempotency/<stream id>/<key>` (sort key 0) holds the hash of
 * the request the key was used for and that request's result. It is written in the append's transaction
 * (or, for a batch that fills a transaction, right after it), so a request that is refused (409, 422)
 * or fails never uses up its key, and a re-sent request is answered with its result forever.
 */

const PK = eventsTable.partitionKey.name;
const SK = eventsTable.sortKey.name;

export interface IdempotencyKey {
  key: string;
  /** What makes two requests the same: the hash of their body. */
  requestHash: string;
}

export interface IdempotencyKeys {
  /** The result of the request this key was used for in this stream, nothing when it is unused; DuplicateError when it was used with another body. */
  answer(streamId: string, key: IdempotencyKey): Promise<Appended | undefined>;
  /** The key's record, to write with the events of the request. */
  record(streamId: string, key: IdempotencyKey, result: Appended, recordedAt: string): TransactWriteItem;
  /**
   * Uses a key up on its own, with no events (a one-time sign-in link, for example): true the first
   * time, false ever after. The record is insert-only, like every item of the events table.
   */
  claim(scope: string, key: string, recordedAt: string): Promise<boolean>;
}

const keyOf = (streamId: string, key: string) => ({ [PK]: { S: `${IDEMPOTENCY_PREFIX}${streamId}/${key}` }, [SK]: { N: '0' } });

export const createIdempotencyKeys = (client: DynamoDBClient, tableName: string): IdempotencyKeys => ({
  answer: async (streamId, { key, requestHash }) => {
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keyOf(streamId, key), ConsistentRead: true }));
    if (!Item) return undefined;
    if (Item.requestHash?.S !== requestHash) throw new DuplicateError(`Idempotency-Key ${key} was already used with another request body`);
    const { version, events } = JSON.parse(Item.result?.S ?? '{}') as Pick<Appended, 'version' | 'events'>;
    return { streamId, version, events, repeated: true };
  },
  record: (streamId, { key, requestHash }, { version, events }, recordedAt) =>
    insertOnly(tableName, { ...keyOf(streamId, key), requestHash: { S: requestHash }, recordedAt: { S: recordedAt }, result: { S: JSON.stringify({ version, events }) } }),
  claim: async (scope, key, recordedAt) => {
    try {
      await client.send(new PutItemCommand({ ...insertOnly(tableName, { ...keyOf(scope, key), recordedAt: { S: recordedAt } }).Put! }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },
});
