/**
 * How the projector consumes the events table's stream, as plain values (no CDK import) so the local
 * stream runner can apply the same rules that the event source mapping applies in AWS.
 *
 * The stream keeps records 24 hours; a poison record must not hold its shard that long, so a failing
 * batch is bisected, retried a bounded number of times, and then handed to the on-failure queue (a
 * pointer to the shard and sequence numbers, from which the events are re-read out of the table).
 * Batches of a shard run up to `parallelizationFactor` at a time, each stream (partition key) in one
 * of them, so each story's events stay in order; no read model is read-modified-written by two
 * stories (the shared ones are collections of items: events/projections/collections.ts). The
 * projector reports the first failed record, so the records before it are not redone.
 * `eventRecordFilter` (Lambda event filtering) passes only event records: items of the story and
 * digest streams at version 1 and up, never the `$`-prefixed bookkeeping items (event id records,
 * idempotency keys), which would only invoke the projector for nothing.
 */
export const streamProcessing = {
  startingPosition: 'TRIM_HORIZON',
  batchSize: 100,
  parallelizationFactor: 4,
  reportBatchItemFailures: true,
  bisectBatchOnError: true,
  retryAttempts: 5,
  maxRecordAgeSeconds: 24 * 60 * 60,
  eventRecordFilter: { dynamodb: { Keys: { streamId: { S: [{ prefix: 'story/' }, { prefix: 'digest/' }] }, version: { N: [{ numeric: ['>=', 1] }] } } } },
} as const;
