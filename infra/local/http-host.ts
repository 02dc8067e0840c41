import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { routeKey, routes, type HttpHandlerName, type RouteDeclaration } from '../../contracts/routes';
import { WRITE_SCOPE } from '../../contracts/scopes';
import { compileRoute } from '../../functions/http/route-matching';
import { problemResponse, PROBLEM_TYPE_BASE } from '../../functions/http/problem';
import { verifyToken } from './jwt';

/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): matches each request against
 * the one route declaration, runs the JWT authorizer on routes that need it, turns the request into
 * an APIGatewayProxyEventV2 for the same handler Lambda would run, and the result back into HTTP.
 *
 * Where it differs from AWS: the authorizer's 401/403 are problem documents here, while API Gateway
 * answers `{"message":"Unauthorized"}` / `{"message":"Forbidden"}`; no stage variables; one process.
 */

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
export type HandlerLoader = (name: HttpHandlerName | 'not-found') => Promise<LambdaHandler>;

/** API Gateway's own limit on a request body. */
const MAX_GATEWAY_BODY = 10 * 1024 * 1024;

const TEXTUAL = /^(text\/|application\/(json|xml|[a-z0-9.+-]+\+(json|xml)|x-www-form-urlencoded|javascript))/;

export interface HttpHostOptions {
  port: number;
  host?: string;
  loadHandler: HandlerLoader;
  publicKey: KeyObject;
  log?: (line: string) => void;
  /** One log line per request (default true); failures are logged either way. */
  logRequests?: boolean;
  /** Whether the runtime is ready (see READY_PATH); without it the host serves no readiness route. */
  ready?: () => boolean;
}

/**
 * Readiness, a property of the local runtime rather than of a handler: 200 once the stream runner
 * has projected every event the events table held when the runtime started (the seed story
 * included), 503 with a problem document before. In AWS there is no such route: the deployment
 * decides when a stack is ready. `/health` stays the cheap liveness check.
 */
export const READY_PATH = '/ready';

const readiness = (ready: boolean): APIGatewayProxyResultV2 =>
  ready
    ? { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: '{"status":"ready"}' }
    : problemResponse(
        { type: `${PROBLEM_TYPE_BASE}not-ready`, title: 'Not ready', status: 503, detail: 'the stream runner is still projecting the events recorded before start' },
        { 'retry-after': '1' },
      );

/** API Gateway's integration timeout: the time a handler has here. */
const TIMEOUT_MS = 30_000;

/** What Lambda passes a handler as its context (a class: nothing is allocated per request but the object). */
class LambdaContext implements Context {
  readonly callbackWaitsForEmptyEventLoop = false;
  readonly functionVersion = '$LATEST';
  readonly memoryLimitInMB = '512';
  readonly logStreamName = 'local';
  readonly invokedFunctionArn: string;
  readonly logGroupName: string;
  private readonly deadline = Date.now() + TIMEOUT_MS;

  constructor(
    readonly functionName: string,
    readonly awsRequestId: string,
  ) {
    this.invokedFunctionArn = `arn:aws:lambda:local:000000000000:function:${functionName}`;
    this.logGroupName = `/aws/lambda/${functionName}`;
  }

  getRemainingTimeInMillis(): number {
    return this.deadline - Date.now();
  }
  done(): void {}
  fail(): void {}
  succeed(): void {}
}

const NO_BODY = Buffer.alloc(0);

const readBody = (req: IncomingMessage): Buffer | Promise<Buffer | 'too-large'> =>
  // a request that announces no body (no Content-Length, no Transfer-Encoding) has none: HTTP/1.1 framing
  req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined
    ? NO_BODY
    : new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_GATEWAY_BODY) chunks.push(chunk);
        });
        req.on('end', () => resolve(size > MAX_GATEWAY_BODY ? 'too-large' : Buffer.concat(chunks)));
        req.on('error', reject);
      });

