import { Duration, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEAD_LETTER_REASON, deadLetterQueue } from './dead-letter-queue';
import type { EventStore } from './event-store';
import type { ReadModels } from './read-models';
import { StorylineFunction } from './storyline-function';
import { streamProcessing } from './stream-processing';

/** The event source mapping's settings, from the plain values the local stream runner can share. */
const STREAM_PROCESSING = {
  startingPosition: lambda.StartingPosition[streamProcessing.startingPosition],
  batchSize: streamProcessing.batchSize,
  parallelizationFactor: streamProcessing.parallelizationFactor,
  reportBatchItemFailures: streamProcessing.reportBatchItemFailures,
  bisectBatchOnError: streamProcessing.bisectBatchOnError,
  retryAttempts: streamProcessing.retryAttempts,
  maxRecordAge: Duration.seconds(streamProcessing.maxRecordAgeSeconds),
} as const;
/** Lambda event filtering: only event records invoke the projector. */
const EVENT_RECORDS = [lambda.FilterCriteria.filter(streamProcessing.eventRecordFilter)];

export interface ProjectionsProps {
  eventStore: EventStore;
  readModels: ReadModels;
}

/** The projector: events table stream -> read models, with its event source mapping and failure queue. */
export class Projections extends Construct {
  readonly projector: StorylineFunction;
  readonly failedRecords: sqs.Queue;
  readonly eventSource: DynamoEventSource;

  constructor(scope: Construct, id: string, { eventStore, readModels }: ProjectionsProps) {
    super(scope, id);

    this.projector = new StorylineFunction(this, 'Projector', {
      handler: 'projector',
      description: 'Storyline: projects new events into the read models (DynamoDB stream)',
      tables: { events: eventStore.table, readModels: readModels.table },
      memorySize: 1024,
      timeout: Duration.seconds(60),
    });
    // gap filling reads the stream's missing versions from the table
    eventStore.grantReadEvents(this.projector.role);
    readModels.grantReadWrite(this.projector.role);

    this.failedRecords = deadLetterQueue(this, 'FailedRecords');
    // (the digest queue is a Lambda DeadLetterConfig target, which cdk-nag recognises; an event source
    // mapping's on-failure destination it does not)
    Validations.of(this.failedRecords).acknowledge({ id: 'AwsSolutions-SQS3', reason: DEAD_LETTER_REASON });
    this.eventSource = new DynamoEventSource(eventStore.table, { ...STREAM_PROCESSING, filters: EVENT_RECORDS, onFailure: new SqsDlq(this.failedRecords) });
    this.projector.function.addEventSource(this.eventSource);

    Validations.of(this.projector).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'dynamodb:ListStreams, granted by the stream event source, has no resource-level permissions; the stream reads themselves are scoped to the events table stream ARN.',
      },
      {
        id: 'Serverless-LambdaDLQ',
        reason: 'The projector is invoked synchronously by the stream event source mapping, which has its own on-failure SQS destination (FailedRecords); a Lambda DLQ only applies to asynchronous invocations.',
      },
    );
  }
}
