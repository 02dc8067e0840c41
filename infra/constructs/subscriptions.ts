import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SnsEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { SUBSCRIBER_SEND_FAILED } from '../../contracts/log-messages';
import { subscriptionsTable } from '../../contracts/tables';
import { SES_SEND_ACTIONS } from './digests';
import { deadLetterQueue } from './dead-letter-queue';
import { indexArn, tableFromDefinition } from './dynamo-table';
import type { EventStore } from './event-store';
import { StorylineFunction } from './storyline-function';

export interface SubscriptionsProps {
  eventStore: EventStore;
  readModels: { table: dynamodb.ITable };
  /** The address subscriber mail comes from; its domain becomes an SES identity with DKIM. */
  emailFrom?: string;
  /** The account's SES send rate (mails per second; 14 by default out of the sandbox). */
  sendRate: number;
  /** Confirmation mails to one address per UTC day (SUBSCRIPTION_CONFIRMATIONS_PER_DAY of the HTTP function). */
  confirmationsPerDay: number;
}

/** The sender's event source runs at most this many instances (the minimum SQS allows); each spaces its sends to keep the sum within the send rate. */
export const SENDER_CONCURRENCY = 2;
const TABLE_WRITES = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * Digest subscriptions: their own table (never touched by a read-model rebuild), the HMAC secret,
 * the HTTP function, the fan-out queue and its paced sender, SES identity and configuration set
 * whose bounces and complaints reach the feedback function through SNS, and an alarm on failed sends.
 */
