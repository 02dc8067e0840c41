import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '../../contracts/env';
import { optionalEnv, requiredEnv } from '../config';
import { feedChangeNotifier } from './feed-changes';
import { hubsFromEnv } from './hubs';
import { folderPingQueue, type PingSender } from './ping-queue';
import { sqsPingSender } from './sqs-pings';

/** The queue pings go to: SQS (WEBSUB_QUEUE_URL, set by the CDK stack) in AWS, else the folder WEBSUB_QUEUE_DIR (set by the local runtime). */
const pingSenderFromEnv = (): PingSender => {
  const queueUrl = optionalEnv(ENV.websubQueueUrl);
  return queueUrl ? sqsPingSender(new SQSClient({}), queueUrl) : folderPingQueue(requiredEnv(ENV.websubQueueDir));
};

/** The projector's hook that queues hub pings, or undefined when no hub is configured; hubs without a queue fail at load. */
export const websubNotifierFromEnv = (): ((feedKey: string) => Promise<void>) | undefined => {
  const hubs = hubsFromEnv();
  if (hubs.length === 0) return undefined;
  return feedChangeNotifier(pingSenderFromEnv(), hubs, requiredEnv(ENV.publicBaseUrl));
};
