/**
 * The one declaration of Storyline's HTTP routes. The CDK stack creates an API Gateway route for
 * each, wired to the function named by `handler`; the local host matches requests against the same
 * list; /openapi.json is generated from it.
 */

import type { FeedFormat } from '../events/feeds/feed-document';
import type { FeedRef } from '../events/projections/keys';

/** The Lambda functions that serve HTTP routes (each is functions/handlers/<name>.ts). */
export type HttpHandlerName = 'write-api' | 'read-api' | 'feeds' | 'pages' | 'following' | 'subscriptions' | 'desk';

export interface RouteDeclaration {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** API Gateway path syntax: `/stories/{storyId}`; a `{name+}` greedy parameter is not used. */
  path: string;
  handler: HttpHandlerName;
  /** Writes need a JWT with the write scope; reads are public. */
  auth: boolean;
  summary: string;
  /** Names of the request body's and (JSON) response's schemas in functions/http/schemas.ts; every JSON route names one. */
  requestSchema?: string;
  responseSchema?: string;
  query?: { name: string; description: string }[];
  /** The status of a success (default: 200 for GET, 201 otherwise). */
  successStatus?: 200 | 201 | 202 | 204;
  /** The content types a success response can have (default application/json). */
  produces?: string[];
  /** Problems this route can answer beyond those every route can (400, 404, 500, 503) and every write can. */
  problems?: (413 | 415 | 429)[];
  /** A feed route: which kind of feed it serves, in which format. Its path parameters are the feed's fields (`{storyId}`, `{topic}`...). */
  feed?: { kind: FeedRef['kind']; format: FeedFormat };
}

const feedFormats = [
  ['rss', 'application/rss+xml'],
  ['atom', 'application/atom+xml'],
  ['json', 'application/feed+json'],
] as const;

const feedRoutes = (prefix: string, subject: string, kind: FeedRef['kind']): RouteDeclaration[] =>
  feedFormats.map(([ext, type]) => ({
    method: 'GET',
    path: `${prefix}/feed.${ext}`,
    handler: 'feeds',
    auth: false,
    summary: `${subject} as ${ext === 'json' ? 'JSON Feed 1.1' : ext === 'rss' ? 'RSS 2.0' : 'Atom 1.0'}`,
    query: [
      { name: 'page', description: 'an archive page (RFC 5005), as linked from the feed' },
      ...(prefix === '/stories/{storyId}' ? [{ name: 'asOf', description: 'the feed as recorded at this ISO 8601 instant (RFC 7089 Memento-Datetime); not in the future' }] : []),
    ],
    produces: [type],
    feed: { kind, format: ext },
  }));

/**
 * The pages for people (HTML), by kind: links to them are built from these paths (functions/links.ts).
 * `actor` and `digest` share their URL with the JSON API, which answers HTML to a client that prefers it.
 */
export const PAGE_PATHS = {
  home: '/',
  stylesheet: '/style.css',
  story: '/stories/{storyId}',
  storyArchive: '/stories/{storyId}/archive/{page}',
  development: '/stories/{storyId}/developments/{eventId}',
  topic: '/topics/{topic}',
  actor: '/actors/{actorId}',
  digests: '/digests/{period}',
  digest: '/digests/{period}/{windowEnd}',
} as const;
export type PageKind = keyof typeof PAGE_PATHS;

