import { existsSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { ENV } from '../../../contracts/env';
import { PASSED_OVER_MESSAGES } from '../../../contracts/log-messages';
import { routeKey, routes } from '../../../contracts/routes';
import { WRITE_SCOPE } from '../../../contracts/scopes';
import { ACCESS_LOG_FIELDS } from '../../../infra/constructs/api';
import { DIGEST_WRITE_PATTERNS, SCHEDULE_RETRY, SES_SEND_ACTIONS } from '../../../infra/constructs/digests';
import { EVENT_APPENDS, EVENT_MUTATIONS, EVENT_READS, SNAPSHOT_ACCESS } from '../../../infra/constructs/event-store';
import { NOT_INSERTED } from '../../../infra/constructs/event-overwrites';
import { feedPathPatterns, feedQueryParameters, FORWARD_HOST_CODE } from '../../../infra/constructs/feeds';
import { THRESHOLDS } from '../../../infra/constructs/operations';
import { PINGER_BATCH_SIZE, PINGER_TIMEOUT } from '../../../infra/constructs/websub';
import { DEFAULT_PINGER_OPTIONS } from '../../../functions/websub/pinger';
import { READ_MODEL_WRITES } from '../../../infra/constructs/read-models';
import { handlerEntry, LOG_RETENTION, RUNTIME, SERVICE_NAME, type HandlerName } from '../../../infra/constructs/storyline-function';
import { streamProcessing } from '../../../infra/constructs/stream-processing';
import { defaultSettings } from '../../../infra/settings';
import { WRITE_API_PATTERNS, type StorylineStack } from '../../../infra/stack';
import { eventsTable, readModelsTable, snapshotsTable } from '../../../contracts/tables';
import { cleanUpSynth, FULL_SETTINGS, logicalIdOf, resourcesOfType, SYNTH_TIMEOUT, synthStoryline, type Synthesized } from '../../support/synth';

let base: Synthesized;
let full: Synthesized;
/** WebSub hubs without CloudFront. */
let hubsOnly: Synthesized;
beforeAll(() => {
  base = synthStoryline();
  full = synthStoryline(FULL_SETTINGS);
  hubsOnly = synthStoryline({ websubHubs: FULL_SETTINGS.websubHubs });
}, SYNTH_TIMEOUT);
afterAll(cleanUpSynth);

const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });
const keySchema = (pk: { name: string }, sk?: { name: string }) => [
  { AttributeName: pk.name, KeyType: 'HASH' },
  ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' }] : []),
];