/** Builds the event API Gateway would send for this request. */
export const toGatewayEvent = (
  req: IncomingMessage,
  body: Buffer,
  route: RouteDeclaration | undefined,
  pathParameters: Record<string, string>,
  requestId: string,
  now: Date,
  url = new URL(req.url ?? '/', 'http://localhost'),
): APIGatewayProxyEventV2 => {
  // Node gives header names in lowercase, as API Gateway does
  const headers: Record<string, string> = {};
  const raw = req.headers;
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined || name === 'cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // what API Gateway adds in front of every integration
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-for'] ??= req.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  const cookies = req.headers.cookie ? req.headers.cookie.split(';').map((c) => c.trim()).filter(Boolean) : undefined;
  const query: Record<string, string> = {};
  if (url.search) for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const contentType = headers['content-type'] ?? '';
  // a "textual" body that is not UTF-8 cannot become a string without loss (toString would put U+FFFD
  // where the bad bytes were, and the handler would accept it): pass its bytes as they are
  const isBase64Encoded = body.length > 0 && (!TEXTUAL.test(contentType.toLowerCase()) || !isUtf8(body));
  const key = route ? routeKey(route) : '$default';
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: { method: req.method ?? 'GET', path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId,
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: isBase64Encoded ? body.toString('base64') : body.toString('utf8') } : {}),
    isBase64Encoded,
  };
};

const send = (res: ServerResponse, result: APIGatewayProxyResultV2): number => {
  // a result without statusCode is a body for a 200 JSON response (payload format 2.0 rule)
  if (typeof result === 'string' || typeof result !== 'object' || result === null || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return 200;
  }
  const status = result.statusCode ?? 200;
  const headers = (result.cookies?.length ? { ...result.headers, 'set-cookie': result.cookies } : result.headers) as Record<string, string | string[]> | undefined;
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  res.writeHead(status, headers).end(body);
  return status;
};

const compiledRoutes = routes.map(compileRoute);

/** What the request log prints of a URL: every query value of a token or key redacted (subscription links carry `?token=`). */
export const loggedUrl = (url: string | undefined): string =>
  (url ?? '').replace(/([?&][^=&#]*(?:token|key|secret|signature|password)[^=&#]*=)[^&#]*/gi, '$1[redacted]');

export const startHttpHost = ({ port, host = '127.0.0.1', loadHandler, publicKey, log = () => undefined, logRequests = true, ready }: HttpHostOptions): Promise<Server> => {
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    let status = 500;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      if (ready && path === READY_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
        status = send(res, readiness(ready()));
        return;
      }
      let route: RouteDeclaration | undefined;
      let params: Record<string, string> = {};
      for (const candidate of compiledRoutes) {
        if (candidate.route.method !== req.method) continue;
        const match = candidate.match(path);
        if (match) {
          route = candidate.route;
          params = match;
          break;
        }
      }
      const body = await readBody(req);
      if (body === 'too-large') {
        status = send(res, problemResponse({ type: `${PROBLEM_TYPE_BASE}body-too-large`, title: 'Body too large', status: 413, detail: 'request bodies are limited to 10 MB by the gateway' }));
        return;
      }
      const event = toGatewayEvent(req, body, route, params, requestId, new Date(), url);
      if (route?.auth) {
        const authorization = event.headers.authorization ?? '';
        const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
        const verdict = token ? await verifyToken(token, publicKey, Math.floor(Date.now() / 1000)) : ({ ok: false, reason: 'no bearer token' } as const);
        if (!verdict.ok) {
          status = send(res, problemResponse({ type: `${PROBLEM_TYPE_BASE}unauthorized`, title: 'Unauthorized', status: 401, detail: `a valid bearer token is required (${verdict.reason})` }, { 'www-authenticate': 'Bearer', 'x-request-id': requestId }));
          return;
        }
        if (!verdict.scopes.includes(WRITE_SCOPE)) {
          status = send(res, problemResponse({ type: `${PROBLEM_TYPE_BASE}forbidden`, title: 'Forbidden', status: 403, detail: `the token lacks the ${WRITE_SCOPE} scope` }, { 'x-request-id': requestId }));
          return;
        }
        (event.requestContext as unknown as { authorizer: unknown }).authorizer = { jwt: { claims: verdict.claims, scopes: verdict.scopes } };
      }
      const name = route?.handler ?? 'not-found';
      const handler = await loadHandler(name);
      status = send(res, await handler(event, new LambdaContext(`storyline-${name}`, requestId)));
    } catch (error) {
      // what API Gateway does when the integration fails
      log(`http host: handler failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) status = send(res, { statusCode: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"Internal Server Error"}' });
    } finally {
      if (logRequests) log(`${req.method} ${loggedUrl(req.url)} ${status} ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)}ms`);
    }
  };
  // serve catches every error of a request itself
  const server = createServer((req, res) => void serve(req, res));
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
};
