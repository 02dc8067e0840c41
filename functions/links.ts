import { DESK_PATHS, PAGE_PATHS, routes, type DeskPage, type PageKind, type RouteDeclaration } from '../contracts/routes';
import type { FeedDocument, FeedEntry, FeedFormat } from '../events/feeds/feed-document';
import { parseFeedKey, type FeedRef } from '../events/projections/keys';
import type { LinkedFeed } from './render/linked-feed';

/**
 * Every link Storyline writes (feed items, feeds and their archive pages, their home pages, the
 * event log's next page, a digest's page, the calendars, the subscription and desk pages, the URLs
 * hubs are told of) is built here, from the route declaration: the domain holds ids, not URLs. Paths
 * are relative to the base URL, which is the request's (or the configured public one).
 * test/unit/route-paths.test.ts finds any route path written by hand elsewhere.
 */

/** The names of a route path's parameters: `/stories/{storyId}/feed.rss` has `storyId`. */
export const pathParamNames = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map(([, name]) => name ?? '');

/** A lone surrogate has no UTF-8 form: it is dropped rather than failing the whole page or feed. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Any surrogate: the cheap test before the search for lone ones (links are built by the thousand). */
const SURROGATE = /[\uD800-\uDFFF]/;

/** A route path with its parameters filled in (each URI-encoded as a path segment). */
export const fillPath = (template: string, params: Readonly<Record<string, string>>): string =>
  template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return encodeURIComponent(SURROGATE.test(value) ? value.replace(LONE_SURROGATE, '') : value);
  });

/** A GET route's path, checked against the declaration when this module loads. */
const declared = (path: string): string => {
  if (!routes.some((route) => route.method === 'GET' && route.path === path)) throw new Error(`no GET route is declared at ${path}`);
  return path;
};

const EVENTS = declared('/stories/{storyId}/events');
const TIMELINE = declared('/stories/{storyId}/timeline');
/** The JSON API's description of itself, and a story's timeline as JSON (named where the local runtime starts). */
export const openApiPath = declared('/openapi.json');
export const timelinePath = (storyId: string): string => fillPath(TIMELINE, { storyId });
for (const path of Object.values(PAGE_PATHS)) declared(path);

/** Every feed once, as OPML; a story's visits as iCalendar; where the subscribe form posts. */
export const opmlPath = declared('/feeds.opml');
const STORY_CALENDAR = declared('/stories/{storyId}/visits.ics');
export const storyCalendarPath = (storyId: string): string => fillPath(STORY_CALENDAR, { storyId });
/** A route's path, checked against the declaration (any method) when this module loads. */
const declaredRoute = (method: RouteDeclaration['method'], path: string): string => {
  if (!routes.some((route) => route.method === method && route.path === path)) throw new Error(`no ${method} route is declared at ${path}`);
  return path;
};
export const subscriptionsPath = declaredRoute('POST', '/subscriptions');

/** The pages of a subscription, each opened from a mailed link with its token (a GET shows a button, the POST acts). */
export const SUBSCRIPTION_PATHS = {
  confirm: declaredRoute('POST', declared('/subscriptions/confirm')),
  cancel: declaredRoute('POST', declared('/subscriptions/cancel')),
  unsubscribe: declaredRoute('POST', declared('/subscriptions/unsubscribe')),
  preferences: declaredRoute('POST', declared('/subscriptions/preferences')),
  signOut: declaredRoute('POST', '/subscriptions/sign-out'),
} as const;
/** A subscription page's path with its token (tokens are base64url: nothing to encode). */
export const subscriptionPath = (kind: keyof typeof SUBSCRIPTION_PATHS, token: string): string => `${SUBSCRIPTION_PATHS[kind]}?token=${encodeURIComponent(token)}`;

/** A page for people (contracts/routes.ts PAGE_PATHS) with its parameters filled in. */
export const pagePath = (kind: PageKind, params: Readonly<Record<string, string>> = {}): string => fillPath(PAGE_PATHS[kind], params);

/** The desk's pages (contracts/routes.ts DESK_PATHS), each checked against the declaration when this module loads. */
for (const path of Object.values(DESK_PATHS)) {
  if (!routes.some((route) => route.path === path && route.handler === 'desk')) throw new Error(`no desk route is declared at ${path}`);
}
export const deskPath = (page: DeskPage, params: Readonly<Record<string, string>> = {}): string => fillPath(DESK_PATHS[page], params);

