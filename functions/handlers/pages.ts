import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import { PAGE_PATHS } from '../../contracts/routes';
import { Slug } from '../../events/catalog/development';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createReadModelStore } from '../adapters/read-model-store';
import { requiredEnv } from '../config';
import { deskSecret } from '../desk/secret';
import { sessionOfCookies } from '../desk/session';
import { httpHandler, type RouteHandler } from '../http/handle';
import { notFound, servePage, serveStatic } from '../http/pages';
import { pathParam } from '../http/request';
import { pageHash, pageReaderOf, type PageRef } from '../page-reader';
import { STYLESHEET } from '../render/pages/style';

/**
 * The pages for people, rendered from the read models when read and kept in memory about a second
 * (functions/page-reader.ts): ETag / 304. An id that cannot name anything gets the 404 page. The
 * home page has a variant for an editor signed in to the desk (its session cookie), with a link to it.
 */

const pages = pageReaderOf(createReadModelStore(dynamoClientFromEnv(), requiredEnv(ENV.readModelsTable)));

const EVENT_ID = /^[A-Za-z0-9-]{1,100}$/;
/** An archive page's number: 1 to 9 digits, no leading zero (page 0 is the story's own URL). */
const ARCHIVE_PAGE = /^[1-9][0-9]{0,8}$/;
const CHECKS: Record<string, (value: string) => boolean> = {
  eventId: (value) => EVENT_ID.test(value),
  page: (value) => ARCHIVE_PAGE.test(value),
};
const slug = (value: string) => Slug.safeParse(value).success;

/** A page named by path parameters (slugs unless checked otherwise); `ref` builds what it shows from them. */
const page =
  (names: string[], ref: (...ids: string[]) => PageRef): RouteHandler =>
  async (event: APIGatewayProxyEventV2) => {
    const ids = names.map((name) => pathParam(event, name));
    if (ids.some((id, i) => !(CHECKS[names[i]!] ?? slug)(id))) return notFound(event, `there is no page at ${event.rawPath}`);
    return servePage(event, pages.read(ref(...ids)));
  };

const stylesheet = { body: STYLESHEET, hash: pageHash(STYLESHEET), contentType: 'text/css; charset=utf-8', lastModified: '2026-12-01T00:00:00.000Z' };

export const handler = httpHandler({
  // a signed-in editor's home page links to the desk: the session is checked as the desk checks it
  [`GET ${PAGE_PATHS.home}`]: async (event) => {
    const editor = (await sessionOfCookies(deskSecret, event.cookies, Math.floor(Date.now() / 1000))) !== undefined;
    return servePage(event, pages.read({ kind: 'home', ...(editor ? { editor } : {}) }), false, { signedIn: editor });
  },
  [`GET ${PAGE_PATHS.stylesheet}`]: (event) => Promise.resolve(serveStatic(event, stylesheet)),
  [`GET ${PAGE_PATHS.story}`]: page(['storyId'], (storyId) => ({ kind: 'story', storyId, page: 0 })),
  [`GET ${PAGE_PATHS.storyArchive}`]: page(['storyId', 'page'], (storyId, number) => ({ kind: 'story', storyId, page: Number(number) })),
  [`GET ${PAGE_PATHS.development}`]: page(['storyId', 'eventId'], (storyId, eventId) => ({ kind: 'development', storyId, eventId })),
  [`GET ${PAGE_PATHS.topic}`]: page(['topic'], (topic) => ({ kind: 'topic', topic })),
  [`GET ${PAGE_PATHS.digests}`]: page(['period'], (period) => ({ kind: 'digests', period })),
});
