import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessageBatches } from '../adapters/sqs-batches';
import type { Ping, PingSender } from './ping-queue';

/**
 * The ping queue in AWS: one SQS message per hub and feed URL, its body `{"hub","url"}`. The SQS
 * event source hands them to the pinger function (functions/handlers/websub-pinger.ts); retries,
 * backoff and the dead-letter queue are SQS's, so a message carries no attempt count.
 */

export const pingMessageBody = ({ hub, url }: Pick<Ping, 'hub' | 'url'>): string => JSON.stringify({ hub, url });

/** The ping a message carries; throws on a body that is not one. */
export const pingOfMessage = (body: string): Pick<Ping, 'hub' | 'url'> => {
  const value = JSON.parse(body) as Partial<Record<'hub' | 'url', unknown>> | null;
  if (typeof value?.hub !== 'string' || typeof value.url !== 'string') throw new Error('the message is no ping ({"hub","url"})');
  return { hub: value.hub, url: value.url };
};

/** Sends pings as messages, in batches; any that could not be queued make it throw (feedChangeNotifier logs that and fails the batch). */
export const sqsPingSender = (sqs: Pick<SQSClient, 'send'>, queueUrl: string): PingSender => ({
  send: async (pings) => {
    const { failed } = await sendMessageBatches(sqs, queueUrl, pings.map(pingMessageBody));
    if (failed) throw new Error(`${failed} of ${pings.length} ping(s) could not be queued`);
  },
});
