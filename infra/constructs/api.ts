import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeKey, routes, type HttpHandlerName, type RouteDeclaration } from '../../contracts/routes';
import { WRITE_SCOPE } from '../../contracts/scopes';
import { LOG_RETENTION } from './storyline-function';

/** One JSON object per request (HTTP API context variables). */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  subject: '$context.authorizer.claims.sub',
  userAgent: '$context.identity.userAgent',
} as const;

export interface ApiProps {
  /** The function serving each handler name used in `routes`. */
  handlers: Record<HttpHandlerName, lambda.IFunction>;
  /** Serves `$default`: 404 or 405 as problem+json. */
  notFound: lambda.IFunction;
  jwtIssuer: string;
  jwtAudience: string[];
  throttle: { rateLimit: number; burstLimit: number };
}

/**
 * The HTTP API: one route per declaration in functions/http/routes.ts (the same list the local host
 * serves), `$default` for everything else, a JWT authorizer demanding the write scope on the routes
 * that declare `auth`, and a `$default` stage with throttling and JSON access logs.
 */
export class Api extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly authorizer: HttpJwtAuthorizer;
  /** The API route of each declaration, by route key (`GET /stories`). */
  readonly routes = new Map<string, apigwv2.HttpRoute>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    // One integration per function. Its invoke permission covers the whole API rather than one
    // permission per route: the same function serves every route of its handler either way.
    const integrationOf = (name: string, fn: lambda.IFunction) => new HttpLambdaIntegration(`${name}Integration`, fn, { scopePermissionToRoute: false });
    const integrations = Object.fromEntries(
      (Object.entries(props.handlers) as [HttpHandlerName, lambda.IFunction][]).map(([name, fn]) => [name, integrationOf(name, fn)]),
    ) as Record<HttpHandlerName, HttpLambdaIntegration>;

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Storyline: stories, read models and feeds',
      createDefaultStage: false,
      defaultIntegration: integrationOf('not-found', props.notFound),
    });

    this.authorizer = new HttpJwtAuthorizer('Jwt', props.jwtIssuer, {
      jwtAudience: props.jwtAudience,
      identitySource: ['$request.header.Authorization'],
    });

    for (const route of routes) {
      const [added] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration: integrations[route.handler],
        ...(route.auth ? { authorizer: this.authorizer, authorizationScopes: [WRITE_SCOPE] } : {}),
      });
      if (!added) throw new Error(`no API route was created for ${routeKey(route)}`);
      this.routes.set(routeKey(route), added);
      if (!route.auth) acknowledgePublicRoute(added, route);
    }

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    // `$default` answers 404/405 for anything no route serves; there is nothing behind it to protect
    const defaultRoute = this.httpApi.node.tryFindChild('DefaultRoute');
    if (defaultRoute) {
      Validations.of(defaultRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'The $default route only answers 404/405 problem documents for paths and methods no route serves; there is nothing behind it to authorize.',
      });
    }
  }

  /** The stage's URL (`https://<id>.execute-api.<region>.amazonaws.com/`). */
  get url(): string {
    return this.stage.url;
  }
}

const acknowledgePublicRoute = (route: apigwv2.HttpRoute, declaration: RouteDeclaration): void => {
  const why =
    declaration.handler === 'desk'
      ? `${routeKey(declaration)} is the desk, which checks its own signed session cookie (and, on a POST, a CSRF token and the Origin) in the function; a bearer token cannot come from a browser form.`
      : `${routeKey(declaration)} is a public read (feeds, read models and the event log are published for anyone); only writes need a token.`;
  Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: why });
};
