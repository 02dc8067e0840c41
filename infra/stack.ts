import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ENV } from '../contracts/env';
import { EVENT_ID_PREFIX, IDEMPOTENCY_PREFIX } from '../contracts/tables';
import { storyStreamId } from '../events/streams';
import { Api } from './constructs/api';
import { Desk } from './constructs/desk';
import { Digests } from './constructs/digests';
import { Editors } from './constructs/editors';
import { EventStore } from './constructs/event-store';
import { EventOverwrites } from './constructs/event-overwrites';
import { Feeds } from './constructs/feeds';
import { Operations } from './constructs/operations';
import { Projections } from './constructs/projections';
import { ReadModels } from './constructs/read-models';
import { StorylineFunction } from './constructs/storyline-function';
import { Subscriptions } from './constructs/subscriptions';
import { WebSub } from './constructs/websub';
import type { StorylineSettings } from './settings';

/** What the write API may append to: story streams, their event-id records and idempotency keys. */
export const WRITE_API_PATTERNS = [storyStreamId('*'), `${EVENT_ID_PREFIX}*`, `${IDEMPOTENCY_PREFIX}*`];

export interface StorylineStackProps extends StackProps {
  settings: StorylineSettings;
}

/**
 * Storyline on AWS: one construct per concern (event store, read models, projections, API, feeds,
 * digests, WebSub when hubs are set, operations). Each function gets exactly the grants its job needs, and afterwards every
 * role in the stack gets the explicit Deny of mutating the events table.
 */
export class StorylineStack extends Stack {
  readonly eventStore: EventStore;
  readonly readModels: ReadModels;
  readonly projections: Projections;
  readonly api: Api;
  /** The editors' Cognito user pool (absent when an external OIDC issuer is set). */
  readonly editors: Editors | undefined;
  readonly digests: Digests;
  readonly subscriptions: Subscriptions;
  readonly feeds?: Feeds;
  readonly websub?: WebSub;
  readonly operations: Operations;
  readonly eventOverwrites: EventOverwrites;
  /** Every function; the WebSub pinger only when hubs are set. */
  readonly functions: Record<'write-api' | 'read-api' | 'feeds' | 'pages' | 'following' | 'not-found' | 'projector' | 'digest' | 'subscriptions' | 'desk' | 'subscriber-sender' | 'mail-feedback' | 'event-overwrites', StorylineFunction> &
    Partial<Record<'websub-pinger', StorylineFunction>>;
  /** The roles that received the Deny (all roles in the stack). */
  readonly appendOnlyRoles: iam.Role[];

