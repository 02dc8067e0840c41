import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '../../contracts/env';
import type { DigestPeriod } from '../../events/digest/compose';
import type { EventStore } from '../adapters/event-store';
import { sendMessageBatches } from '../adapters/sqs-batches';
import { optionalEnv } from '../config';
import { deliverDigest, findDigest, type DeliveryReport } from './delivery';
import { subscriptionDepsFromEnv } from './from-env';
import type { SubscriptionStore } from './subscription-store';

/**
 * After a digest firing: each confirmed subscriber's copy. In AWS one queue message per subscriber
 * (the sender function drains the queue at the send rate SES allows, so no single run holds them
 * all); locally, sent at once into the outbox. A repeated firing fans out again: the send records
 * make sure nobody gets a second copy.
 */

/** What the queue carries: references only, never an address. */
export interface SubscriberSend {
  period: DigestPeriod;
  digestId: string;
  sid: string;
}

export class SubscriberDeliveryError extends Error {
  override readonly name = 'SubscriberDeliveryError';
}

const enqueue = async (sqs: SQSClient, queueUrl: string, store: SubscriptionStore, period: DigestPeriod, digestId: string): Promise<{ queued: number }> => {
  let queued = 0;
  for await (const page of store.confirmed(period)) {
    const { failed } = await sendMessageBatches(sqs, queueUrl, page.map(({ sid }) => JSON.stringify({ period, digestId, sid } satisfies SubscriberSend)));
    if (failed) throw new SubscriberDeliveryError(`${failed} subscriber send(s) could not be queued for ${digestId}`);
    queued += page.length;
  }
  return { queued };
};

export const subscriberFanOutFromEnv = (client: DynamoDBClient, events: EventStore) => {
  if (!optionalEnv(ENV.subscriptionsTable)) return undefined;
  const deps = subscriptionDepsFromEnv(client);
  const queueUrl = optionalEnv(ENV.subscriberSendQueueUrl);
  const sqs = queueUrl ? new SQSClient({}) : undefined;
  return async (period: DigestPeriod, digestId: string): Promise<DeliveryReport | { queued: number }> => {
    if (sqs && queueUrl) return enqueue(sqs, queueUrl, deps.subscriptions, period, digestId);
    const digest = await findDigest(events, period, digestId);
    if (!digest) throw new SubscriberDeliveryError(`digest ${digestId} is not in the ${period} digest stream`);
    const report = await deliverDigest(deps, digest);
    // thrown after everyone else was served: the retried firing sends only what is missing
    if (report.failed) throw new SubscriberDeliveryError(`${report.failed} subscriber(s) of ${digestId} could not be sent to (${report.sent} sent): the firing will be retried for them`);
    return report;
  };
};
