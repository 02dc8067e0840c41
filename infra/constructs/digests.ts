import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { digestStreamId } from '../../events/streams';
import { digestSchedulesIn, type DigestFiring, type DigestSchedule } from '../../contracts/schedules';
import { cronExpression } from '../cron';
import { EVENT_ID_PREFIX } from '../../contracts/tables';
import { deadLetterQueue } from './dead-letter-queue';
import type { EventStore } from './event-store';
import type { ReadModels } from './read-models';
import { StorylineFunction } from './storyline-function';

/**
 * SESv2 SendEmail authorises `ses:SendEmail`, and for raw MIME content (which the digest mailer
 * sends) also `ses:SendRawEmail`.
 */
export const SES_SEND_ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail'];

/** The scheduler's delivery retries (throttling, service errors) before a firing goes to the DLQ. */
export const SCHEDULE_RETRY = { retryAttempts: 3, maxEventAge: Duration.hours(2) } as const;

/** What the digest function may append to: digest streams and their event-id records, nothing else. */
export const DIGEST_WRITE_PATTERNS = [digestStreamId('*'), `${EVENT_ID_PREFIX}*`];

export interface DigestsProps {
  eventStore: EventStore;
  readModels: ReadModels;
  /** Overrides the timezone every schedule declares. */
  timezone?: string;
  /** E-mail each digest through SES (SESv2 SendEmail) as well. */
  email?: { from: string; to: string[] };
  /** The origin that links in digests point at (`https://host`, no trailing slash). */
  publicBaseUrl: string;
}

/**
 * Digests: the digest function and one EventBridge Scheduler schedule per entry of
 * contracts/schedules.ts (cron and timezone from the declaration, the zone overridden by the `timezone` setting), each with a retry policy and a
 * dead-letter queue. Scheduler invokes the function asynchronously; when the function itself fails
 * (after Lambda's own two retries) the event goes to the same queue, so one queue holds every
 * digest that did not happen, each message carrying the `{ period, scheduledTime, timezone }` to replay.
 */
export class Digests extends Construct {
  readonly digest: StorylineFunction;
  readonly deadLetters: sqs.Queue;
  readonly schedulerRole: iam.Role;
  readonly schedules: { declaration: DigestSchedule; schedule: scheduler.Schedule }[] = [];

  constructor(scope: Construct, id: string, props: DigestsProps) {
    super(scope, id);

    this.deadLetters = deadLetterQueue(this, 'DeadLetters');

    this.digest = new StorylineFunction(this, 'Digest', {
      handler: 'digest',
      description: 'Storyline: composes and publishes the daily and weekly digests (EventBridge Scheduler)',
      tables: { events: props.eventStore.table, readModels: props.readModels.table },
      memorySize: 512,
      timeout: Duration.seconds(60),
      deadLetterQueue: this.deadLetters,
      environment: {
        [ENV.publicBaseUrl]: props.publicBaseUrl,
        ...(props.email ? { [ENV.digestEmailFrom]: props.email.from, [ENV.digestEmailTo]: props.email.to.join(',') } : {}),
      },
    });
    props.eventStore.grantReadEvents(this.digest.role);
    props.eventStore.grantAppend(this.digest.role, DIGEST_WRITE_PATTERNS);
    props.readModels.grantRead(this.digest.role);
    if (props.email) this.grantSendEmail(props.email);

    // The role the schedules use to invoke the function (and reach the DLQ): only the default schedule
    // group of this account may assume it (confused-deputy protection).
    const stack = Stack.of(this);
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'Storyline digest schedules: invoke the digest function',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
          },
        },
      }),
    });

    for (const declaration of digestSchedulesIn(props.timezone)) {
      // the function computes the window in the zone the schedule fires in: the input names it
      const firing: DigestFiring = { period: declaration.period, scheduledTime: scheduler.ContextAttribute.scheduledTime, timezone: declaration.timezone };
      const schedule = new scheduler.Schedule(this, `${capitalize(declaration.period)}Schedule`, {
        description: `Storyline ${declaration.period} digest`,
        schedule: scheduler.ScheduleExpression.expression(cronExpression(declaration), TimeZone.of(declaration.timezone)),
        target: new LambdaInvoke(this.digest.function, {
          input: scheduler.ScheduleTargetInput.fromObject(firing),
          role: this.schedulerRole,
          deadLetterQueue: this.deadLetters,
          ...SCHEDULE_RETRY,
        }),
      });
      this.schedules.push({ declaration, schedule });
    }

    // CDK's grantInvoke on the scheduler's role also names the function's versions (`<arn>:*`)
    const functionLogicalId = stack.getLogicalId(this.digest.function.node.defaultChild as lambda.CfnFunction);
    Validations.of(this.schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      reason: "The scheduler role may invoke the digest function and its versions (`<arn>:*`, added by CDK's grantInvoke); nothing else.",
    });
  }

  /**
   * Sending from the configured address only (`ses:FromAddress`). SES authorises the call on the
   * identities involved: the sender's address or domain, and the recipients' addresses or domains,
   * so exactly those identity ARNs are named rather than `identity/*`.
   */
  private grantSendEmail({ from, to }: { from: string; to: string[] }): void {
    const stack = Stack.of(this);
    const identities = [...new Set([from, ...to].flatMap((address) => [address, domainOf(address)]))];
    this.digest.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: SES_SEND_ACTIONS,
        resources: identities.map((identity) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })),
        conditions: { StringEquals: { 'ses:FromAddress': from } },
      }),
    );
  }
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);
const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
