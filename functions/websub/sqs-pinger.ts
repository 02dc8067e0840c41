import { CreateInvalidationCommand, GetInvalidationCommand, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { FEED_MAX_AGE_SECONDS } from '../feed-publication';
import { errorMessage, logger } from '../logger';
import type { Ping } from './ping-queue';
import { backoffMs, DEFAULT_PINGER_OPTIONS, sendPing, type PingerOptions } from './pinger';
import { pingOfMessage } from './sqs-pings';

/**
 * The pinger in AWS. The SQS event source hands it ping messages (functions/websub/sqs-pings.ts);
 * each is sent with sendPing. A delivered ping is done (the event source deletes its message). A
 * failed one is reported in batchItemFailures and hidden for backoffMs(its receive count), the
 * local pinger's backoff; after maxAttempts receives the queue's redrive policy dead-letters it.
 *
 * With CloudFront in front of the feeds, a hub that fetches right after the ping must not get the
 * edge's copy from before the change. So the feed's path is invalidated first, and the ping goes
 * once GetInvalidation says Completed. Waiting must not use up the message's receives, which count
 * hub failures towards the dead-letter queue: so a wait is a new message (the same body, delayed
 * INVALIDATION_WAIT_SECONDS, the invalidation id in an attribute) and the received one is done.
 * Nothing is stored: the CallerReference is the first message's id, so a redelivery of it gets the
 * same invalidation back rather than a second one. The wait is bounded by the invalidation's
 * CreateTime: FEED_MAX_AGE_SECONDS after it, no edge can still hold a copy from before the change
 * (it was cached before the invalidation was asked for), so the ping goes even if CloudFront has
 * not finished.
 */

export const INVALIDATION_ATTRIBUTE = 'invalidationId';
export const INVALIDATION_WAIT_SECONDS = 5;

export interface SqsPingerDeps {
  sqs: Pick<SQSClient, 'send'>;
  /** The ping queue (its own messages are re-sent there while an invalidation runs). */
  queueUrl: string;
  /** With CloudFront in front of the feeds: pings wait for the feed's invalidation in this distribution. */
  cloudFront?: { client: Pick<CloudFrontClient, 'send'>; distributionId: string };
  options?: PingerOptions;
  now?: () => number;
}

export const createSqsPinger = ({ sqs, queueUrl, cloudFront, options = DEFAULT_PINGER_OPTIONS, now = Date.now }: SqsPingerDeps) => {
  /** Whether no edge can serve the feed from before the change; if not yet, the ping is queued again to look later. */
  const edgeIsFresh = async (record: SQSRecord, ping: Pick<Ping, 'url'>, { client, distributionId }: NonNullable<SqsPingerDeps['cloudFront']>): Promise<boolean> => {
    const id = record.messageAttributes[INVALIDATION_ATTRIBUTE]?.stringValue;
    const { Invalidation: invalidation } = id
      ? await client.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }))
      : await client.send(
          new CreateInvalidationCommand({ DistributionId: distributionId, InvalidationBatch: { CallerReference: record.messageId, Paths: { Quantity: 1, Items: [new URL(ping.url).pathname] } } }),
        );
    if (!invalidation?.Id) throw new Error('CloudFront answered without an invalidation');
    const cacheExpired = invalidation.CreateTime !== undefined && now() - invalidation.CreateTime.getTime() >= FEED_MAX_AGE_SECONDS * 1000;
    if (invalidation.Status === 'Completed' || cacheExpired) return true;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: record.body,
        DelaySeconds: INVALIDATION_WAIT_SECONDS,
        MessageAttributes: { [INVALIDATION_ATTRIBUTE]: { DataType: 'String', StringValue: invalidation.Id } },
      }),
    );
    return false;
  };

  /** True when the message is done (delivered, or handed on to wait for its invalidation). */
  const settle = async (record: SQSRecord): Promise<boolean> => {
    let ping: Pick<Ping, 'hub' | 'url'> | undefined;
    try {
      ping = pingOfMessage(record.body);
      if (cloudFront && !(await edgeIsFresh(record, ping, cloudFront))) return true;
      await sendPing(ping, options.timeoutMs);
      return true;
    } catch (error) {
      const receives = Number(record.attributes.ApproximateReceiveCount) || 1;
      const retryInSeconds = Math.ceil(backoffMs(receives, options) / 1000);
      logger.warn('websub ping failed', { hub: ping?.hub, url: ping?.url, receives, maxAttempts: options.maxAttempts, retryInSeconds, error: errorMessage(error) });
      // if this fails too, the message comes back after the queue's visibility timeout instead
      await sqs
        .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: retryInSeconds }))
        .catch((visibilityError: unknown) => logger.warn('websub ping backoff not set', { error: errorMessage(visibilityError) }));
      return false;
    }
  };

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const done = await Promise.all(event.Records.map(settle));
    return { batchItemFailures: event.Records.filter((_, i) => !done[i]).map((record) => ({ itemIdentifier: record.messageId })) };
  };
};