type Statement = { Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: unknown; Condition?: unknown; Sid?: string };
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** Every statement of the IAM policies attached to a role. */
const statementsOfRole = (synth: Synthesized, roleLogicalId: string): Statement[] =>
  Object.values(resourcesOfType(synth.json, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);

/** A function of the stack (the WebSub pinger only exists with hubs). */
const fnOf = (stack: StorylineStack, name: HandlerName) => {
  const fn = stack.functions[name];
  if (!fn) throw new Error(`the stack has no ${name} function`);
  return fn;
};
const roleOf = (stack: StorylineStack, name: HandlerName) => logicalIdOf(stack, fnOf(stack, name).role);
const eventsId = () => logicalIdOf(base.stack, base.stack.eventStore.table);
const readModelsId = () => logicalIdOf(base.stack, base.stack.readModels.table);
/** Does this statement name the events table (or one of its indexes)? */
const onEvents = (s: Statement) => resourcesOf(s).some((r) => JSON.stringify(r).includes(`"${eventsId()}"`) && !JSON.stringify(r).includes('StreamArn'));
const onReadModels = (s: Statement) => resourcesOf(s).some((r) => JSON.stringify(r).includes(`"${readModelsId()}"`));
const allowedOn = (statements: Statement[], on: (s: Statement) => boolean) =>
  new Set(statements.filter((s) => s.Effect === 'Allow' && on(s)).flatMap(actionsOf));

describe('the event store table', () => {
  it('takes its keys, index and stream from infra/tables.ts', () => {
    base.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: keySchema(eventsTable.partitionKey, eventsTable.sortKey),
      GlobalSecondaryIndexes: eventsTable.globalSecondaryIndexes.map((index) =>
        Match.objectLike({ IndexName: index.indexName, KeySchema: keySchema(index.partitionKey, index.sortKey), Projection: { ProjectionType: 'ALL' } }),
      ),
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
  });

  it('is on-demand, with point-in-time recovery and deletion protection, and is retained when the stack goes', () => {
    base.template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        KeySchema: keySchema(eventsTable.partitionKey, eventsTable.sortKey),
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('the read-model table', () => {
  it('takes its keys and indexes from infra/tables.ts and has no stream', () => {
    const table = base.json.Resources[readModelsId()]!;
    expect(table.Properties.KeySchema).toEqual(keySchema(readModelsTable.partitionKey, readModelsTable.sortKey));
    expect((table.Properties.GlobalSecondaryIndexes ?? []).map((i: { IndexName: string }) => i.IndexName)).toEqual(readModelsTable.globalSecondaryIndexes.map((i) => i.indexName));
    expect(table.Properties.StreamSpecification).toBeUndefined();
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });
});

describe('the functions', () => {
  const names: HandlerName[] = ['write-api', 'read-api', 'feeds', 'pages', 'following', 'not-found', 'projector', 'digest', 'subscriptions', 'desk', 'subscriber-sender', 'mail-feedback', 'event-overwrites'];

  it('are one per handler module, each bundled from functions/handlers/<name>.ts', () => {
    expect(Object.keys(base.stack.functions).sort()).toEqual([...names].sort());
    for (const name of names) expect(existsSync(handlerEntry(name))).toBe(true);
    expect(Object.keys(resourcesOfType(base.json, 'AWS::Lambda::Function'))).toHaveLength(names.length);
    // with WebSub hubs, the pinger too
    expect(Object.keys(full.stack.functions).sort()).toEqual([...names, 'websub-pinger'].sort());
    expect(existsSync(handlerEntry('websub-pinger'))).toBe(true);
    expect(Object.keys(resourcesOfType(full.json, 'AWS::Lambda::Function'))).toHaveLength(names.length + 1);
  });

  it.each([...names, 'websub-pinger'] as HandlerName[])('%s runs on arm64 Node.js with explicit memory, timeout, JSON logs in its own log group, and the tables in its environment if it reads any', (name) => {
    const id = logicalIdOf(full.stack, fnOf(full.stack, name).function);
    const fn = full.json.Resources[id]!.Properties;
    expect(fn.Runtime).toBe(RUNTIME.name);
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.Handler).toBe('index.handler');
    expect(fn.MemorySize).toBeGreaterThanOrEqual(128);
    expect(fn.Timeout).toBeGreaterThan(3);
    expect(fn.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: logicalIdOf(full.stack, fnOf(full.stack, name).logGroup) } });
    expect(full.json.Resources[logicalIdOf(full.stack, fnOf(full.stack, name).logGroup)]!.Properties.RetentionInDays).toBe(LOG_RETENTION);
    expect(fn.Environment.Variables).toMatchObject({ [ENV.serviceName]: SERVICE_NAME, NODE_OPTIONS: '--enable-source-maps' });
    // not-found reads no table, so it is told of none
    const tables = name === 'not-found' ? { [ENV.eventsTable]: undefined, [ENV.readModelsTable]: undefined } : { [ENV.eventsTable]: { Ref: eventsId() }, [ENV.readModelsTable]: { Ref: readModelsId() } };
    expect({ events: fn.Environment.Variables[ENV.eventsTable], readModels: fn.Environment.Variables[ENV.readModelsTable] }).toEqual({ events: tables[ENV.eventsTable], readModels: tables[ENV.readModelsTable] });
    expect(fn.Environment.Variables[ENV.dynamodbEndpoint]).toBeUndefined();
    expect(fn.Role).toEqual(getAtt(roleOf(full.stack, name)));
  });

  it('have roles without AWS managed policies', () => {
    for (const role of Object.values(resourcesOfType(base.json, 'AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

const mappingsOf = (synth: Synthesized, fn: { node: { defaultChild?: unknown } }) =>
  Object.values(resourcesOfType(synth.json, 'AWS::Lambda::EventSourceMapping'))
    .map((r) => r.Properties)
    .filter((p) => JSON.stringify(p.FunctionName) === JSON.stringify({ Ref: logicalIdOf(synth.stack, fn) }));

describe('the event source mappings', () => {
  it('are the projector’s (events stream), the overwrite watcher’s (events stream, not-INSERT records) and the subscriber sender’s (send queue), and no others', () => {
    base.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
    expect(mappingsOf(base, base.stack.projections.projector.function)).toHaveLength(1);
    expect(mappingsOf(base, base.stack.eventOverwrites.watcher.function)).toHaveLength(1);
    expect(mappingsOf(base, base.stack.subscriptions.sender.function)).toHaveLength(1);
  });
});

describe('append-only, watched', () => {
  it('sends every record of the events stream that is not an INSERT to the watcher, and only those', () => {
    const watch = base.stack.eventOverwrites;
    const [mapping] = mappingsOf(base, watch.watcher.function);
    expect(mapping).toMatchObject({
      EventSourceArn: getAtt(eventsId(), 'StreamArn'),
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: [...NOT_INSERTED] }) }] },
      DestinationConfig: { OnFailure: { Destination: getAtt(logicalIdOf(base.stack, watch.failedRecords)) } },
    });
  });

  it('alarms on the watcher’s first invocation, on the dashboard and the alarm topic', () => {
    const alarm = full.json.Resources[logicalIdOf(full.stack, full.stack.eventOverwrites.alarm)]!.Properties;
    expect(alarm).toMatchObject({
      MetricName: 'Invocations',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(full.stack, full.stack.eventOverwrites.watcher.function) } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.AlarmActions).toEqual([{ Ref: logicalIdOf(full.stack, full.stack.operations.alarmTopic!) }]);
    expect(full.stack.operations.alarms).toContain(full.stack.eventOverwrites.alarm);
  });

  it('keeps snapshots outside the events table, in a table with no stream that the write API alone reads and writes', () => {
    const snapshots = base.json.Resources[logicalIdOf(base.stack, base.stack.eventStore.snapshots)]!;
    expect(snapshots.Properties.KeySchema).toEqual(keySchema(snapshotsTable.partitionKey, snapshotsTable.sortKey));
    expect(snapshots.Properties.StreamSpecification).toBeUndefined();
    expect(snapshots.DeletionPolicy).toBe('Delete');
    const onSnapshots = (s: Statement) => resourcesOf(s).some((r) => JSON.stringify(r).includes(`"${logicalIdOf(base.stack, base.stack.eventStore.snapshots)}"`));
    expect(allowedOn(statementsOfRole(base, roleOf(base.stack, 'write-api')), onSnapshots)).toEqual(new Set(SNAPSHOT_ACCESS));
    for (const name of Object.keys(base.stack.functions) as HandlerName[]) {
      if (name !== 'write-api') expect(allowedOn(statementsOfRole(base, roleOf(base.stack, name)), onSnapshots)).toEqual(new Set());
    }
    expect(base.json.Resources[logicalIdOf(base.stack, fnOf(base.stack, 'write-api').function)]!.Properties.Environment.Variables[ENV.snapshotsTable]).toEqual({ Ref: logicalIdOf(base.stack, base.stack.eventStore.snapshots) });
  });
});

describe('the stream event source mapping', () => {
  it('cannot stall: trim horizon, each story in order at the parallelization factor, only event records, partial failures, bisection, bounded retries and age, an on-failure queue', () => {
    const projections = base.stack.projections;
    const [mapping, ...more] = mappingsOf(base, projections.projector.function);
    expect(more).toEqual([]);
    expect(mapping).toEqual({
      EventSourceArn: getAtt(eventsId(), 'StreamArn'),
      FunctionName: { Ref: logicalIdOf(base.stack, projections.projector.function) },
      StartingPosition: streamProcessing.startingPosition,
      BatchSize: streamProcessing.batchSize,
      ParallelizationFactor: streamProcessing.parallelizationFactor,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(streamProcessing.filterPattern) }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 86400,
      DestinationConfig: { OnFailure: { Destination: getAtt(logicalIdOf(base.stack, projections.failedRecords)) } },
    });
  });

  it('invokes the projector for inserted events only: no bookkeeping item, no version 0, no overwrite or removal', () => {
    const [mapping] = mappingsOf(base, base.stack.projections.projector.function);
    expect(JSON.parse(mapping.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT'],
      dynamodb: { Keys: { streamId: { S: [{ prefix: 'story/' }, { prefix: 'digest/' }] }, version: { N: [{ 'anything-but': ['0'] }] } } },
    });
  });

  it('sends to an encrypted, TLS-only queue that keeps failures 14 days', () => {
    const queue = base.json.Resources[logicalIdOf(base.stack, base.stack.projections.failedRecords)]!.Properties;
    expect(queue).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });
});

describe('IAM', () => {
  it('denies UpdateItem, DeleteItem and BatchWriteItem on the events table to every role in the stack', () => {
    const roles = Object.keys(resourcesOfType(base.json, 'AWS::IAM::Role'));
    expect(roles.length).toBeGreaterThanOrEqual(7);
    expect(base.stack.appendOnlyRoles).toHaveLength(roles.length);
    for (const synth of [base, full]) {
      for (const role of Object.keys(resourcesOfType(synth.json, 'AWS::IAM::Role'))) {
        const deny = statementsOfRole(synth, role).find((s) => s.Effect === 'Deny');
        expect(deny).toBeDefined();
        expect(actionsOf(deny!)).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']));
        expect(resourcesOf(deny!)).toEqual([getAtt(eventsId())]);
      }
    }
  });

  it('allows no role to mutate events, and no wildcard DynamoDB actions at all', () => {
    for (const synth of [base, full]) {
      for (const policy of Object.values(resourcesOfType(synth.json, 'AWS::IAM::Policy'))) {
        for (const s of policy.Properties.PolicyDocument.Statement as Statement[]) {
          if (s.Effect !== 'Allow') continue;
          expect(actionsOf(s).filter((a) => a.includes('*'))).toEqual([]);
          if (onEvents(s)) expect(actionsOf(s).filter((a) => EVENT_MUTATIONS.includes(a))).toEqual([]);
        }
      }
    }
  });

  it('lets the write API read events and append only to story streams, event ids and idempotency keys', () => {
    const statements = statementsOfRole(base, roleOf(base.stack, 'write-api'));
    expect(allowedOn(statements, onEvents)).toEqual(new Set([...EVENT_READS, ...EVENT_APPENDS]));
    const append = statements.find((s) => s.Effect === 'Allow' && actionsOf(s).includes('dynamodb:PutItem'))!;
    expect(actionsOf(append).sort()).toEqual([...EVENT_APPENDS].sort());
    expect(append.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': WRITE_API_PATTERNS } });
    expect(WRITE_API_PATTERNS).toEqual(['story/*', '$event/*', '$idempotency/*']);
    expect(allowedOn(statements, onReadModels)).toEqual(new Set());
  });

  it('lets the digest function append only to digest streams and their event-id records', () => {
    const statements = statementsOfRole(base, roleOf(base.stack, 'digest'));
    const append = statements.find((s) => s.Effect === 'Allow' && actionsOf(s).includes('dynamodb:PutItem'))!;
    expect(append.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': DIGEST_WRITE_PATTERNS } });
    expect(DIGEST_WRITE_PATTERNS).toEqual(['digest/*', '$event/*']);
    expect(allowedOn(statements, onReadModels)).toEqual(new Set(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']));
  });

  it('lets no other function write to the events table', () => {
    for (const name of ['read-api', 'feeds', 'pages', 'following', 'not-found', 'projector', 'subscriptions', 'subscriber-sender', 'mail-feedback'] as const) {
      const allowed = allowedOn(statementsOfRole(base, roleOf(base.stack, name)), onEvents);
      expect([...allowed].filter((a) => !EVENT_READS.includes(a))).toEqual([]);
    }
  });

  it('lets the projector read the stream and events, and write only the read models', () => {
    const statements = statementsOfRole(base, roleOf(base.stack, 'projector'));
    expect(allowedOn(statements, onEvents)).toEqual(new Set(EVENT_READS));
    expect(allowedOn(statements, onReadModels)).toEqual(new Set(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', ...READ_MODEL_WRITES]));
    // what the read-model adapter sends as a function: conditional puts (alone or in a transaction), no update, delete or batch write
    expect(READ_MODEL_WRITES).toEqual(['dynamodb:PutItem']);
    const stream = statements.find((s) => JSON.stringify(s.Resource).includes('StreamArn'))!;
    expect(actionsOf(stream).sort()).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']);
  });

  it('lets the read API read events and read models, the feeds only read models, and not-found nothing', () => {
    const reads = new Set(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']);
    const readApi = statementsOfRole(base, roleOf(base.stack, 'read-api'));
    expect(allowedOn(readApi, onEvents)).toEqual(reads);
    expect(allowedOn(readApi, onReadModels)).toEqual(reads);
    const feeds = statementsOfRole(base, roleOf(base.stack, 'feeds'));
    expect(allowedOn(feeds, onEvents)).toEqual(new Set());
    expect(allowedOn(feeds, onReadModels)).toEqual(reads);
    const following = statementsOfRole(base, roleOf(base.stack, 'following'));
    expect(allowedOn(following, onEvents)).toEqual(new Set());
    expect(allowedOn(following, onReadModels)).toEqual(reads);
    const notFound = statementsOfRole(base, roleOf(base.stack, 'not-found'));
    expect(notFound.filter((s) => s.Effect === 'Allow').flatMap(actionsOf).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('lets the subscription functions do what their transactions and the counts need, and never Scan', () => {
    const subscriptionsId = logicalIdOf(base.stack, base.stack.subscriptions.table);
    const onSubscriptions = (s: Statement) => resourcesOf(s).some((r) => JSON.stringify(r).includes(`"${subscriptionsId}"`));
    const allowed = (name: HandlerName) => allowedOn(statementsOfRole(base, roleOf(base.stack, name)), onSubscriptions);
    for (const name of ['subscriptions', 'subscriber-sender', 'mail-feedback', 'digest'] as const) expect(allowed(name).has('dynamodb:Scan')).toBe(false);
    expect(allowed('subscriber-sender')).toEqual(new Set(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem']));
    expect(allowed('mail-feedback')).toEqual(new Set(['dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem']));
    const index = statementsOfRole(base, roleOf(base.stack, 'subscriptions')).filter((s) => JSON.stringify(s.Resource).includes('/index/confirmed'));
    expect(index.flatMap(actionsOf)).toEqual(['dynamodb:Query']);
    expect(fnOf(base.stack, 'subscriptions').function.node.defaultChild).toBeDefined();
    base.template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ SUBSCRIPTION_CONFIRMATIONS_PER_DAY: '3' }) } });
  });

  it('grants SES SendEmail only when digests are e-mailed, and only from the configured address', () => {
    const sends = (synth: Synthesized) => statementsOfRole(synth, roleOf(synth.stack, 'digest')).filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
    expect(sends(base)).toEqual([]);
    const [send, ...more] = sends(full);
    expect(more).toEqual([]);
    expect(actionsOf(send!)).toEqual(SES_SEND_ACTIONS);
    expect(send!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': FULL_SETTINGS.digestEmailFrom } });
    // the sender's and each recipient's address and domain identities, no wildcard
    const identities = resourcesOf(send!).map((r) => JSON.stringify(r).match(/:identity\/([^"]+)"/)?.[1]);
    expect(identities.sort()).toEqual(['desk@example.net', 'digests@news.example.org', 'editors@example.org', 'example.net', 'example.org', 'news.example.org']);
  });
});

describe('the HTTP API', () => {
  const routesOf = (synth: Synthesized) => Object.values(resourcesOfType(synth.json, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties);

  it('has one route per declaration plus $default', () => {
    expect(routesOf(base).map((r) => r.RouteKey).sort()).toEqual([...routes.map(routeKey), '$default'].sort());
  });

  it('puts the JWT authorizer with the write scope on exactly the routes that declare auth', () => {
    const [authorizerId, ...others] = Object.keys(resourcesOfType(base.json, 'AWS::ApiGatewayV2::Authorizer'));
    expect(others).toEqual([]);
    for (const declaration of routes) {
      const route = routesOf(base).find((r) => r.RouteKey === routeKey(declaration))!;
      if (declaration.auth) {
        expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId }, AuthorizationScopes: [WRITE_SCOPE] });
      } else {
        expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(route.AuthorizerId).toBeUndefined();
      }
    }
    expect(routes.filter((r) => r.auth).length).toBeGreaterThan(0);
  });

  it('trusts the editors\' user pool by default, and an external issuer when one is set', () => {
    const pools = Object.keys(resourcesOfType(base.json, 'AWS::Cognito::UserPool'));
    const clients = Object.keys(resourcesOfType(base.json, 'AWS::Cognito::UserPoolClient'));
    expect(pools).toHaveLength(1);
    expect(clients).toHaveLength(1);
    const authorizer = Object.values(resourcesOfType(base.json, 'AWS::ApiGatewayV2::Authorizer'))[0]!.Properties as { JwtConfiguration: { Issuer: unknown; Audience: unknown } };
    expect(JSON.stringify(authorizer.JwtConfiguration.Issuer)).toContain(pools[0]);
    expect(authorizer.JwtConfiguration.Audience).toEqual([{ Ref: clients[0] }]);
    base.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    full.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: FULL_SETTINGS.jwtIssuer, Audience: FULL_SETTINGS.jwtAudience.split(',') },
    });
    full.template.resourceCountIs('AWS::Cognito::UserPool', 0);
  });

  it('creates the editors\' user pool with hosted sign-in: no self sign-up, MFA, a domain, the desk\'s client with code + PKCE', () => {
    base.template.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }, MfaConfiguration: 'ON' });
    base.template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    base.template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', { Identifier: 'storyline', Scopes: [{ ScopeName: 'write', ScopeDescription: 'Append to stories' }] });
    base.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      GenerateSecret: false,
      // openid, email, profile and the resource server's write scope (`<identifier>/write`)
      AllowedOAuthScopes: Match.arrayWith(['openid', Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/write'])]) })]),
      CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/desk/sign-in/callback'])]) })],
    });
    const desk = base.stack.functions.desk;
    const env = (resourcesOfType(base.json, 'AWS::Lambda::Function')[logicalIdOf(base.stack, desk.function)]!.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['DESK_SECRET_ARN', 'DESK_OIDC_ISSUER', 'DESK_OIDC_AUTHORIZE_URL', 'DESK_OIDC_TOKEN_URL', 'DESK_OIDC_CLIENT_ID']));
  });

  it("lets the desk and the pages (the home page's desk link) read the key that signs desk sessions, and no other function", () => {
    const [secretId] = Object.entries(resourcesOfType(base.json, 'AWS::SecretsManager::Secret')).find(([, secret]) => secret.Properties.Description === 'Storyline: the key that signs desk sessions')!;
    const readers = (Object.keys(base.stack.functions) as HandlerName[]).filter((name) => statementsOfRole(base, roleOf(base.stack, name)).some((s) => actionsOf(s).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(`"${secretId}"`)));
    expect(readers.sort()).toEqual(['desk', 'pages']);
    const pagesEnv = (resourcesOfType(base.json, 'AWS::Lambda::Function')[logicalIdOf(base.stack, base.stack.functions.pages.function)]!.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
    expect(pagesEnv.DESK_SECRET_ARN).toEqual({ Ref: secretId });
  });

  it('throttles the $default stage and writes JSON access logs to a log group with a retention', () => {
    const stage = Object.values(resourcesOfType(base.json, 'AWS::ApiGatewayV2::Stage'));
    expect(stage).toHaveLength(1);
    const { StageName, AutoDeploy, DefaultRouteSettings, AccessLogSettings } = stage[0]!.Properties;
    expect({ StageName, AutoDeploy }).toEqual({ StageName: '$default', AutoDeploy: true });
    expect(DefaultRouteSettings).toEqual({ ThrottlingRateLimit: defaultSettings.apiThrottle.rateLimit, ThrottlingBurstLimit: defaultSettings.apiThrottle.burstLimit });
    expect(AccessLogSettings.DestinationArn).toEqual(getAtt(logicalIdOf(base.stack, base.stack.api.accessLogs)));
    expect(JSON.parse(AccessLogSettings.Format)).toEqual(ACCESS_LOG_FIELDS);
    expect(base.json.Resources[logicalIdOf(base.stack, base.stack.api.accessLogs)]!.Properties.RetentionInDays).toBe(LOG_RETENTION);
  });
});

describe('the digests', () => {
  const schedulesOf = (synth: Synthesized) => Object.values(resourcesOfType(synth.json, 'AWS::Scheduler::Schedule')).map((r) => r.Properties);

  it('invoke the digest function with the period, the scheduled time and the zone they fire in, with a retry policy and a dead-letter queue', () => {
    const digestFn = getAtt(logicalIdOf(base.stack, base.stack.digests.digest.function));
    const dlq = getAtt(logicalIdOf(base.stack, base.stack.digests.deadLetters));
    for (const schedule of schedulesOf(base)) {
      expect(schedule.Target).toMatchObject({
        Arn: digestFn,
        DeadLetterConfig: { Arn: dlq },
        RetryPolicy: { MaximumRetryAttempts: SCHEDULE_RETRY.retryAttempts, MaximumEventAgeInSeconds: SCHEDULE_RETRY.maxEventAge.toSeconds() },
      });
      expect(JSON.parse(schedule.Target.Input)).toEqual({ period: expect.stringMatching(/^(daily|weekly)$/), scheduledTime: '<aws.scheduler.scheduled-time>', timezone: schedule.ScheduleExpressionTimezone });
      expect(schedule.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    }
  });

  it('send the digest function’s own failures (after Lambda’s retries) to the same queue', () => {
    const fn = base.json.Resources[logicalIdOf(base.stack, base.stack.digests.digest.function)]!.Properties;
    expect(fn.DeadLetterConfig).toEqual({ TargetArn: getAtt(logicalIdOf(base.stack, base.stack.digests.deadLetters)) });
  });

  it('run in the timezone setting when one is given, and tell the function that zone', () => {
    expect(new Set(schedulesOf(full).map((s) => s.ScheduleExpressionTimezone))).toEqual(new Set(['Asia/Karachi']));
    expect(new Set(schedulesOf(full).map((s) => JSON.parse(s.Target.Input).timezone))).toEqual(new Set(['Asia/Karachi']));
  });

  it('pass the e-mail addresses to the function only when e-mail is configured', () => {
    const env = (synth: Synthesized) => synth.json.Resources[logicalIdOf(synth.stack, synth.stack.digests.digest.function)]!.Properties.Environment.Variables;
    expect(env(base)[ENV.digestEmailFrom]).toBeUndefined();
    expect(env(base)[ENV.digestEmailTo]).toBeUndefined();
    expect(env(full)).toMatchObject({ [ENV.digestEmailFrom]: FULL_SETTINGS.digestEmailFrom, [ENV.digestEmailTo]: FULL_SETTINGS.digestEmailTo });
  });

  it('link to the API, or to CloudFront when it is on', () => {
    const env = (synth: Synthesized) => synth.json.Resources[logicalIdOf(synth.stack, synth.stack.digests.digest.function)]!.Properties.Environment.Variables;
    expect(env(base)[ENV.publicBaseUrl]).toEqual(getAtt(logicalIdOf(base.stack, base.stack.api.httpApi), 'ApiEndpoint'));
    expect(JSON.stringify(env(full)[ENV.publicBaseUrl])).toContain(logicalIdOf(full.stack, full.stack.feeds!.distribution));
  });
});

describe('the feeds distribution', () => {
  it('exists only when the cloudFront setting is on', () => {
    base.template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    full.template.resourceCountIs('AWS::CloudFront::Distribution', 1);
  });

  it('caches each feed route by the origin’s Cache-Control, with the page in the key and no conditional headers in it', () => {
    full.template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: {
        MinTTL: 0,
        DefaultTTL: 0,
        MaxTTL: 86400,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: feedQueryParameters() },
          HeadersConfig: { HeaderBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
          EnableAcceptEncodingGzip: true,
        }),
      },
    });
    expect(feedQueryParameters()).toEqual(['asOf', 'page']);
    const config = Object.values(resourcesOfType(full.json, 'AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    const cachePolicyId = { Ref: logicalIdOf(full.stack, full.stack.feeds!.cachePolicy) };
    expect(config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern).sort()).toEqual(feedPathPatterns().sort());
    expect(feedPathPatterns()).toHaveLength(routes.filter((r) => r.handler === 'feeds').length);
    for (const behavior of config.CacheBehaviors) {
      expect(behavior).toMatchObject({ CachePolicyId: cachePolicyId, ViewerProtocolPolicy: 'redirect-to-https', Compress: true, AllowedMethods: ['GET', 'HEAD'] });
      expect(behavior.FunctionAssociations).toHaveLength(1);
    }
    // everything else passes through uncached (the managed CachingDisabled policy)
    expect(config.DefaultCacheBehavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
  });

  it('hands the viewer’s host to the origin as X-Forwarded-Host, for the feeds’ absolute links', () => {
    full.template.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: FORWARD_HOST_CODE, FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }) });
    full.template.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
      OriginRequestPolicyConfig: Match.objectLike({ HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['x-forwarded-host'] } }),
    });
  });
});

