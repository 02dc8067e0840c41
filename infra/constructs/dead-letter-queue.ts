import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export const DEAD_LETTER_REASON =
  'This queue is itself a dead-letter destination (nothing consumes it automatically); an operator reads and replays it, so it needs no dead-letter queue of its own.';

/**
 * A queue where failures land to be looked at and replayed: encrypted, TLS only, kept 14 days (the
 * SQS maximum). It is the end of the line, so it has no dead-letter queue of its own.
 */
export const deadLetterQueue = (scope: Construct, id: string): sqs.Queue => {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: DEAD_LETTER_REASON });
  return queue;
};
