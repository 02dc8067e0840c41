import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import { PAGE_PATHS } from '../../contracts/routes';
import { Slug } from '../../events/catalog/development';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createReadModelStore } from '../adapters/read-model-store';
import { requiredEnv } from '../config';
import { httpHandler, type RouteHandler } from '../http/handle';
import { notFound, servePage, serveStatic } from '../http/pages';
import { pathParam } from '../http/request';
import { pageHash, pageKeys } from '../page-publication';
import { STYLESHEET } from '../render/pages/style';

/**
 * The pages for people, as the projector rendered and stored them (functions/page-publication.ts):
 * one read per request, ETag / 304. An id that cannot name anything gets the 404 page.
 */

const readModels = createReadModelStore(dynamoClientFromEnv(), requiredEnv(ENV.readModelsTable));

const EVENT_ID = /^[A-Za-z0-9-]{1,100}$/;
const valid = (event: APIGatewayProxyEventV2, name: string, check: (value: string) => boolean): string | undefined => {
  const value = pathParam(event, name);
  return check(value) ? value : undefined;
};
const slug = (value: string) => Slug.safeParse(value).success;

/** A page whose key is built from slug parameters. */
const page =
  (names: string[], key: (...ids: string[]) => string): RouteHandler =>
  async (event) => {
    const ids = names.map((name) => valid(event, name, name === 'eventId' ? (v) => EVENT_ID.test(v) : slug));
    if (ids.some((id) => id === undefined)) return notFound(event, `there is no page at ${event.rawPath}`);
    return servePage(readModels, event, key(...(ids as string[])));
  };

const stylesheet = { body: STYLESHEET, hash: pageHash(STYLESHEET), contentType: 'text/css; charset=utf-8', lastModified: '2026-12-01T00:00:00.000Z' };

export const handler = httpHandler({
  [`GET ${PAGE_PATHS.home}`]: async (event) => servePage(readModels, event, pageKeys.home),
  [`GET ${PAGE_PATHS.stylesheet}`]: async (event) => serveStatic(event, stylesheet),
  [`GET ${PAGE_PATHS.story}`]: page(['storyId'], pageKeys.story),
  [`GET ${PAGE_PATHS.development}`]: page(['storyId', 'eventId'], pageKeys.development),
  [`GET ${PAGE_PATHS.topic}`]: page(['topic'], pageKeys.topic),
  [`GET ${PAGE_PATHS.digests}`]: page(['period'], pageKeys.digests),
});