const html = ['text/html'];
const pageRoutes: RouteDeclaration[] = [
  { method: 'GET', path: PAGE_PATHS.home, handler: 'pages', auth: false, summary: 'Home page: the stories and their feeds (HTML)', produces: html },
  { method: 'GET', path: PAGE_PATHS.stylesheet, handler: 'pages', auth: false, summary: "The pages' stylesheet", produces: ['text/css'] },
  { method: 'GET', path: PAGE_PATHS.story, handler: 'pages', auth: false, summary: "A story's page: timeline, visits, agreements, actors (HTML)", produces: html },
  {
    method: 'GET',
    path: PAGE_PATHS.storyArchive,
    handler: 'pages',
    auth: false,
    summary: "An archive page of a long story: its developments before the latest, 50 a page, numbered from the first (HTML)",
    produces: html,
  },
  { method: 'GET', path: PAGE_PATHS.development, handler: 'pages', auth: false, summary: "A development's permalink page, the link of its feed items (HTML)", produces: html },
  { method: 'GET', path: PAGE_PATHS.topic, handler: 'pages', auth: false, summary: "A topic's developments (HTML)", produces: html },
  { method: 'GET', path: PAGE_PATHS.digests, handler: 'pages', auth: false, summary: 'The digests of a period (HTML)', produces: html },
];

/** What a person subscribes to besides a feed (functions/handlers/following.ts). */
const followingRoutes: RouteDeclaration[] = [
  { method: 'GET', path: '/stories/{storyId}/visits.ics', handler: 'following', auth: false, summary: "A story's visits as an iCalendar (RFC 5545) to subscribe to", produces: ['text/calendar'] },
  { method: 'GET', path: '/feeds.opml', handler: 'following', auth: false, summary: 'Every feed (stories, topics, actors, digests) once, as OPML 2.0, to subscribe to all at once', produces: ['text/x-opml'] },
  { method: 'GET', path: '/actors/{actorId}/visits.ics', handler: 'following', auth: false, summary: "The visits involving an actor, across stories, as an iCalendar", produces: ['text/calendar'] },
];


const tokenQuery = [{ name: 'token', description: 'the signed token from the e-mail link' }];
const pageOrJson = ['text/html', 'application/json'];

/**
 * Digest subscriptions (functions/handlers/subscriptions.ts): public, but for the counts. Each
 * reads a form or JSON body of at most 8 KiB, and is rate limited per client.
 */
const subscriptionRoutes: RouteDeclaration[] = (
  [
  {
    method: 'POST',
    path: '/subscriptions',
    handler: 'subscriptions',
    auth: false,
    summary: 'Subscribe to digests (JSON, or an HTML form: email, period, stories, topics): 202 whatever the state of the address; a confirmation e-mail follows',
    responseSchema: 'SubscriptionAccepted',
    successStatus: 202,
    produces: pageOrJson,
  },
  { method: 'GET', path: '/subscriptions/counts', handler: 'subscriptions', auth: true, summary: 'Confirmed subscribers per period, story and topic (never addresses)', responseSchema: 'SubscriptionCounts' },
  {
    method: 'GET',
    path: '/subscriptions/confirm',
    handler: 'subscriptions',
    auth: false,
    summary: 'The e-mailed confirmation link: a page with a Confirm button (mail scanners follow links: a GET changes nothing; JSON clients are told to POST)',
    query: tokenQuery,
    responseSchema: 'ConfirmPrompt',
    successStatus: 200,
    produces: pageOrJson,
  },
  { method: 'POST', path: '/subscriptions/confirm', handler: 'subscriptions', auth: false, summary: 'Confirm the sign-up the link names (idempotent)', query: tokenQuery, responseSchema: 'SubscriptionConfirmed', successStatus: 200, produces: pageOrJson },
  { method: 'GET', path: '/subscriptions/cancel', handler: 'subscriptions', auth: false, summary: "The confirmation mail's 'this was not me' link: a page with a button that erases the pending sign-up", query: tokenQuery, responseSchema: 'CancelPrompt', successStatus: 200, produces: pageOrJson },
  { method: 'POST', path: '/subscriptions/cancel', handler: 'subscriptions', auth: false, summary: 'Erase the pending sign-up the confirmation link names', query: tokenQuery, responseSchema: 'SignUpCancelled', successStatus: 200, produces: pageOrJson },
  { method: 'GET', path: '/subscriptions/unsubscribe', handler: 'subscriptions', auth: false, summary: 'A page with an unsubscribe button (mail scanners follow links: a GET changes nothing)', query: tokenQuery, responseSchema: 'UnsubscribePrompt', produces: pageOrJson },
  { method: 'POST', path: '/subscriptions/unsubscribe', handler: 'subscriptions', auth: false, summary: 'Unsubscribe at once, erasing the subscription (RFC 8058 one-click: List-Unsubscribe=One-Click)', query: tokenQuery, responseSchema: 'Unsubscribed', successStatus: 200, produces: pageOrJson },
  { method: 'GET', path: '/subscriptions/preferences', handler: 'subscriptions', auth: false, summary: 'What the subscription covers, with a form to change it', query: tokenQuery, responseSchema: 'SubscriptionPreferencesBody', successStatus: 200, produces: pageOrJson },
  { method: 'POST', path: '/subscriptions/preferences', handler: 'subscriptions', auth: false, summary: 'Change the period, stories and topics followed', query: tokenQuery, responseSchema: 'SubscriptionPreferencesBody', successStatus: 200, produces: pageOrJson },
  { method: 'POST', path: '/subscriptions/sign-out', handler: 'subscriptions', auth: false, summary: 'Sign me out everywhere: every manage link sent so far stops working (the next digest carries new ones)', query: tokenQuery, responseSchema: 'SignedOutEverywhere', successStatus: 200, produces: pageOrJson },
  { method: 'DELETE', path: '/subscriptions', handler: 'subscriptions', auth: false, summary: 'Erase a subscription and everything kept about it (204, no body)', query: tokenQuery, successStatus: 204, produces: [] },
  ] satisfies RouteDeclaration[]
).map((route): RouteDeclaration => ({ ...route, problems: [413, 415, 429] }));
/**
 * The desk, where editors write stories in a browser (functions/handlers/desk.ts). Its pages and forms
 * check the desk's own signed session cookie (and, on every POST, a CSRF token and the Origin), not a
 * bearer token: `auth` stays false at the gateway, and a signed-out visit is sent to sign in.
 */
