import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { Slug } from '../../events/catalog/development';
import type { FeedFormat } from '../../events/feeds/feed-document';
import { NotFoundError, ValidationError } from '../../events/errors';
import { actorFeedKey, ALL_FEED_KEY, digestFeedKey, storyFeedKey, topicFeedKey, type FeedModel } from '../../events/projections';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createReadModelStore } from '../adapters/read-model-store';
import { ENV } from '../../contracts/env';
import { requiredEnv } from '../config';
import { BASE_PLACEHOLDER, renderedKey, renderPage, type RenderedFeed } from '../feed-publication';
import { createFeedAsOf } from '../feeds-as-of';
import { hubsFromEnv } from '../websub/from-env';
import { hubLinkHeader, withHubLinks } from '../websub/hubs';
import { conditionalResponse, requestBaseUrl } from '../http/conditional';
import { httpHandler, type RouteHandler } from '../http/handle';
import { intParam, pathParam } from '../http/request';
import { routeKey, routes } from '../../contracts/routes';
import { contentTypes } from '../render';

/**
 * Serves the feeds the projector prepared: the current page is stored rendered (one read, a base
 * URL substitution); archive pages are rendered from the stored feed document. Never from events.
 */

const readModels = createReadModelStore(dynamoClientFromEnv(), requiredEnv(ENV.readModelsTable));
const CACHE_CONTROL = 'public, max-age=60';
const feedAsOf = createFeedAsOf(readModels);
const HUBS = hubsFromEnv();

/**
 * Rendered feeds are kept in memory, so that a busy feed is read from DynamoDB about once a second
 * per Lambda instance instead of on every request. A copy older than a second is refreshed by one
 * read that concurrent requests share; until the copy is two seconds old they are answered from it
 * meanwhile, and after that they wait for the read. A new item shows within about two seconds.
 */
const FRESH_MS = 1000;
const SERVE_WHILE_REFRESHING_MS = 2000;
const CACHE_ENTRIES = 500;
interface Cached {
  at: number;
  doc: RenderedFeed | undefined;
  refreshing?: Promise<RenderedFeed | undefined>;
}
const cache = new Map<string, Cached>();

const refresh = (key: string, entry: Cached | undefined): Promise<RenderedFeed | undefined> => {
  const startedAt = Date.now();
  const refreshing = readModels.get<RenderedFeed>(key).then(
    (item) => {
      if (!cache.has(key) && cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
      cache.set(key, { at: startedAt, doc: item?.value });
      return item?.value;
    },
    (error: unknown) => {
      const current = cache.get(key);
      if (current) delete current.refreshing;
      throw error;
    },
  );
  if (entry) entry.refreshing = refreshing;
  else cache.set(key, { at: 0, doc: undefined, refreshing });
  return refreshing;
};

const renderedFeed = (key: string): RenderedFeed | undefined | Promise<RenderedFeed | undefined> => {
  const entry = cache.get(key);
  const age = entry ? Date.now() - entry.at : Number.POSITIVE_INFINITY;
  if (entry && age < FRESH_MS) return entry.doc;
  const refreshing = entry?.refreshing ?? refresh(key, entry);
  if (entry && age < SERVE_WHILE_REFRESHING_MS) {
    refreshing.catch(() => undefined); // its failure is met by the next request that waits for a read
    return entry.doc;
  }
  return refreshing;
};

const slug = (event: APIGatewayProxyEventV2, name: string) => {
  const value = pathParam(event, name);
  if (!Slug.safeParse(value).success) throw new ValidationError('Invalid path', [{ field: name, message: 'must be a lowercase slug (a-z, 0-9, -)' }]);
  return value;
};

/** Which feed document a feed route serves. */
const feedKeyOf = (event: APIGatewayProxyEventV2): string => {
  const path = event.routeKey.split(' ')[1] ?? '';
  if (path.startsWith('/stories/')) return storyFeedKey(slug(event, 'storyId'));
  if (path.startsWith('/topics/')) return topicFeedKey(slug(event, 'topic'));
  if (path.startsWith('/actors/')) return actorFeedKey(slug(event, 'actorId'));
  if (path.startsWith('/digests/')) return digestFeedKey(slug(event, 'period'));
  return ALL_FEED_KEY;
};

/** The stored body with the request's base URL; the last few results are kept, as busy feeds repeat them. */
const withBaseCache = new Map<string, { body: string; result: string }>();
const withBase = (body: string, base: string): string => {
  const key = `${base}\n${body.length}\n${body.slice(-64)}`;
  const hit = withBaseCache.get(key);
  if (hit && hit.body === body) return hit.result;
  const result = body.replaceAll(BASE_PLACEHOLDER, base);
  if (withBaseCache.size >= 50) withBaseCache.delete(withBaseCache.keys().next().value as string);
  withBaseCache.set(key, { body, result });
  return result;
};

const baseTags = new Map<string, string>();
const etagOf = (hash: string, base: string) => {
  let tag = baseTags.get(base);
  if (tag === undefined) {
    tag = createHash('sha256').update(base).digest('base64url').slice(0, 8);
    if (baseTags.size < 100) baseTags.set(base, tag);
  }
  return `"${hash}.${tag}"`;
};

const serveFeed: RouteHandler = async (event) => {
  const format = (event.routeKey.split('.').pop() ?? 'rss') as FeedFormat;
  const feedKey = feedKeyOf(event);
  const asOf = event.queryStringParameters?.asOf;
  if (asOf !== undefined) {
    if (!feedKey.startsWith('feed/story/')) throw new ValidationError('Invalid query', [{ field: 'asOf', message: "is offered on a story's feeds only" }]);
    return feedAsOf(event, slug(event, 'storyId'), format, asOf);
  }
  const page = intParam(event, 'page', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
  const base = requestBaseUrl(event);
  let rendered: { body: string; hash: string; lastModified: string } | undefined;
  if (page === 0) {
    const doc = await renderedFeed(renderedKey(feedKey));
    const current = doc?.bodies[format];
    if (doc && current) rendered = { ...current, lastModified: doc.lastModified };
  } else {
    const doc = await readModels.get<FeedModel>(feedKey);
    rendered = doc ? renderPage(doc.value, format, page, new Date()) : undefined;
  }
  if (!rendered) throw new NotFoundError(page === 0 ? `there is no feed at ${event.rawPath}` : `page ${page} of ${event.rawPath} does not exist`);
  const body = rendered.body;
  const response = conditionalResponse(event, {
    // the hubs are in the body, so in the tag
    etag: etagOf(rendered.hash, HUBS.length === 0 ? base : `${base} ${HUBS.join(' ')}`),
    lastModified: rendered.lastModified,
    contentType: contentTypes[format],
    body: () => withHubLinks(withBase(body, base), format, HUBS),
    cacheControl: CACHE_CONTROL,
  });
  return { ...response, headers: { ...response.headers, link: hubLinkHeader(`${base}${event.rawPath}${page === 0 ? '' : `?page=${page}`}`, HUBS) } };
};

export const handler = httpHandler(Object.fromEntries(routes.filter((r) => r.handler === 'feeds').map((r) => [routeKey(r), serveFeed])));
