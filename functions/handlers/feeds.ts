import { NotFoundError, ValidationError } from '../../events/errors';
import { feedKeyOf, type FeedModel } from '../../events/projections';
import { ENV } from '../../contracts/env';
import { routeKey } from '../../contracts/routes';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createReadModelStore } from '../adapters/read-model-store';
import { requiredEnv } from '../config';
import { etagOf, forBase, withBase } from '../feed-base';
import { createFeedCache } from '../feed-cache';
import { currentPage, FEED_MAX_AGE_SECONDS, renderPage } from '../feed-publication';
import { createFeedAsOf } from '../feeds-as-of';
import { conditionalResponse, requestBaseUrl } from '../http/conditional';
import { httpHandler, type RouteHandler } from '../http/handle';
import { intParam, slugParam } from '../http/request';
import { feedArchivePath, feedOfRoute, feedRoutes } from '../links';
import { contentTypes } from '../render';
import { hubLinkHeader, hubsFromEnv, withHubLinks } from '../websub/hubs';

/**
 * Serves the feeds from their read models: the current page is rendered on read (its items read
 * with one Query, its dates computed once for every format) and kept in memory about a second
 * (feed-cache.ts), then the base URL is substituted and the hub links of the WebSub setting added;
 * archive pages are rendered from the feed as read; `?asOf=` on a story's feeds from its timeline. Never from events.
 */

const readModels = createReadModelStore(dynamoClientFromEnv(), requiredEnv(ENV.readModelsTable));
const rendered = createFeedCache((key) => readModels.get<FeedModel>(key).then((doc) => (doc ? currentPage(doc.value, new Date()) : undefined)), {
  maxEntries: 500,
  freshMs: 1000,
  serveWhileRefreshingMs: 2000,
});
const CACHE_CONTROL = `public, max-age=${FEED_MAX_AGE_SECONDS}`;
const feedAsOf = createFeedAsOf(readModels);
const HUBS = hubsFromEnv();

const serveFeed =
  (route: (typeof feedRoutes)[number]): RouteHandler =>
  async (event) => {
    const { format } = route.feed;
    const feed = feedOfRoute(route, (name) => slugParam(event, name));
    const asOf = event.queryStringParameters?.asOf;
    if (asOf !== undefined) {
      if (feed.kind !== 'story') throw new ValidationError('Invalid query', [{ field: 'asOf', message: "is offered on a story's feeds only" }]);
      return feedAsOf(event, feed.storyId, format, asOf);
    }
    const feedKey = feedKeyOf(feed);
    const page = intParam(event, 'page', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    let body: { body: string; hash: string; lastModified: string } | undefined;
    if (page === 0) {
      body = (await rendered.get(feedKey))?.(format);
    } else {
      const doc = await readModels.get<FeedModel>(feedKey);
      body = doc ? renderPage(doc.value, format, page, new Date()) : undefined;
    }
    if (!body) throw new NotFoundError(page === 0 ? `there is no feed at ${event.rawPath}` : `page ${page} of ${event.rawPath} does not exist`);
    const base = requestBaseUrl(event);
    const stored = body.body;
    // the hubs are in the body, so in the tag
    const answered = forBase(body, base, () => ({ etag: etagOf(body.hash, HUBS.length === 0 ? base : `${base} ${HUBS.join(' ')}`), link: hubLinkHeader(`${base}${feedArchivePath(feed, format, page)}`, HUBS) }));
    const response = conditionalResponse(event, {
      etag: answered.etag,
      lastModified: body.lastModified,
      contentType: contentTypes[format],
      body: () => withHubLinks(withBase(stored, base), format, HUBS),
      cacheControl: CACHE_CONTROL,
    });
    return { ...response, headers: { ...response.headers, link: answered.link } };
  };

export const handler = httpHandler(Object.fromEntries(feedRoutes.map((route) => [routeKey(route), serveFeed(route)])));
