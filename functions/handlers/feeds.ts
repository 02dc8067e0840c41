import { NotFoundError } from '../../events/errors';
import { feedKeyOf, type FeedModel } from '../../events/projections';
import { ENV } from '../../contracts/env';
import { routeKey } from '../../contracts/routes';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createReadModelStore } from '../adapters/read-model-store';
import { requiredEnv } from '../config';
import { etagOf, withBase } from '../feed-base';
import { createFeedCache } from '../feed-cache';
import { renderedKey, renderPage, type RenderedFeed } from '../feed-publication';
import { conditionalResponse, requestBaseUrl } from '../http/conditional';
import { httpHandler, type RouteHandler } from '../http/handle';
import { intParam, slugParam } from '../http/request';
import { feedOfRoute, feedRoutes } from '../links';
import { contentTypes } from '../render';

/**
 * Serves the feeds the projector prepared: the current page is stored rendered (one read, from an
 * in-memory cache, and a base URL substitution); archive pages are rendered from the stored feed
 * document. Never from events. Which feed a route serves is in the route declaration.
 */

const readModels = createReadModelStore(dynamoClientFromEnv(), requiredEnv(ENV.readModelsTable));
const rendered = createFeedCache((key) => readModels.get<RenderedFeed>(key).then((item) => item?.value), { maxEntries: 500, freshMs: 1000, serveWhileRefreshingMs: 2000 });
const CACHE_CONTROL = 'public, max-age=60';

const serveFeed =
  (route: (typeof feedRoutes)[number]): RouteHandler =>
  async (event) => {
    const { format } = route.feed;
    const feedKey = feedKeyOf(feedOfRoute(route, (name) => slugParam(event, name)));
    const page = intParam(event, 'page', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    let body: { body: string; hash: string; lastModified: string } | undefined;
    if (page === 0) {
      const doc = await rendered.get(renderedKey(feedKey));
      const current = doc?.bodies[format];
      if (doc && current) body = { ...current, lastModified: doc.lastModified };
    } else {
      const doc = await readModels.get<FeedModel>(feedKey);
      body = doc ? renderPage(doc.value, format, page, new Date()) : undefined;
    }
    if (!body) throw new NotFoundError(page === 0 ? `there is no feed at ${event.rawPath}` : `page ${page} of ${event.rawPath} does not exist`);
    const base = requestBaseUrl(event);
    return conditionalResponse(event, {
      etag: etagOf(body.hash, base),
      lastModified: body.lastModified,
      contentType: contentTypes[format],
      body: withBase.bind(undefined, body.body, base),
      cacheControl: CACHE_CONTROL,
    });
  };

export const handler = httpHandler(Object.fromEntries(feedRoutes.map((route) => [routeKey(route), serveFeed(route)])));
