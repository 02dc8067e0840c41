/**
 * How the projector consumes the events table's stream, as plain values (no CDK import) so the local
 * stream runner can apply the same rules that the event source mapping applies in AWS.
 *
 * The stream keeps records 24 hours; a poison record must not hold its shard that long, so a failing
 * batch is bisected, retried a bounded number of times, and then handed to the on-failure queue (a
 * pointer to the shard and sequence numbers, from which the events are re-read out of the table).
 * One batch per shard at a time keeps each stream's events in order; the projector reports the first
 * failed record, so the records before it are not redone.
 */
export const streamProcessing = {
  startingPosition: 'TRIM_HORIZON',
  batchSize: 100,
  parallelizationFactor: 1,
  reportBatchItemFailures: true,
  bisectBatchOnError: true,
  retryAttempts: 5,
  maxRecordAgeSeconds: 24 * 60 * 60,
} as const;