export const storyPath = (storyId: string): string => pagePath('story', { storyId });
/** A page of a story: 0 is the story's page (its latest developments), 1.. its archive pages (functions/render/pages/story-pagination.ts). */
export const storyPagePath = (storyId: string, page: number): string => (page === 0 ? storyPath(storyId) : pagePath('storyArchive', { storyId, page: String(page) }));
export const actorPath = (actorId: string): string => pagePath('actor', { actorId });
export const topicPath = (topic: string): string => pagePath('topic', { topic });
export const digestsPath = (period: string): string => pagePath('digests', { period });

/** The page about each kind of feed's subject: the feed's channel (alternate) link. */
const HOME_PAGES: Record<FeedRef['kind'], PageKind> = { all: 'home', story: 'story', topic: 'topic', actor: 'actor', digest: 'digests' };

/** A feed's fields are its routes' path parameters (`storyId`, `topic`, `actorId`, `period`). */
const paramsOf = (feed: FeedRef): Record<string, string> => {
  const { kind: _kind, ...params } = feed;
  return params;
};

type FeedRoute = RouteDeclaration & { feed: NonNullable<RouteDeclaration['feed']> };
export const feedRoutes: FeedRoute[] = routes.filter((route): route is FeedRoute => route.feed !== undefined);

/** Each feed route's path parameters, found once (the feeds function asks on every request). */
const feedRouteParams = new Map(feedRoutes.map((route) => [route, pathParamNames(route.path)]));
/** The feed a feed route serves, given its path parameters. */
export const feedOfRoute = (route: FeedRoute, param: (name: string) => string): FeedRef =>
  ({ kind: route.feed.kind, ...Object.fromEntries((feedRouteParams.get(route) ?? pathParamNames(route.path)).map((name) => [name, param(name)])) }) as FeedRef;

/** The path a feed is served at, in a format. */
export const feedPath = (feed: FeedRef, format: FeedFormat): string => {
  const route = feedRoutes.find((r) => r.feed.kind === feed.kind && r.feed.format === format);
  if (!route) throw new Error(`no route serves ${feed.kind} feeds as ${format}`);
  return fillPath(route.path, paramsOf(feed));
};

/** A page of a feed (RFC 5005): 0 is its current page, 1.. its archive pages, linked from the feed itself. */
export const feedArchivePath = (feed: FeedRef, format: FeedFormat, page: number): string => `${feedPath(feed, format)}${page === 0 ? '' : `?page=${page}`}`;

/** The feed a stored feed document is (its key without the `feed/` prefix). */
export const feedOfDocument = (document: Pick<FeedDocument, 'key'>): FeedRef => feedOfKey(`feed/${document.key}`);

/** The feed a feed read model's key (`feed/...`) names. */
export const feedOfKey = (feedKey: string): FeedRef => {
  const feed = parseFeedKey(feedKey);
  if (!feed) throw new Error(`${feedKey} names no feed`);
  return feed;
};

/** A development's permalink page: the link of its feed items. */
export const developmentPath = (storyId: string, eventId: string): string => pagePath('development', { storyId, eventId });
export const digestPath = (period: string, digestId: string): string => pagePath('digest', { period, windowEnd: digestId });
export const eventLogPath = (storyId: string, page: { after: number; limit?: number }): string =>
  `${fillPath(EVENTS, { storyId })}?after=${page.after}${page.limit === undefined ? '' : `&limit=${page.limit}`}`;

/** An item's page: its development's permalink page (a correction or retraction: the development it concerns), or its digest's page. */
export const entryPath = (entry: FeedEntry): string =>
  entry.digestRef ? digestPath(entry.digestRef.period, entry.digestRef.digestId) : developmentPath(entry.storyId, entry.concerns ?? entry.id);

/** The page about a feed's subject: its channel link. */
export const feedPagePath = (feed: FeedRef): string => pagePath(HOME_PAGES[feed.kind], paramsOf(feed));

/** A feed document with the paths the renderers link to. */
export const linkedFeed = (document: FeedDocument): LinkedFeed => ({
  ...document,
  homePath: feedPagePath(feedOfDocument(document)),
  entries: document.entries.map((entry) => ({ ...entry, path: entryPath(entry) })),
});