export const DESK_PATHS = {
  desk: '/desk',
  stories: '/desk/stories',
  signIn: '/desk/sign-in',
  signInLink: '/desk/sign-in/link',
  signInCallback: '/desk/sign-in/callback',
  signOut: '/desk/sign-out',
  story: '/desk/stories/{storyId}',
  revise: '/desk/stories/{storyId}/revise',
  add: '/desk/stories/{storyId}/add/{type}',
  correct: '/desk/stories/{storyId}/developments/{eventId}/correct',
  retract: '/desk/stories/{storyId}/developments/{eventId}/retract',
} as const;
export type DeskPage = keyof typeof DESK_PATHS;

const deskRoute = (method: 'GET' | 'POST', page: DeskPage, summary: string): RouteDeclaration => ({ method, path: DESK_PATHS[page], handler: 'desk', auth: false, summary, produces: html, ...(method === 'POST' ? { successStatus: 200 } : {}) });
const deskRoutes: RouteDeclaration[] = [
  deskRoute('GET', 'desk', 'The desk: the stories, and a form to open one (HTML; signed-out: a redirect to sign in)'),
  deskRoute('POST', 'stories', 'Open a story from the desk (form post; a redirect to its desk)'),
  deskRoute('GET', 'signIn', 'Sign in to the desk: the hosted sign-in of the OIDC provider, or how to get a sign-in link'),
  deskRoute('GET', 'signInLink', 'Redeem a one-time sign-in link (`npx storyline sign-in`): a session cookie and a redirect to the desk'),
  deskRoute('GET', 'signInCallback', 'Where the hosted sign-in returns (authorization code with PKCE): a session cookie and a redirect to the desk'),
  deskRoute('POST', 'signOut', 'Sign out of the desk'),
  deskRoute('GET', 'story', "A story's desk: its developments newest first, each with Correct and Retract; its title, summary and topics to change"),
  deskRoute('POST', 'revise', "Change a story's title, summary or topics (form post)"),
  deskRoute('GET', 'add', 'The form of a development of one event type, built from its schema'),
  deskRoute('POST', 'add', 'Preview or publish a development (form post; publishing redirects to its permalink)'),
  deskRoute('GET', 'correct', 'The form to correct a development'),
  deskRoute('POST', 'correct', 'Preview or publish a correction'),
  deskRoute('GET', 'retract', 'The form to retract a development'),
  deskRoute('POST', 'retract', 'Retract a development'),
];