  constructor(scope: Construct, id: string, props: StorylineStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.eventStore = new EventStore(this, 'EventStore');
    this.readModels = new ReadModels(this, 'ReadModels');
    const tables = { events: this.eventStore.table, readModels: this.readModels.table };

    this.projections = new Projections(this, 'Projections', { eventStore: this.eventStore, readModels: this.readModels });
    this.eventOverwrites = new EventOverwrites(this, 'EventOverwrites', { eventStore: this.eventStore, readModels: this.readModels });

    const writeApi = new StorylineFunction(this, 'WriteApi', {
      handler: 'write-api',
      description: 'Storyline: opens stories and appends developments (JWT with the write scope)',
      tables,
      environment: { [ENV.snapshotsTable]: this.eventStore.snapshots.tableName },
    });
    this.eventStore.grantReadEvents(writeApi.role);
    this.eventStore.grantAppend(writeApi.role, WRITE_API_PATTERNS);
    this.eventStore.grantSnapshots(writeApi.role);

    const readApi = new StorylineFunction(this, 'ReadApi', {
      handler: 'read-api',
      description: 'Storyline: read models, the event log of a story, OpenAPI',
      tables,
    });
    this.eventStore.grantReadEvents(readApi.role);
    this.readModels.grantRead(readApi.role);

    const feeds = new StorylineFunction(this, 'FeedsFunction', {
      handler: 'feeds',
      description: 'Storyline: RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents with ETag / 304',
      tables,
    });
    this.readModels.grantRead(feeds.role);

    const pages = new StorylineFunction(this, 'PagesFunction', {
      handler: 'pages',
      description: 'Storyline: the pages for people, rendered from the read models when read, with ETag / 304',
      tables,
    });
    this.readModels.grantRead(pages.role);

    const following = new StorylineFunction(this, 'FollowingFunction', {
      handler: 'following',
      description: 'Storyline: visits as iCalendar, every feed as OPML, with ETag / 304',
      tables,
    });
    this.readModels.grantRead(following.role);

    const notFound = new StorylineFunction(this, 'NotFound', {
      handler: 'not-found',
      description: 'Storyline: 404 / 405 problem documents for the $default route',
      memorySize: 256,
      timeout: Duration.seconds(5),
    });

    this.subscriptions = new Subscriptions(this, 'Subscriptions', {
      eventStore: this.eventStore,
      readModels: this.readModels,
      sendRate: settings.sesSendRate,
      confirmationsPerDay: settings.confirmationsPerDay,
      ...(settings.subscriptionEmailFrom ? { emailFrom: settings.subscriptionEmailFrom } : {}),
    });

    const desk = new Desk(this, 'Desk', { eventStore: this.eventStore, readModels: this.readModels, tables, appendPatterns: WRITE_API_PATTERNS });
    desk.letCheckSessions(pages);

    for (const fn of [writeApi, readApi, feeds, pages, following, notFound, this.subscriptions.api, desk.fn]) {
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: 'Invoked synchronously by API Gateway, which returns the error to the caller; a Lambda DLQ only applies to asynchronous invocations.',
      });
    }

    // the editors' user pool, unless an external OIDC issuer is set
    const editors = settings.jwtIssuer === undefined ? new Editors(this, 'Editors') : undefined;
    this.editors = editors;

    this.api = new Api(this, 'Api', {
      handlers: { 'write-api': writeApi.function, 'read-api': readApi.function, feeds: feeds.function, pages: pages.function, following: following.function, subscriptions: this.subscriptions.api.function, desk: desk.fn.function },
      notFound: notFound.function,
      jwtIssuer: settings.jwtIssuer ?? editors?.issuer ?? '',
      jwtAudience: settings.jwtAudience ?? editors?.audience ?? [],
      throttle: settings.apiThrottle,
    });

    if (settings.cloudFront) this.feeds = new Feeds(this, 'Feeds', { api: this.api.httpApi });

    const publicBaseUrl = settings.publicBaseUrl ?? (this.feeds ? `https://${this.feeds.distribution.distributionDomainName}` : this.api.httpApi.apiEndpoint);
    this.digests = new Digests(this, 'Digests', {
      eventStore: this.eventStore,
      readModels: this.readModels,
      publicBaseUrl,
      ...(settings.timezone ? { timezone: settings.timezone } : {}),
      ...(settings.digestEmail ? { email: settings.digestEmail } : {}),
    });

    if (settings.websubHubs) {
      this.websub = new WebSub(this, 'WebSub', {
        hubs: settings.websubHubs,
        publicBaseUrl,
        tables,
        projector: this.projections.projector,
        feeds,
        ...(this.feeds ? { distribution: this.feeds.distribution } : {}),
      });
    }

    this.subscriptions.setPublicBaseUrl(publicBaseUrl);
    if (editors) desk.useHostedSignIn(editors, editors.addDeskClient(publicBaseUrl));
    this.subscriptions.connectDigest(this.digests.digest);

    this.functions = {
      'write-api': writeApi,
      'read-api': readApi,
      feeds,
      pages,
      following,
      'not-found': notFound,
      projector: this.projections.projector,
      digest: this.digests.digest,
      subscriptions: this.subscriptions.api,
      desk: desk.fn,
      'subscriber-sender': this.subscriptions.sender,
      'mail-feedback': this.subscriptions.feedback,
      'event-overwrites': this.eventOverwrites.watcher,
      ...(this.websub ? { 'websub-pinger': this.websub.pinger } : {}),
    };

    this.operations = new Operations(this, 'Operations', {
      projector: this.projections.projector.function,
      projectorLogs: this.projections.projector.logGroup,
      functions: Object.fromEntries(Object.entries(this.functions).map(([name, fn]) => [name, fn.function])),
      deadLetterQueues: {
        FailedStreamRecords: this.projections.failedRecords,
        EventOverwriteDeadLetters: this.eventOverwrites.failedRecords,
        DigestDeadLetters: this.digests.deadLetters,
        SubscriberSendDeadLetters: this.subscriptions.deadLetters,
        ...(this.websub ? { WebSubPingDeadLetters: this.websub.deadLetters } : {}),
      },
      api: this.api.httpApi,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });
    this.operations.watch(this.subscriptions.sendFailures);
    this.operations.watch(this.eventOverwrites.alarm);

    // last, so that it reaches every role created above, CDK-made ones included
    this.appendOnlyRoles = this.eventStore.denyMutationsToEveryRole(this);

    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaTracing',
      reason: 'X-Ray is off: structured JSON logs with request and correlation ids, the access log and the dashboard cover this small flow, and tracing would add wildcard xray:Put* grants to every role.',
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'The HTTP API (writes, read models, feeds)' });
    if (this.feeds) new CfnOutput(this, 'FeedsUrl', { value: `https://${this.feeds.distribution.distributionDomainName}/`, description: 'CloudFront in front of the feeds' });
    new CfnOutput(this, 'EventsTableName', { value: this.eventStore.table.tableName });
    new CfnOutput(this, 'ReadModelsTableName', { value: this.readModels.table.tableName });
    new CfnOutput(this, 'FailedStreamRecordsQueueUrl', { value: this.projections.failedRecords.queueUrl });
    new CfnOutput(this, 'DigestDeadLettersQueueUrl', { value: this.digests.deadLetters.queueUrl });
    if (this.websub) new CfnOutput(this, 'WebSubPingDeadLettersQueueUrl', { value: this.websub.deadLetters.queueUrl, description: 'Hub pings that failed every try' });
    new CfnOutput(this, 'ProjectorFunctionName', { value: this.projections.projector.function.functionName });
    new CfnOutput(this, 'DigestFunctionName', { value: this.digests.digest.function.functionName });
    new CfnOutput(this, 'DashboardName', { value: this.operations.dashboard.dashboardName });
    new CfnOutput(this, 'SubscriptionsTableName', { value: this.subscriptions.table.tableName });
    if (this.operations.alarmTopic) new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.alarmTopic.topicArn, description: 'Every alarm notifies this topic' });
  }
}
