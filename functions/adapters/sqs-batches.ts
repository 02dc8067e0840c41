import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { RetryLimitError, retrying, retryPolicy, type RetryPolicy } from './retry-policy';

/** SQS takes at most this many messages in one SendMessageBatch. */
export const SQS_BATCH_SIZE = 10;
/** Entries a batch reports as Failed (throttled, an internal error) are sent again this many times. */
export const SQS_BATCH_RESENDS = 3;
/** The resends wait as the shared policy says (exponential backoff, full jitter): a throttled queue gets time to recover. */
export const SQS_RESEND_POLICY = retryPolicy({ retries: SQS_BATCH_RESENDS });

/**
 * Sends message bodies to a queue in batches of 10, the batches in parallel; the entries SQS
 * reports as Failed are sent again under the retry policy (up to 3 times, after a backoff). Returns
 * how many never got in: the caller decides whether that is an error. A request that fails as a whole throws.
 */
export const sendMessageBatches = async (sqs: Pick<SQSClient, 'send'>, queueUrl: string, bodies: readonly string[], policy: RetryPolicy = SQS_RESEND_POLICY): Promise<{ failed: number }> => {
  const batches: string[][] = [];
  for (let i = 0; i < bodies.length; i += SQS_BATCH_SIZE) batches.push(bodies.slice(i, i + SQS_BATCH_SIZE));
  const failed = await Promise.all(
    batches.map(async (batch) => {
      let entries = batch.map((body, i) => ({ Id: String(i), MessageBody: body }));
      try {
        await retrying(
          `SendMessageBatch to ${queueUrl}`,
          async () => {
            const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
            const failedIds = new Set((result.Failed ?? []).map((f) => f.Id));
            entries = entries.filter((e) => failedIds.has(e.Id));
            return entries.length === 0 ? { done: true, value: undefined } : { done: false, left: entries.length };
          },
          policy,
        );
        return 0;
      } catch (error) {
        if (error instanceof RetryLimitError) return entries.length;
        throw error;
      }
    }),
  );
  return { failed: failed.reduce((sum, n) => sum + n, 0) };
};
