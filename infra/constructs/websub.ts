import { Duration, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { DEFAULT_PINGER_OPTIONS } from '../../functions/websub/pinger';
import { deadLetterQueue } from './dead-letter-queue';
import { StorylineFunction } from './storyline-function';

/** The pinger's timeout: a batch's pings go out in parallel, each within the ping timeout, after at most two CloudFront calls. */
export const PINGER_TIMEOUT = Duration.millis(3 * DEFAULT_PINGER_OPTIONS.timeoutMs);
/** Messages per invocation: few, so that one slow hub delays few others. */
export const PINGER_BATCH_SIZE = 5;

export interface WebSubProps {
  hubs: string[];
  publicBaseUrl: string;
  tables: { events: dynamodb.ITable; readModels: dynamodb.ITable };
  /** The projector, which queues the pings; the feed function, which names the hubs. */
  projector: StorylineFunction;
  feeds: StorylineFunction;
  /** CloudFront in front of the feeds, when there is one: the pinger invalidates a feed in it before pinging. */
  distribution?: cloudfront.IDistribution;
}

/**
 * WebSub, publisher side (only when hubs are configured): the ping queue the projector sends to,
 * the pinger function it drains into, and its dead-letter queue, reached after
 * DEFAULT_PINGER_OPTIONS.maxAttempts receives: the same bound the local pinger keeps. The backoff
 * between tries is the pinger's (it sets each failed message's visibility).
 */
export class WebSub extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly pinger: StorylineFunction;

  constructor(scope: Construct, id: string, props: WebSubProps) {
    super(scope, id);
    const hubs = props.hubs.join(',');

    this.deadLetters = deadLetterQueue(this, 'PingDeadLetters');
    this.queue = new sqs.Queue(this, 'PingQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for an SQS event source: six times the function's timeout
      visibilityTimeout: Duration.seconds(6 * PINGER_TIMEOUT.toSeconds()),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: DEFAULT_PINGER_OPTIONS.maxAttempts },
    });

    this.pinger = new StorylineFunction(this, 'Pinger', {
      handler: 'websub-pinger',
      description: 'Storyline: pings WebSub hubs when a feed changed (after invalidating it in CloudFront)',
      tables: props.tables,
      memorySize: 256,
      timeout: PINGER_TIMEOUT,
      environment: {
        [ENV.websubQueueUrl]: this.queue.queueUrl,
        ...(props.distribution ? { [ENV.cloudFrontDistributionId]: props.distribution.distributionId } : {}),
      },
    });
    this.pinger.function.addEventSource(new SqsEventSource(this.queue, { batchSize: PINGER_BATCH_SIZE, reportBatchItemFailures: true }));
    if (props.distribution) {
      props.distribution.grant(this.pinger.role, 'cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation');
      // while an invalidation runs, the ping is queued again (functions/websub/sqs-pinger.ts)
      this.queue.grantSendMessages(this.pinger.role);
    }
    Validations.of(this.pinger).acknowledge(
      { id: 'Serverless-LambdaDLQ', reason: 'Invoked by an SQS event source: a ping that keeps failing goes to the ping queue’s own dead-letter queue (redrive policy), which a Lambda DLQ does not apply to.' },
      {
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason: 'An SQS event source mapping takes no on-failure destination: a ping that keeps failing goes to the dead-letter queue of the ping queue (maxReceiveCount = the pinger’s maxAttempts).',
      },
    );

    props.projector.function.addEnvironment(ENV.websubHubs, hubs);
    props.projector.function.addEnvironment(ENV.websubQueueUrl, this.queue.queueUrl);
    props.projector.function.addEnvironment(ENV.publicBaseUrl, props.publicBaseUrl);
    this.queue.grantSendMessages(props.projector.role);
    props.feeds.function.addEnvironment(ENV.websubHubs, hubs);
  }
}
