import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { NotFoundError } from '../../events/errors';
import type { RenderedPage } from '../page-reader';
import { renderNotFoundPage } from '../render/pages/not-found';
import { conditionalResponse } from './conditional';
import { prefersHtml, VARY_ACCEPT } from './negotiation';
import { header } from './request';

/**
 * Serving the pages (rendered on read: functions/page-reader.ts): a strong ETag and Last-Modified
 * (304 on a match), a short max-age (a new development shows within seconds), and headers that
 * forbid every script, every foreign resource and framing. A missing page is the 404 page for a person, problem+json for a program.
 */

/** Only our stylesheet; no script, image, font, frame or connection; forms only to us. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const PAGE_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
} as const;

export const PAGE_CACHE_CONTROL = 'public, max-age=5';
/** A page made for one signed-in person: no cache, shared or the browser's, may keep it. */
export const PERSONAL_CACHE_CONTROL = 'private, no-store';
/** A page whose content depends on the session cookie (the home page) varies by it. */
const VARY_COOKIE = 'cookie, accept-encoding';
const HTML = 'text/html; charset=utf-8';

const withHeaders = (result: APIGatewayProxyStructuredResultV2, extra: Record<string, string>): APIGatewayProxyStructuredResultV2 => ({ ...result, headers: { ...result.headers, ...extra } });

/** The 404 page, or a NotFoundError (a problem document) for a client that does not prefer HTML. */
export const notFound = (event: APIGatewayProxyEventV2, detail: string): APIGatewayProxyStructuredResultV2 => {
  if (!prefersHtml(header(event, 'accept'))) throw new NotFoundError(detail);
  return { statusCode: 404, headers: { 'content-type': HTML, 'cache-control': 'no-store', vary: VARY_ACCEPT, ...PAGE_HEADERS }, body: renderNotFoundPage() };
};

/**
 * Serves a page (functions/page-reader.ts), or the 404 when there is none; `negotiated`: the URL also
 * serves JSON, so the response varies by Accept; `byCookie`: the page differs for a signed-in editor
 * (the home page), so it varies by Cookie, and the signed-in variant (its own ETag, as its HTML
 * differs) is kept by no cache.
 */
export const servePage = async (
  event: APIGatewayProxyEventV2,
  reading: RenderedPage | undefined | Promise<RenderedPage | undefined>,
  negotiated = false,
  byCookie?: { signedIn: boolean },
): Promise<APIGatewayProxyStructuredResultV2> => {
  const page = await reading;
  if (!page) return notFound(event, `there is no page at ${event.rawPath}`);
  const cacheControl = byCookie?.signedIn ? PERSONAL_CACHE_CONTROL : PAGE_CACHE_CONTROL;
  const result = conditionalResponse(event, { etag: `"${page.hash}"`, lastModified: page.lastModified, contentType: HTML, body: () => page.html, cacheControl });
  return withHeaders(result, { ...PAGE_HEADERS, ...(negotiated ? { vary: VARY_ACCEPT } : byCookie ? { vary: VARY_COOKIE } : {}) });
};

/** A fixed text resource (the stylesheet) with its validators. */
export const serveStatic = (event: APIGatewayProxyEventV2, resource: { body: string; hash: string; contentType: string; lastModified: string }): APIGatewayProxyStructuredResultV2 =>
  withHeaders(
    conditionalResponse(event, { etag: `"${resource.hash}"`, lastModified: resource.lastModified, contentType: resource.contentType, body: () => resource.body, cacheControl: 'public, max-age=300' }),
    { 'x-content-type-options': 'nosniff' },
  );
