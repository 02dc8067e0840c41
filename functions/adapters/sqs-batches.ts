import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS takes at most this many messages in one SendMessageBatch. */
export const SQS_BATCH_SIZE = 10;
/** Entries a batch reports as Failed (throttled, an internal error) are sent again this many times. */
export const SQS_BATCH_RESENDS = 3;

/**
 * Sends message bodies to a queue in batches of 10, the batches in parallel; the entries SQS
 * reports as Failed are sent again (up to 3 times). Returns how many never got in: the caller
 * decides whether that is an error. A request that fails as a whole throws.
 */
export const sendMessageBatches = async (sqs: Pick<SQSClient, 'send'>, queueUrl: string, bodies: readonly string[]): Promise<{ failed: number }> => {
  const batches: string[][] = [];
  for (let i = 0; i < bodies.length; i += SQS_BATCH_SIZE) batches.push(bodies.slice(i, i + SQS_BATCH_SIZE));
  const failed = await Promise.all(
    batches.map(async (batch) => {
      let entries = batch.map((body, i) => ({ Id: String(i), MessageBody: body }));
      for (let attempt = 0; ; attempt++) {
        const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        const failedIds = new Set((result.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failedIds.has(e.Id));
        if (entries.length === 0 || attempt >= SQS_BATCH_RESENDS) return entries.length;
      }
    }),
  );
  return { failed: failed.reduce((sum, n) => sum + n, 0) };
};
