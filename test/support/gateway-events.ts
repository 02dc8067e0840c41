import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/**
 * API Gateway HTTP API (payload format 2.0) events, shaped as API Gateway sends them to a Lambda
 * integration: lowercase header names, the route key, path parameters, the request context, and for
 * routes behind the JWT authorizer the verified claims under requestContext.authorizer.jwt.
 */

export interface GatewayRequest {
  method: string;
  /** The route's declared path (`/stories/{storyId}/events`); `$default` when no route matches. */
  route: string;
  /** The concrete path the client asked for. */
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  /** The verified claims of the token (routes behind the JWT authorizer). */
  claims?: Record<string, string | number | boolean | string[]>;
}

const requestTime = new Date('2026-05-04T10:00:00Z');

export const gatewayEvent = (request: GatewayRequest): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const routeKey = request.route === '$default' ? '$default' : `${request.method} ${request.route}`;
  const headers: Record<string, string> = {
    host: 'abc123.execute-api.eu-west-1.amazonaws.com',
    'user-agent': 'jest',
    'x-forwarded-proto': 'https',
    'x-forwarded-port': '443',
    'x-forwarded-for': '203.0.113.7',
    ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
  };
  const rawQueryString = new URLSearchParams(request.query ?? {}).toString();
  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString,
    headers,
    ...(request.query ? { queryStringParameters: request.query } : {}),
    ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' },
      requestId: `req-${Math.random().toString(36).slice(2, 10)}`,
      routeKey,
      stage: '$default',
      time: '04/May/2026:10:00:00 +0000',
      timeEpoch: requestTime.getTime(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: request.claims ?? {}, scopes: String(request.claims?.scope ?? '').split(' ').filter(Boolean) } },
    },
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: request.isBase64Encoded ?? false,
  };
  if (!request.claims) delete (event.requestContext as { authorizer?: unknown }).authorizer;
  return event;
};

/** Claims as API Gateway's JWT authorizer passes them on: every claim a string, scopes space-separated. */
export const writerClaims = (overrides: Record<string, string> = {}): Record<string, string> => ({
  sub: 'editor-1',
  scope: 'storyline/write',
  iss: 'https://issuer.example.org/',
  aud: 'storyline',
  iat: '1777888800',
  exp: '1777932000',
  ...overrides,
});

export const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'storyline-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:storyline-test',
  memoryLimitInMB: '512',
  awsRequestId: 'lambda-request-id',
  logGroupName: '/aws/lambda/storyline-test',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

export type HttpLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** The body of a result as JSON. */
export const jsonOf = (result: APIGatewayProxyStructuredResultV2): Record<string, any> => JSON.parse(result.body ?? 'null') as Record<string, any>;

/** Checks that a result is an RFC 9457 problem document of this status, and returns it. */
export const expectProblem = (result: APIGatewayProxyStructuredResultV2, status: number): Record<string, any> => {
  expect(result.statusCode).toBe(status);
  expect(result.headers?.['content-type']).toBe('application/problem+json');
  const problem = jsonOf(result);
  expect(problem).toEqual(expect.objectContaining({ type: expect.stringMatching(/^tag:storyline,2026:problems\/[a-z0-9-]+$/), title: expect.any(String), status, detail: expect.any(String) }));
  expect(result.body).not.toMatch(/\n\s+at /);
  return problem;
};
