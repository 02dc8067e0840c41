import { Duration, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PASSED_OVER_MESSAGES } from '../../contracts/log-messages';

/** Alarm thresholds, in one place so the runbook (docs/deploy.md) and the tests can quote them. */
export const THRESHOLDS = {
  /** Any projector error in 5 minutes: retries hide transient ones, so an error that shows is worth a look. */
  projectorErrors: 1,
  /** The oldest unprocessed stream record, ms: the read models are this far behind the events. */
  iteratorAgeMs: 5 * 60 * 1000,
  /** Any event the projector passed over: one it cannot read (a newer writer, damaged data), or one a projection failed on (a bug). */
  unreadableEvents: 1,
  /** Any message in a dead-letter queue is a projection or digest that did not happen. */
  deadLetters: 1,
  /** Percent of API requests answered 5xx over 5 minutes (with at least this many requests). */
  api5xxPercent: 1,
  api5xxMinRequests: 20,
} as const;

export interface OperationsProps {
  projector: lambda.IFunction;
  /** The projector's log group, where passed-over events are logged. */
  projectorLogs: logs.ILogGroup;
  /** Every function, for the dashboard. */
  functions: Record<string, lambda.IFunction>;
  deadLetterQueues: Record<string, sqs.IQueue>;
  api: apigwv2.HttpApi;
  /** Addresses every alarm notifies (through an SNS topic); none: alarms only show on the dashboard. */
  alarmEmail?: string[];
}

/** CloudWatch alarms on what can silently go wrong, and one dashboard of the whole flow. */
export class Operations extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  /** Where alarms notify, when the stack has alarm e-mail addresses. */
  readonly alarmTopic?: sns.Topic;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    if (props.alarmEmail?.length) {
      this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Storyline alarms', enforceSSL: true });
      // each address is sent a confirmation link by SNS before it receives anything
      for (const address of props.alarmEmail) {
        const subscription = this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(address));
        Validations.of(subscription).acknowledge({
          id: 'Serverless-SNSRedrivePolicy',
          reason: 'An e-mail SNS could not deliver after its retries is an alarm notice lost, not data: the alarm itself stays in its state on the dashboard and in CloudWatch.',
        });
      }
    }

    const projectorErrors = props.projector.metricErrors({ period, statistic: cloudwatch.Stats.SUM });
    this.alarm('ProjectorErrors', projectorErrors, {
      threshold: THRESHOLDS.projectorErrors,
      description: 'The projector failed on a batch of stream records (it retries, bisects, then sends the batch to the failed-records queue).',
    });

    const iteratorAge = props.projector.metric('IteratorAge', { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM });
    this.alarm('ProjectorIteratorAge', iteratorAge, {
      threshold: THRESHOLDS.iteratorAgeMs,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      description: 'The read models lag the events table by more than 5 minutes for 5 minutes (the stream keeps records 24 hours).',
    });

    const unreadable = new logs.MetricFilter(this, 'UnreadableEventsFilter', {
      logGroup: props.projectorLogs,
      filterPattern: logs.FilterPattern.any(...PASSED_OVER_MESSAGES.map((message) => logs.FilterPattern.stringValue('$.message', '=', message))),
      metricNamespace: 'Storyline',
      metricName: 'UnreadableEvents',
      metricValue: '1',
    }).metric({ period, statistic: cloudwatch.Stats.SUM });
    this.alarm('UnreadableEvents', unreadable, {
      threshold: THRESHOLDS.unreadableEvents,
      description: 'The projector passed over an event it cannot read, or that a projection failed on (the documents list it under passedOver): see "Passed-over events" in docs/deploy.md.',
    });

    const deadLetterMetrics: cloudwatch.IMetric[] = [];
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      const depth = queue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM });
      deadLetterMetrics.push(depth.with({ label: name }));
      this.alarm(`${name}Depth`, depth, {
        threshold: THRESHOLDS.deadLetters,
        description: `Messages in the ${name} dead-letter queue: see "DLQ runbook" in docs/deploy.md.`,
      });
    }

    const requests = props.api.metricCount({ period, statistic: cloudwatch.Stats.SUM });
    const serverErrors = props.api.metricServerError({ period, statistic: cloudwatch.Stats.SUM });
    const errorRate = new cloudwatch.MathExpression({
      expression: `IF(requests >= ${THRESHOLDS.api5xxMinRequests}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      period,
      label: 'API 5xx %',
    });
    this.alarm('Api5xxRate', errorRate, {
      threshold: THRESHOLDS.api5xxPercent,
      description: 'More than 1% of API requests were answered 5xx in 5 minutes.',
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    const functions = Object.entries(props.functions);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(24),
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'API requests', left: [requests], right: [serverErrors, props.api.metricClientError({ period, statistic: cloudwatch.Stats.SUM })] }),
          new cloudwatch.GraphWidget({ title: 'API 5xx %', left: [errorRate] }),
          new cloudwatch.GraphWidget({ title: 'API latency (p99)', left: [props.api.metricLatency({ period, statistic: cloudwatch.Stats.p(99) })] }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Projector iterator age (ms)', left: [iteratorAge] }),
          new cloudwatch.GraphWidget({ title: 'Projector errors', left: [projectorErrors] }),
          new cloudwatch.GraphWidget({ title: 'Dead-letter queues', left: deadLetterMetrics }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Invocations', left: functions.map(([name, fn]) => fn.metricInvocations({ period, label: name })) }),
          new cloudwatch.GraphWidget({ title: 'Errors', left: functions.map(([name, fn]) => fn.metricErrors({ period, label: name })) }),
          new cloudwatch.GraphWidget({ title: 'Duration (p99)', left: functions.map(([name, fn]) => fn.metricDuration({ period, statistic: cloudwatch.Stats.p(99), label: name })) }),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    options: { threshold: number; description: string; evaluationPeriods?: number; datapointsToAlarm?: number; comparisonOperator?: cloudwatch.ComparisonOperator },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods ?? 1,
      comparisonOperator: options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // no data means no traffic (or an empty queue), not a failure
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    return this.watch(alarm);
  }

  /**
   * Puts an alarm made elsewhere (next to the resource it watches) on the dashboard and, with alarm
   * e-mail, on the topic, when it fires and when it clears, like the alarms made here.
   */
  watch(alarm: cloudwatch.Alarm): cloudwatch.Alarm {
    if (this.alarmTopic) {
      alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
      alarm.addOkAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    }
    this.alarms.push(alarm);
    return alarm;
  }
}
