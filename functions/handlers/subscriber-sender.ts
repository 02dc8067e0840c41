import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import { SUBSCRIBER_SEND_FAILED } from '../../contracts/log-messages';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { boundedCache } from '../bounded-cache';
import { createEventStore } from '../adapters/event-store';
import { optionalEnv, requiredEnv } from '../config';
import { logger } from '../logger';
import { deliverToSubscriber, findDigest, type PublishedDigest } from '../subscriptions/delivery';
import type { SubscriberSend } from '../subscriptions/fan-out';
import { errorFields } from '../subscriptions/mail-errors';
import { subscriptionDepsFromEnv } from '../subscriptions/from-env';

/**
 * Drains the subscriber send queue (one message per subscriber and digest). Sends are spaced by
 * SUBSCRIBER_SEND_INTERVAL_MS; with the event source's maximum concurrency that keeps the function
 * within the account's SES send rate. A failed send is reported as a batch item failure, so the
 * queue retries that message alone (then dead-letters it); the others are done.
 */

const client = dynamoClientFromEnv();
const events = createEventStore(client, requiredEnv(ENV.eventsTable));
const deps = subscriptionDepsFromEnv(client);
const interval = Number(optionalEnv(ENV.subscriberSendIntervalMs) ?? '0');
/** The digests being sent (a fan-out queues one message per subscriber of each): one read per digest, not per message. */
const digests = boundedCache<string, Promise<PublishedDigest | undefined>>({ max: 32 });

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const started = Date.now();
    let send: SubscriberSend | undefined;
    try {
      send = JSON.parse(record.body) as SubscriberSend;
      let reading = digests.get(send.digestId);
      if (!reading) digests.set(send.digestId, (reading = findDigest(events, send.period, send.digestId)));
      const [digest, subscription] = await Promise.all([reading, deps.subscriptions.get(send.sid)]);
      if (!digest) throw new Error(`digest ${send.digestId} is not published`);
      // erased or unsubscribed since the fan-out: nothing to send
      const outcome = subscription ? await deliverToSubscriber(deps, digest, subscription) : 'not-subscribed';
      logger.info('subscriber send', { sid: send.sid, digestId: send.digestId, outcome });
    } catch (error) {
      if (send) digests.delete(send.digestId);
      // by name and code only: a mail error's message names the recipient
      logger.error(SUBSCRIBER_SEND_FAILED, { sid: send?.sid, digestId: send?.digestId, ...errorFields(error) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    const wait = interval - (Date.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return { batchItemFailures };
};