describe('WebSub', () => {
  const websubOf = (synth: Synthesized) => synth.stack.websub!;
  const envOf = (synth: Synthesized, fn: { node: { defaultChild?: unknown } }) => synth.json.Resources[logicalIdOf(synth.stack, fn)]!.Properties.Environment.Variables;
  const queueArn = (synth: Synthesized) => getAtt(logicalIdOf(synth.stack, websubOf(synth).queue));
  /** The actions a role is allowed on the ping queue. */
  const onPingQueue = (synth: Synthesized, role: string) => allowedOn(statementsOfRole(synth, role), (s) => resourcesOf(s).some((r) => JSON.stringify(r) === JSON.stringify(queueArn(synth))));
  const cloudFrontStatements = (synth: Synthesized) => statementsOfRole(synth, roleOf(synth.stack, 'websub-pinger')).filter((s) => actionsOf(s).some((a) => a.startsWith('cloudfront:')));

  it('has no queue, pinger, alarm or hub setting without hubs', () => {
    expect(base.stack.websub).toBeUndefined();
    expect(base.stack.functions['websub-pinger']).toBeUndefined();
    for (const fn of [base.stack.projections.projector.function, fnOf(base.stack, 'feeds').function]) {
      const env = envOf(base, fn);
      for (const name of [ENV.websubHubs, ENV.websubQueueUrl, ENV.websubQueueDir, ENV.cloudFrontDistributionId]) expect(env[name]).toBeUndefined();
    }
    // the queues of the subscriber sender and the four dead-letter queues only
    expect(Object.keys(resourcesOfType(base.json, 'AWS::SQS::Queue'))).toHaveLength(5);
    expect(Object.keys(base.json.Outputs ?? {})).not.toContain('WebSubPingDeadLettersQueueUrl');
  });

  it('queues pings on an encrypted, TLS-only queue whose redrive policy dead-letters after the pinger’s maxAttempts receives', () => {
    for (const synth of [full, hubsOnly]) {
      const queue = synth.json.Resources[logicalIdOf(synth.stack, websubOf(synth).queue)]!.Properties;
      expect(queue).toMatchObject({ SqsManagedSseEnabled: true, RedrivePolicy: { deadLetterTargetArn: getAtt(logicalIdOf(synth.stack, websubOf(synth).deadLetters)), maxReceiveCount: DEFAULT_PINGER_OPTIONS.maxAttempts } });
      expect(queue.VisibilityTimeout).toBeGreaterThan(PINGER_TIMEOUT.toSeconds());
      const pinger = synth.json.Resources[logicalIdOf(synth.stack, fnOf(synth.stack, 'websub-pinger').function)]!.Properties;
      expect(pinger.Timeout).toBe(PINGER_TIMEOUT.toSeconds());
      const deadLetters = synth.json.Resources[logicalIdOf(synth.stack, websubOf(synth).deadLetters)]!.Properties;
      expect(deadLetters).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      for (const q of [websubOf(synth).queue, websubOf(synth).deadLetters]) {
        synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: logicalIdOf(synth.stack, q) }],
          PolicyDocument: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) }),
        });
      }
    }
  });

  it('drains the queue into the pinger in small batches, reporting failed items one by one', () => {
    const [mapping, ...more] = mappingsOf(full, fnOf(full.stack, 'websub-pinger').function);
    expect(more).toEqual([]);
    expect(mapping).toMatchObject({ EventSourceArn: queueArn(full), BatchSize: PINGER_BATCH_SIZE, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(envOf(full, fnOf(full.stack, 'websub-pinger').function)[ENV.websubQueueUrl]).toEqual({ Ref: logicalIdOf(full.stack, websubOf(full).queue) });
    full.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 4);
  });

  it('gives the projector the hubs, the queue and the public base URL, and lets only it (and the pinger, to wait for an invalidation) send to the queue', () => {
    const projectorEnv = envOf(full, full.stack.projections.projector.function);
    expect(projectorEnv).toMatchObject({ [ENV.websubHubs]: FULL_SETTINGS.websubHubs, [ENV.websubQueueUrl]: { Ref: logicalIdOf(full.stack, websubOf(full).queue) } });
    expect(JSON.stringify(projectorEnv[ENV.publicBaseUrl])).toContain(logicalIdOf(full.stack, full.stack.feeds!.distribution));
    expect(envOf(hubsOnly, hubsOnly.stack.projections.projector.function)[ENV.publicBaseUrl]).toEqual(getAtt(logicalIdOf(hubsOnly.stack, hubsOnly.stack.api.httpApi), 'ApiEndpoint'));
    expect(onPingQueue(full, roleOf(full.stack, 'projector'))).toContain('sqs:SendMessage');
    const senders = Object.keys(resourcesOfType(full.json, 'AWS::IAM::Role')).filter((role) => onPingQueue(full, role).has('sqs:SendMessage'));
    expect(senders.sort()).toEqual([roleOf(full.stack, 'projector'), roleOf(full.stack, 'websub-pinger')].sort());
    const hubsOnlySenders = Object.keys(resourcesOfType(hubsOnly.json, 'AWS::IAM::Role')).filter((role) => onPingQueue(hubsOnly, role).has('sqs:SendMessage'));
    expect(hubsOnlySenders).toEqual([roleOf(hubsOnly.stack, 'projector')]);
  });

  it('has the feed function name the hubs', () => {
    expect(envOf(full, fnOf(full.stack, 'feeds').function)[ENV.websubHubs]).toBe(FULL_SETTINGS.websubHubs);
    expect(envOf(hubsOnly, fnOf(hubsOnly.stack, 'feeds').function)[ENV.websubHubs]).toBe(FULL_SETTINGS.websubHubs);
  });

  it('lets the pinger create and read invalidations of the feeds distribution only, and tells it which one', () => {
    const distribution = logicalIdOf(full.stack, full.stack.feeds!.distribution);
    const [grant, ...more] = cloudFrontStatements(full);
    expect(more).toEqual([]);
    expect(actionsOf(grant!).sort()).toEqual(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']);
    const [resource, ...others] = resourcesOf(grant!);
    expect(others).toEqual([]);
    expect(JSON.stringify(resource)).toContain(`:distribution/"`);
    expect(JSON.stringify(resource)).toContain(`{"Ref":"${distribution}"}`);
    expect(envOf(full, fnOf(full.stack, 'websub-pinger').function)[ENV.cloudFrontDistributionId]).toEqual({ Ref: distribution });
  });

  it('does not invalidate anything without CloudFront', () => {
    expect(cloudFrontStatements(hubsOnly)).toEqual([]);
    expect(envOf(hubsOnly, fnOf(hubsOnly.stack, 'websub-pinger').function)[ENV.cloudFrontDistributionId]).toBeUndefined();
  });

  it('alarms on any ping in the dead-letter queue, and names that queue in the outputs', () => {
    const depth = Object.values(resourcesOfType(full.json, 'AWS::CloudWatch::Alarm'))
      .map((r) => r.Properties)
      .filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(depth.map((a) => a.Dimensions[0].Value)).toContainEqual(getAtt(logicalIdOf(full.stack, websubOf(full).deadLetters), 'QueueName'));
    expect(depth).toHaveLength(5);
    expect(Object.keys(full.json.Outputs ?? {})).toContain('WebSubPingDeadLettersQueueUrl');
  });
});