export const routes: RouteDeclaration[] = [
  ...deskRoutes,
  ...pageRoutes,
  { method: 'GET', path: '/health', handler: 'read-api', auth: false, summary: 'Liveness: {"status":"ok"}', responseSchema: 'Health' },
  { method: 'GET', path: '/stories', handler: 'read-api', auth: false, summary: 'Stories with title, version and updatedAt', responseSchema: 'StoryList' },
  { method: 'PUT', path: '/stories/{storyId}', handler: 'write-api', auth: true, summary: 'Open a story; repeating the same request is a no-op', requestSchema: 'OpenStory', responseSchema: 'AppendResult' },
  {
    method: 'POST',
    path: '/stories/{storyId}/events',
    handler: 'write-api',
    auth: true,
    summary: 'Append developments to a story (optimistic concurrency with expectedVersion; Idempotency-Key header honoured)',
    requestSchema: 'AppendRequest',
    responseSchema: 'AppendResult',
  },
  {
    method: 'GET',
    path: '/stories/{storyId}/events',
    handler: 'read-api',
    auth: false,
    summary: 'The immutable event log of a story, paged',
    query: [
      { name: 'after', description: 'return events with a version greater than this (default 0)' },
      { name: 'limit', description: 'page size, 1-1000 (default 100)' },
    ],
    responseSchema: 'EventPage',
  },
  { method: 'GET', path: '/stories/{storyId}/timeline', handler: 'read-api', auth: false, summary: 'The timeline read model', responseSchema: 'Timeline', query: [{ name: 'asOf', description: 'the story as known at this ISO 8601 instant' }] },
  { method: 'GET', path: '/stories/{storyId}/visits', handler: 'read-api', auth: false, summary: 'Visits and their lifecycle', responseSchema: 'Visits' },
  { method: 'GET', path: '/stories/{storyId}/agreements', handler: 'read-api', auth: false, summary: 'Agreements, pledges, interests and stalled negotiations', responseSchema: 'Agreements' },
  { method: 'GET', path: '/stories/{storyId}/actors', handler: 'read-api', auth: false, summary: 'Actors of a story', responseSchema: 'StoryActors' },
  {
    method: 'GET',
    path: PAGE_PATHS.actor,
    handler: 'read-api',
    auth: false,
    summary: 'An actor across stories: JSON, or its page to a client that prefers text/html',
    responseSchema: 'Actor',
    produces: ['application/json', 'text/html'],
  },
  { method: 'GET', path: '/openapi.json', handler: 'read-api', auth: false, summary: 'This API as OpenAPI 3.1', responseSchema: 'OpenApiDocument' },
  ...feedRoutes('/stories/{storyId}', "A story's developments", 'story'),
  ...feedRoutes('', 'All stories', 'all'),
  ...feedRoutes('/topics/{topic}', 'Developments of a topic', 'topic'),
  ...feedRoutes('/actors/{actorId}', 'Developments involving an actor', 'actor'),
  ...feedRoutes('/digests/{period}', 'The digests of a period (daily, weekly)', 'digest'),
  ...followingRoutes,
  {
    method: 'GET',
    path: PAGE_PATHS.digest,
    handler: 'read-api',
    auth: false,
    summary: 'One digest, by the end of its window (ISO 8601 instant) or its id: JSON, or its page to a client that prefers text/html',
    responseSchema: 'Digest',
    produces: ['application/json', 'text/html'],
  },
  ...subscriptionRoutes,
];

export const routeKey = (route: Pick<RouteDeclaration, 'method' | 'path'>): string => `${route.method} ${route.path}`;
