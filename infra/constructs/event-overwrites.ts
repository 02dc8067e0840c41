import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { DEAD_LETTER_REASON, deadLetterQueue } from './dead-letter-queue';
import type { EventStore } from './event-store';
import type { ReadModels } from './read-models';
import { StorylineFunction } from './storyline-function';

/** The stream records that are not an INSERT: what the watcher's event source mapping lets through. */
export const NOT_INSERTED = ['MODIFY', 'REMOVE'] as const;

/**
 * Append-only, watched: a second event source mapping on the events table's stream, filtered to the
 * records that are not an INSERT, invokes a small function that logs each loudly; an alarm fires on
 * its first invocation. An overwrite by PutItem (a MODIFY record) no longer passes silently.
 */
export class EventOverwrites extends Construct {
  readonly watcher: StorylineFunction;
  readonly alarm: cloudwatch.Alarm;
  readonly failedRecords: sqs.Queue;

  constructor(scope: Construct, id: string, { eventStore, readModels }: { eventStore: EventStore; readModels: ReadModels }) {
    super(scope, id);
    this.watcher = new StorylineFunction(this, 'Watcher', {
      handler: 'event-overwrites',
      description: 'Storyline: logs every record of the events stream that is not an INSERT (an overwrite or a removal)',
      tables: { events: eventStore.table, readModels: readModels.table },
      memorySize: 256,
      timeout: Duration.seconds(10),
    });
    const failed = (this.failedRecords = deadLetterQueue(this, 'FailedRecords'));
    Validations.of(failed).acknowledge({ id: 'AwsSolutions-SQS3', reason: DEAD_LETTER_REASON });
    this.watcher.function.addEventSource(
      new DynamoEventSource(eventStore.table, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        retryAttempts: 2,
        onFailure: new SqsDlq(failed),
        filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.or(...NOT_INSERTED) })],
      }),
    );
    this.alarm = new cloudwatch.Alarm(this, 'NotInserted', {
      metric: this.watcher.function.metricInvocations({ period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'A record of the events table stream that is not an INSERT: an event or bookkeeping item was overwritten or removed. The watcher function logs its keys.',
    });
    Validations.of(this.watcher).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'dynamodb:ListStreams, granted by the stream event source, has no resource-level permissions; the stream reads themselves are scoped to the events table stream ARN.',
      },
      {
        id: 'Serverless-LambdaDLQ',
        reason: 'Invoked synchronously by the stream event source mapping, which has its own on-failure SQS destination; a Lambda DLQ only applies to asynchronous invocations.',
      },
    );
  }
}
