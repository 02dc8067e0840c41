import { eventsTable } from '../../contracts/tables';
import { digestStreamId, storyStreamId } from '../../events/streams';

/**
 * Which records of the events table's stream reach the projector: inserted events only, those of the
 * story and digest streams. Id records, receipts and idempotency keys (partition keys starting with
 * `$`, see `isBookkeepingKey`) never invoke it, nor does a version-0 item or an overwrite (MODIFY) or
 * removal (REMOVE). The streams are named by their prefixes, not as "anything but `$`": Lambda's
 * filters take `prefix` but not `anything-but` with a prefix (EventBridge pipes grammar).
 *
 * A Lambda filter pattern (the grammar of EventBridge patterns; `infra/local/filter-pattern.ts`
 * evaluates the subset used here). The version is a DynamoDB number, a string in the record, so
 * "version >= 1" is written as "anything but 0" (versions are whole numbers from 0): Lambda's numeric
 * operators match JSON numbers only.
 */
export const eventRecordsPattern = {
  eventName: ['INSERT'],
  dynamodb: {
    Keys: {
      [eventsTable.partitionKey.name]: { S: [{ prefix: storyStreamId('') }, { prefix: digestStreamId('') }] },
      [eventsTable.sortKey.name]: { N: [{ 'anything-but': ['0'] }] },
    },
  },
} as const;

/**
 * How the projector consumes the events table's stream, as plain values (no CDK import) so the local
 * stream runner can apply the same rules that the event source mapping applies in AWS.
 *
 * The stream keeps records 24 hours; a poison record must not hold its shard that long, so a failing
 * batch is bisected, retried a bounded number of times, and then handed to the on-failure queue (a
 * pointer to the shard and sequence numbers, from which the events are re-read out of the table).
 * With a parallelization factor of 1, one batch per shard at a time; above 1, a shard's records are
 * spread over that many concurrent batches by partition key (stream id), which keeps each stream's
 * events in order; no read model is read-modified-written by two stories (the shared ones are
 * collections of items: events/projections/collections.ts), so the factor is above 1. The projector
 * reports the first failed record, so the records before it are not redone.
 */
export const streamProcessing = {
  startingPosition: 'TRIM_HORIZON',
  batchSize: 100,
  parallelizationFactor: 4,
  reportBatchItemFailures: true,
  bisectBatchOnError: true,
  retryAttempts: 5,
  maxRecordAgeSeconds: 24 * 60 * 60,
  filterPattern: eventRecordsPattern,
} as const;
