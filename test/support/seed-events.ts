import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { encodeEvent } from '../../events/catalog/codec';
import type { EventMetadata } from '../../events/catalog/events';
import { eventFingerprint } from '../../events/fingerprint';
import { idRecordPut } from '../../functions/adapters/event-id-records';
import { toEventItem } from '../../functions/adapters/event-items';
import type { NewEvent } from '../../functions/adapters/event-store';
import { retryUnprocessed } from '../../functions/adapters/unprocessed-retry';

/**
 * A long stream written straight into the events table: the items appends of up to 50 events write
 * (each event's item and its id record, as `writeInOne` in functions/adapters/event-append.ts puts
 * them), 25 to a BatchWriteItem, a few at once, without the appends' transactions. For suites about
 * what reads or projects thousands of events, not about appending them (the append path has suites
 * of its own). `after`: the stream's version before these events.
 */
export const writeAppendedItems = async (
  client: DynamoDBClient,
  tableName: string,
  { streamId, events, metadata, recordedAt, after = 0 }: { streamId: string; events: readonly NewEvent[]; metadata: EventMetadata; recordedAt: string; after?: number },
): Promise<void> => {
  const puts: WriteRequest[] = events.flatMap((event, i) => {
    const version = after + i + 1;
    const { type, schemaVersion, data } = encodeEvent(event);
    const item = toEventItem({ streamId, version, id: event.id, type, schemaVersion, data, recordedAt, reportedAt: event.reportedAt ?? recordedAt, metadata });
    const idRecord = idRecordPut(tableName, { id: event.id, streamId, hash: eventFingerprint(streamId, event), version }).Put?.Item;
    return [{ PutRequest: { Item: item } }, ...(idRecord ? [{ PutRequest: { Item: idRecord } }] : [])];
  });
  const batches = Array.from({ length: Math.ceil(puts.length / 25) }, (_, i) => puts.slice(i * 25, i * 25 + 25));
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(
      batches.slice(i, i + 8).map((batch) =>
        retryUnprocessed(tableName, 'BatchWriteItem', batch, async (pending) => (await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }))).UnprocessedItems?.[tableName] ?? []),
      ),
    );
  }
};