export class Subscriptions extends Construct {
  readonly table: dynamodb.Table;
  readonly secret: secretsmanager.Secret;
  readonly api: StorylineFunction;
  readonly sender: StorylineFunction;
  readonly feedback: StorylineFunction;
  readonly sendQueue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly feedbackTopic: sns.Topic;
  readonly configurationSet: ses.ConfigurationSet;
  readonly identity?: ses.EmailIdentity;
  readonly sendFailures: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SubscriptionsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // addresses are personal data kept nowhere else: retained with the stack, deletion-protected
    this.table = tableFromDefinition(this, 'Table', { definition: subscriptionsTable, deletionProtection: true, removalPolicy: RemovalPolicy.RETAIN });
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Storyline: HMAC key of subscriber ids and subscription links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The identity key derives every subscriber id: rotating it would orphan every subscription. Signing keys rotate by hand through the key ring (README: key rotation), with old links honoured until their key is retired.',
    });

    this.deadLetters = deadLetterQueue(this, 'SendDeadLetters');
    this.sendQueue = new sqs.Queue(this, 'SendQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 5 },
    });

    this.feedbackTopic = new sns.Topic(this, 'FeedbackTopic', { displayName: 'Storyline SES bounces and complaints', enforceSSL: true });
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', { suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS });
    this.configurationSet.addEventDestination('Feedback', {
      destination: ses.EventDestination.snsTopic(this.feedbackTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    const domain = props.emailFrom?.slice(props.emailFrom.lastIndexOf('@') + 1);
    // Easy DKIM signs every header, List-Unsubscribe and List-Unsubscribe-Post included (RFC 8058 needs both signed)
    if (domain) this.identity = new ses.EmailIdentity(this, 'Identity', { identity: ses.Identity.domain(domain), configurationSet: this.configurationSet, dkimSigning: true });

    const tables = { events: props.eventStore.table, readModels: props.readModels.table };
    const environment = {
      [ENV.subscriptionsTable]: this.table.tableName,
      [ENV.subscriptionSecretArn]: this.secret.secretArn,
      [ENV.sesConfigurationSet]: this.configurationSet.configurationSetName,
      ...(props.emailFrom ? { [ENV.subscriptionEmailFrom]: props.emailFrom } : {}),
    };
    this.api = new StorylineFunction(this, 'Api', {
      handler: 'subscriptions',
      description: 'Storyline: digest sign-up, confirmation, preferences, unsubscribe and erasure',
      tables,
      environment: { ...environment, [ENV.confirmationsPerDay]: String(props.confirmationsPerDay) },
    });
    this.sender = new StorylineFunction(this, 'Sender', {
      handler: 'subscriber-sender',
      description: "Storyline: sends each subscriber's digest, paced to the SES send rate",
      tables,
      timeout: Duration.minutes(1),
      environment: { ...environment, [ENV.subscriberSendIntervalMs]: String(Math.ceil((1000 * SENDER_CONCURRENCY) / props.sendRate)) },
    });
    this.sender.function.addEventSource(new SqsEventSource(this.sendQueue, { batchSize: 10, maxConcurrency: SENDER_CONCURRENCY, reportBatchItemFailures: true }));
    this.feedback = new StorylineFunction(this, 'Feedback', { handler: 'mail-feedback', description: 'Storyline: SES bounces and complaints stop mail to the address', tables, environment, deadLetterQueue: this.deadLetters });
    this.feedback.function.addEventSource(new SnsEventSource(this.feedbackTopic, { deadLetterQueue: this.deadLetters }));
    Validations.of(this.sender).acknowledge({ id: 'Serverless-LambdaDLQ', reason: 'Invoked by an SQS event source: failed messages go to the send queue’s own dead-letter queue (redrive policy), which a Lambda DLQ does not apply to.' });
    Validations.of(this.sender).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason: 'An SQS event source mapping takes no on-failure destination: a message that keeps failing goes to the dead-letter queue of the send queue (maxReceiveCount 5).',
    });

    const tableArn = this.table.tableArn;
    const confirmedIndex = indexArn(this.table, subscriptionsTable.globalSecondaryIndexes[0].indexName);
    // a confirmation is a transaction (delete the request, write the subscription); counts read the confirmed index, never Scan
    iam.Grant.addToPrincipal({ grantee: this.api.role, actions: [...TABLE_WRITES, 'dynamodb:Query', 'dynamodb:BatchWriteItem'], resourceArns: [tableArn] });
    iam.Grant.addToPrincipal({ grantee: this.api.role, actions: ['dynamodb:Query'], resourceArns: [confirmedIndex] });
    // a send is claimed in a transaction that checks the subscription exists
    iam.Grant.addToPrincipal({ grantee: this.sender.role, actions: [...TABLE_WRITES, 'dynamodb:ConditionCheckItem'], resourceArns: [tableArn] });
    // an erasure deletes the subscription first, then the rest of its partition
    iam.Grant.addToPrincipal({ grantee: this.feedback.role, actions: ['dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'], resourceArns: [tableArn] });
    props.eventStore.grantReadEvents(this.sender.role);
    for (const fn of [this.api, this.sender, this.feedback]) this.secret.grantRead(fn.role);

    // sending from our identity (domain) through our configuration set, to any recipient
    if (domain && props.emailFrom) {
      for (const fn of [this.api, this.sender]) {
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: SES_SEND_ACTIONS,
            resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }), stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName })],
            conditions: { StringEquals: { 'ses:FromAddress': props.emailFrom } },
          }),
        );
      }
    }

    const failures = new logs.MetricFilter(this, 'SendFailures', {
      logGroup: this.sender.logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.message', '=', SUBSCRIBER_SEND_FAILED),
      metricNamespace: 'Storyline',
      metricName: 'SubscriberSendFailures',
      metricValue: '1',
      defaultValue: 0,
    });
    this.sendFailures = new cloudwatch.Alarm(this, 'SendFailuresAlarm', {
      alarmDescription: 'Digests could not be sent to subscribers (the queue retries them, then dead-letters them)',
      metric: failures.metric({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** The origin links in subscriber mail point at (known once the API or CDN exists). */
  setPublicBaseUrl(url: string): void {
    for (const fn of [this.api, this.sender, this.feedback]) fn.function.addEnvironment(ENV.publicBaseUrl, url);
  }

  /** The digest function lists confirmed subscribers (the index only) and queues one message each. */
  connectDigest(digest: StorylineFunction): void {
    digest.function.addEnvironment(ENV.subscriptionsTable, this.table.tableName);
    digest.function.addEnvironment(ENV.subscriberSendQueueUrl, this.sendQueue.queueUrl);
    digest.function.addEnvironment(ENV.subscriptionSecretArn, this.secret.secretArn);
    iam.Grant.addToPrincipal({ grantee: digest.role, actions: ['dynamodb:Query'], resourceArns: [indexArn(this.table, subscriptionsTable.globalSecondaryIndexes[0].indexName)] });
    this.sendQueue.grantSendMessages(digest.role);
    this.secret.grantRead(digest.role);
  }
}
