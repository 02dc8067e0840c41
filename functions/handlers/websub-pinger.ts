import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '../../contracts/env';
import { optionalEnv, requiredEnv } from '../config';
import { createSqsPinger } from '../websub/sqs-pinger';

/**
 * Drains the WebSub ping queue (one message per hub and feed URL, queued by the projector): sends
 * each ping, reports the failed ones as batch item failures with their backoff, and, with CloudFront
 * in front of the feeds (CLOUDFRONT_DISTRIBUTION_ID), pings only once the feed's path is invalidated.
 */

const distributionId = optionalEnv(ENV.cloudFrontDistributionId);

export const handler = createSqsPinger({
  sqs: new SQSClient({}),
  queueUrl: requiredEnv(ENV.websubQueueUrl),
  ...(distributionId ? { cloudFront: { client: new CloudFrontClient({}), distributionId } } : {}),
});
