import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger } from '../logger';
import { HttpError } from './http-errors';
import { problemResponse, toProblem } from './problem';

export type RouteHandler<E extends APIGatewayProxyEventV2 = APIGatewayProxyEventV2> = (event: E, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/**
 * A Lambda handler for HTTP API routes: dispatches on the route key, turns every error into a
 * problem document, and logs 5xx with the request id the response also carries.
 */
export const httpHandler =
  <E extends APIGatewayProxyEventV2>(byRoute: Record<string, RouteHandler<E>>) =>
  async (event: E, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
    try {
      const route = byRoute[event.routeKey];
      if (!route) throw new HttpError(404, 'Not found', `no route ${event.routeKey} here`);
      const result = await route(event, context);
      return { ...result, headers: { ...result.headers, 'x-request-id': requestId } };
    } catch (error) {
      const { problem, headers, unexpected } = toProblem(error, requestId);
      if (unexpected) logger.error('request failed', { requestId, routeKey: event.routeKey, error: error instanceof Error ? error : String(error) });
      return problemResponse(problem, { ...headers, 'x-request-id': requestId });
    }
  };
