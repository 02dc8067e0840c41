import { BatchGetItemCommand, BatchWriteItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { readModelsTable } from '../../contracts/tables';
import { timelineKey } from '../../events/projections';
import { storyIdOf } from '../../events/streams';

/**
 * The floor under the projection lag on this DynamoDB Local: a stream handler that sends, for each
 * batch, the DynamoDB requests a projector's batch sends, in the same rounds and sizes, and does
 * nothing else (no fold, no rendering, no encoding):
 * 1. one BatchGetItem of the batch's stories' timeline heads (their chunks come from the projector's
 *    memory: it wrote them, functions/adapters/read-model-store.ts CHUNKS_CACHED);
 * 2. one round of BatchWriteItem: `itemsPerEvent` items of `itemBytes` per event, as many as the
 *    projector wrote per event so far in the run (its write units, its heads aside: a development's
 *    entries in its feeds, the actor's development, its entry in the list of stories, a chunk, a
 *    version item; a commentary's items average 360 bytes, measured from
 *    events/projections/collections.ts storyItems), 25 to a request, 8 in flight, as the projector sends them;
 * 3. one PutItem per story (its timeline's head).
 * The items are written to partitions of their own (`$io/...`), which nothing reads.
 */
export const projectorIo = ({
  dynamo,
  tableName,
  generation,
  itemsPerEvent = () => 8,
  itemBytes = 400,
}: {
  dynamo: DynamoDBClient;
  tableName: string;
  generation: number;
  /** Items a projected event writes: the run's own figure so far (the projector's write units per event, its heads aside), else 8. */
  itemsPerEvent?: () => number;
  itemBytes?: number;
}) => {
  const PK = readModelsTable.partitionKey.name;
  const SK = readModelsTable.sortKey.name;
  const filler = 'x'.repeat(itemBytes);
  let n = 0;
  const key = (partition: string, sk: number): Record<string, AttributeValue> => ({ [PK]: { S: partition }, [SK]: { N: String(sk) } });
  return async (records: DynamoDBRecord[]): Promise<void> => {
    const events = records.filter((r) => !(r.dynamodb?.Keys?.streamId?.S ?? '$').startsWith('$'));
    const stories = [...new Set(events.flatMap((r) => storyIdOf(r.dynamodb?.Keys?.streamId?.S ?? '') ?? []))];
    if (stories.length === 0) return;
    // the heads, of the generation in use
    const heads = stories.map((storyId) => key(`g${generation}/${timelineKey(storyId)}`, 0));
    await dynamo.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: heads, ConsistentRead: true } } }));
    const writes: WriteRequest[] = Array.from({ length: Math.max(stories.length, Math.round(events.length * itemsPerEvent())) }, () => ({ PutRequest: { Item: { ...key(`$io/${n % 64}`, n++), item: { S: filler } } } }));
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < writes.length; i += 25) batches.push(writes.slice(i, i + 25));
    for (let i = 0; i < batches.length; i += 8) {
      await Promise.all(batches.slice(i, i + 8).map((batch) => dynamo.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }))));
    }
    await Promise.all(stories.map((storyId) => dynamo.send(new PutItemCommand({ TableName: tableName, Item: { ...key(`$io/head/${storyId}`, 0), body: { S: filler } } }))));
  };
};
