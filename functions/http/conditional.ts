import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { boundedCache } from '../bounded-cache';
import { header } from './request';

/** An ISO instant as an HTTP date (whole seconds); a few are kept, as busy feeds repeat them. */
const httpDates = boundedCache<string, { ms: number; text: string }>({ max: 32 });
const httpDate = (iso: string): { ms: number; text: string } => {
  let date = httpDates.get(iso);
  if (!date) {
    const ms = Math.floor(Date.parse(iso) / 1000) * 1000;
    date = { ms, text: new Date(ms).toUTCString() };
    httpDates.set(iso, date);
  }
  return date;
};

/**
 * Conditional GET (RFC 9110): a strong ETag and Last-Modified on every representation;
 * If-None-Match wins over If-Modified-Since; a match is a 304 with the same ETag.
 * The body is only produced for a 200.
 */
export const conditionalResponse = (
  event: APIGatewayProxyEventV2,
  representation: { etag: string; lastModified: string; contentType: string; body: () => string; cacheControl: string },
): APIGatewayProxyStructuredResultV2 => {
  const lastModified = httpDate(representation.lastModified);
  // what a 304 must repeat of the 200 (RFC 9110, 15.4.5); Last-Modified is left out of it, as the ETag is there
  const headers = {
    etag: representation.etag,
    'cache-control': representation.cacheControl,
    vary: 'accept-encoding',
  };
  const ifNoneMatch = header(event, 'if-none-match');
  const ifModifiedSince = header(event, 'if-modified-since');
  let notModified = false;
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
    notModified = tags.includes('*') || tags.includes(representation.etag);
  } else if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    notModified = !Number.isNaN(since) && lastModified.ms <= since;
  }
  if (notModified) return { statusCode: 304, headers };
  return { statusCode: 200, headers: { ...headers, 'last-modified': lastModified.text, 'content-type': representation.contentType }, body: representation.body() };
};

const HOST = /^[a-z0-9.-]+(:\d{1,5})?$/i;

/**
 * The base URL the client used: API Gateway (and the local host) say the scheme in x-forwarded-proto.
 * A host header is client input: only a plain host[:port] is taken, else the API's own domain name.
 */
export const requestBaseUrl = (event: APIGatewayProxyEventV2): string => {
  const proto = header(event, 'x-forwarded-proto')?.split(',')[0]?.trim() === 'http' ? 'http' : 'https';
  const candidates = [header(event, 'x-forwarded-host'), header(event, 'host'), event.requestContext.domainName];
  const host = candidates.find((h): h is string => h !== undefined && HOST.test(h)) ?? 'localhost';
  return `${proto}://${host}`;
};
