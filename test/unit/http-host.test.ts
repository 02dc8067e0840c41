import type { IncomingMessage } from 'node:http';
import { toGatewayEvent } from '../../infra/local/http-host';
import { routes } from '../../contracts/routes';

/**
 * The local host's translation of an HTTP request into the API Gateway v2 event Lambda would get:
 * lowercase headers, cookies moved out of the headers, repeated query parameters joined with
 * commas, base64 for bodies that are not text, the route key and path parameters.
 */

const request = (method: string, url: string, headers: Record<string, string | string[]>): IncomingMessage =>
  ({ method, url, headers, httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1', localPort: 3000 } }) as unknown as IncomingMessage;

const appendRoute = routes.find((r) => r.method === 'POST' && r.path === '/stories/{storyId}/events');
const at = new Date('2026-05-04T10:00:00Z');

describe('toGatewayEvent', () => {
  it('builds a payload 2.0 event for a JSON write', () => {
    const body = Buffer.from('{"events":[]}');
    const event = toGatewayEvent(
      request('POST', '/stories/a-story/events?x=1&x=2&y=%C3%A9', { host: '127.0.0.1:3000', 'content-type': 'application/json', cookie: 'a=1; b=2', 'idempotency-key': 'k1' }),
      body,
      appendRoute,
      { storyId: 'a-story' },
      'request-1',
      at,
    );
    expect(event).toEqual(
      expect.objectContaining({
        version: '2.0',
        routeKey: 'POST /stories/{storyId}/events',
        rawPath: '/stories/a-story/events',
        rawQueryString: 'x=1&x=2&y=%C3%A9',
        cookies: ['a=1', 'b=2'],
        queryStringParameters: { x: '1,2', y: 'é' },
        pathParameters: { storyId: 'a-story' },
        body: '{"events":[]}',
        isBase64Encoded: false,
      }),
    );
    expect(event.headers).toEqual(expect.objectContaining({ 'content-type': 'application/json', 'idempotency-key': 'k1', 'x-forwarded-proto': 'http', host: '127.0.0.1:3000' }));
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext).toEqual(
      expect.objectContaining({ requestId: 'request-1', routeKey: 'POST /stories/{storyId}/events', stage: '$default', timeEpoch: at.getTime(), domainName: '127.0.0.1:3000' }),
    );
    expect(event.requestContext.http).toEqual(expect.objectContaining({ method: 'POST', path: '/stories/a-story/events', sourceIp: '127.0.0.1' }));
  });

  it('base64-encodes a body that is not text', () => {
    const body = Buffer.from([0xff, 0x00, 0x7b]);
    const event = toGatewayEvent(request('POST', '/stories/a/events', { 'content-type': 'application/octet-stream' }), body, appendRoute, { storyId: 'a' }, 'r', at);
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(body);
  });

  it('uses the $default route key when no route matches, without body or query', () => {
    const event = toGatewayEvent(request('DELETE', '/nothing', {}), Buffer.alloc(0), undefined, {}, 'r', at);
    expect(event.routeKey).toBe('$default');
    expect(event.body).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });
});
