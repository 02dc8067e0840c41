import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import type { HttpHandlerName } from '../../contracts/routes';

/** Every Lambda handler of Storyline: functions/handlers/<name>.ts, exporting `handler`. */
export type HandlerName = HttpHandlerName | 'not-found' | 'projector' | 'digest' | 'subscriber-sender' | 'mail-feedback' | 'websub-pinger' | 'event-overwrites';

export const handlerEntry = (name: HandlerName): string => join(__dirname, '..', '..', 'functions', 'handlers', `${name}.ts`);

/**
 * The runtime of every function. cdk-nag (AwsSolutions-L1, Serverless-LambdaLatestVersion) asks for
 * the newest Node.js runtime this aws-cdk-lib knows; the code itself also runs on local Node 20.
 */
export const RUNTIME = lambda.Runtime.NODEJS_24_X;
/** esbuild's target follows the runtime, so nothing the runtime supports natively is down-levelled. */
const BUNDLE_TARGET = 'node24';
export const SERVICE_NAME = 'storyline';
export const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

export interface StorylineFunctionProps {
  handler: HandlerName;
  description: string;
  /**
   * The tables' names, for a function that reads either (both go together: configuration is read at
   * load); access comes only from grants. A function that touches no table gets neither.
   */
  tables?: { events: dynamodb.ITable; readModels: dynamodb.ITable };
  memorySize?: number;
  timeout?: Duration;
  environment?: Record<string, string>;
  /** Only for asynchronously invoked functions: where Lambda puts an event after its retries. */
  deadLetterQueue?: sqs.IQueue;
}

/**
 * A Storyline Lambda function: NodejsFunction with the project's defaults (runtime, architecture,
 * memory, timeout, JSON logs into its own log group with a retention, esbuild bundling), and a role
 * of its own that starts with nothing but writing to that log group: no AWS managed policy, so every
 * other permission is a grant made next to the resource it opens.
 */
export class StorylineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: StorylineFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: LOG_RETENTION,
      // logs are diagnostics, not data: the events table is the record
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Storyline ${props.handler} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: handlerEntry(props.handler),
      handler: 'handler',
      description: props.description,
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      environment: {
        [ENV.serviceName]: SERVICE_NAME,
        // stack traces point into the TypeScript sources through the bundle's source map
        NODE_OPTIONS: '--enable-source-maps',
        ...(props.tables ? { [ENV.eventsTable]: props.tables.events.tableName, [ENV.readModelsTable]: props.tables.readModels.tableName } : {}),
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        // mappings are enough for stack traces; embedding the sources makes each map 3-4x larger
        sourcesContent: false,
        target: BUNDLE_TARGET,
        // CommonJS: the handlers and their dependencies are CommonJS-compatible, and a CJS bundle needs
        // no createRequire banner for the runtime's require('@aws-sdk/...')
        format: OutputFormat.CJS,
        // The Lambda runtime ships AWS SDK v3: leaving it out makes each bundle a fraction of the size
        // and cold starts faster. The price: in AWS the functions run the runtime's SDK version, not the
        // exact versions pinned in package-lock.json (those are what the local runtime and tests use);
        // only stable SDK APIs are called, so the two agree.
        externalModules: ['@aws-sdk/*'],
      },
    });
  }
}