describe('operations', () => {
  const alarms = () => Object.values(resourcesOfType(base.json, 'AWS::CloudWatch::Alarm')).map((r) => r.Properties);

  it('alarm on projector errors and iterator age', () => {
    const projector = { Ref: logicalIdOf(base.stack, base.stack.projections.projector.function) };
    expect(alarms()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ MetricName: 'Errors', Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: projector }], Threshold: THRESHOLDS.projectorErrors }),
        expect.objectContaining({ MetricName: 'IteratorAge', Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: projector }], Threshold: THRESHOLDS.iteratorAgeMs }),
      ]),
    );
  });

  it('alarm on the depth of all four dead-letter queues: failed stream records, the overwrite watcher\'s, digests, subscriber sends', () => {
    const depth = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    const queues = depth.map((a) => a.Dimensions[0].Value);
    expect(queues).toEqual(
      expect.arrayContaining([
        getAtt(logicalIdOf(base.stack, base.stack.projections.failedRecords), 'QueueName'),
        getAtt(logicalIdOf(base.stack, base.stack.eventOverwrites.failedRecords), 'QueueName'),
        getAtt(logicalIdOf(base.stack, base.stack.digests.deadLetters), 'QueueName'),
        getAtt(logicalIdOf(base.stack, base.stack.subscriptions.deadLetters), 'QueueName'),
      ]),
    );
    expect(depth).toHaveLength(4);
    for (const alarm of depth) expect(alarm.Threshold).toBe(THRESHOLDS.deadLetters);
  });

  it('alarm on any subscriber digest that could not be sent, counted from the sender’s log group', () => {
    const logGroup = { Ref: logicalIdOf(base.stack, base.stack.subscriptions.sender.logGroup) };
    base.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: logGroup,
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'Storyline', MetricName: 'SubscriberSendFailures', MetricValue: '1' })],
    });
    expect(alarms()).toEqual(expect.arrayContaining([expect.objectContaining({ MetricName: 'SubscriberSendFailures', Namespace: 'Storyline', Threshold: 1 })]));
    expect(base.stack.operations.alarms).toContain(base.stack.subscriptions.sendFailures);
  });

  it('count the events the projector passes over, from its log group, and alarm on any', () => {
    const logGroup = { Ref: logicalIdOf(base.stack, base.stack.projections.projector.logGroup) };
    base.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: logGroup,
      FilterPattern: `{ ${PASSED_OVER_MESSAGES.map((message) => `($.message = "${message}")`).join(' || ')} }`,
      MetricTransformations: [{ MetricNamespace: 'Storyline', MetricName: 'UnreadableEvents', MetricValue: '1' }],
    });
    expect(alarms()).toEqual(expect.arrayContaining([expect.objectContaining({ MetricName: 'UnreadableEvents', Namespace: 'Storyline', Threshold: THRESHOLDS.unreadableEvents })]));
  });

  it('alarm on the API 5xx rate', () => {
    const rate = alarms().find((a) => a.Metrics?.some((m: { Expression?: string }) => m.Expression?.includes('errors / requests')));
    expect(rate).toBeDefined();
    const names = rate!.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).map((m: { MetricStat: { Metric: { MetricName: string } } }) => m.MetricStat.Metric.MetricName);
    expect(names.sort()).toEqual(['5xx', 'Count']);
  });

  it('notify nobody by default, and with alarm e-mail every alarm notifies an SSL-only topic, when it fires and when it clears', () => {
    // the only topic is the one SES bounces and complaints go to, which no alarm and no person is on
    expect(base.stack.operations.alarmTopic).toBeUndefined();
    expect(Object.keys(resourcesOfType(base.json, 'AWS::SNS::Topic'))).toEqual([logicalIdOf(base.stack, base.stack.subscriptions.feedbackTopic)]);
    expect(Object.values(resourcesOfType(base.json, 'AWS::SNS::Subscription')).map((r) => r.Properties.Protocol)).toEqual(['lambda']);
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toBeUndefined();
      expect(alarm.OKActions).toBeUndefined();
    }
    expect(Object.keys(base.json.Outputs ?? {})).not.toContain('AlarmTopicArn');

    full.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@news.example.org' });
    full.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'desk@example.net' });
    const topic = { Ref: logicalIdOf(full.stack, full.stack.operations.alarmTopic!) };
    const fullAlarms = Object.values(resourcesOfType(full.json, 'AWS::CloudWatch::Alarm')).map((r) => r.Properties);
    expect(fullAlarms.length).toBeGreaterThanOrEqual(6);
    for (const alarm of fullAlarms) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.OKActions).toEqual([topic]);
    }
    expect(full.stack.operations.alarms).toHaveLength(fullAlarms.length);
    full.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topic],
      PolicyDocument: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) }),
    });
    expect(Object.keys(full.json.Outputs ?? {})).toContain('AlarmTopicArn');
  });

  it('have a dashboard', () => {
    base.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('outputs', () => {
  it('name the API URL, the tables and the queues the runbook needs', () => {
    expect(Object.keys(base.json.Outputs ?? {})).toEqual(
      expect.arrayContaining(['ApiUrl', 'EventsTableName', 'ReadModelsTableName', 'FailedStreamRecordsQueueUrl', 'DigestDeadLettersQueueUrl', 'ProjectorFunctionName', 'DigestFunctionName']),
    );
    expect(Object.keys(full.json.Outputs ?? {})).toContain('FeedsUrl');
  });
});
