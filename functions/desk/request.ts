import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { PAGE_HEADERS } from '../http/pages';
import { HttpError } from '../http/http-errors';
import { formValues } from './schema-form';

/** What the desk reads from a request and how it answers: pages that are never cached, redirects, cookies. */

const MAX_FORM_BYTES = 64 * 1024;

/** This site's origin as the browser sees it (`Origin` of its own form posts). */
export const requestOrigin = (event: APIGatewayProxyEventV2): string =>
  `${event.headers['x-forwarded-proto'] ?? 'https'}://${event.headers.host ?? event.requestContext.domainName}`;

export const formOf = (event: APIGatewayProxyEventV2): Map<string, string[]> => {
  const raw = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  if (raw.length > MAX_FORM_BYTES) throw new HttpError(413, 'Body too large', `desk forms are limited to ${MAX_FORM_BYTES} bytes`);
  const type = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new HttpError(415, 'Unsupported media type', 'the desk accepts HTML forms (application/x-www-form-urlencoded)');
  return formValues(raw.toString('utf8'));
};

const headers = { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', vary: 'cookie' };

export const htmlPage = (statusCode: number, body: string, cookies?: string[]): APIGatewayProxyStructuredResultV2 => ({ statusCode, headers, body, ...(cookies ? { cookies } : {}) });

export const redirect = (location: string, cookies?: string[]): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 303,
  headers: { location, 'cache-control': 'no-store' },
  ...(cookies ? { cookies } : {}),
});
