import { randomUUID } from 'node:crypto';
import { createEventStore, type EventStore } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector, type Projector } from '../../functions/projector';
import { createStoryService } from '../../functions/story-service';
import { freshTables } from '../support/dynamodb';
import { meetingHeld, openStory, storyEvent, storyId } from '../support/fixtures';
import { addClientMiddleware } from '../support/sdk-middleware';
import { expectProblem, gatewayEvent, lambdaContext, type GatewayRequest, type HttpLambda } from '../support/gateway-events';

/**
 * The feed handler serves what the projector prepared, with a strong ETag and Last-Modified, and
 * answers conditional GETs (If-None-Match, If-Modified-Since) with 304.
 */

let tables: Awaited<ReturnType<typeof freshTables>>;
let feeds: HttpLambda;
let events: EventStore;
let projector: Projector;
/** DynamoDB calls made by the feed handler's client. */
let handlerReads = 0;
let uncount = () => {};

beforeAll(async () => {
  tables = await freshTables();
  events = createEventStore(tables.client, tables.names.events);
  projector = createProjector(events, createReadModelStore(tables.client, tables.names.readModels));
  await createStoryService(events).append({ storyId, events: [...openStory, meetingHeld], subject: 'test', correlationId: 'test' });
  await projector.project(await events.readStream(`story/${storyId}`));
  process.env.EVENTS_TABLE = tables.names.events;
  process.env.READ_MODELS_TABLE = tables.names.readModels;
  // the handler builds its client when loaded, and it is the only client that first sends from here on: count what it sends
  uncount = addClientMiddleware({ name: 'countHandlerReads', middleware: (next) => (args) => (handlerReads++, next(args)) });
  ({ handler: feeds } = await import('../../functions/handlers/feeds'));
});
afterAll(async () => {
  uncount();
  await tables.drop();
});

const getFeed = (format: 'rss' | 'atom' | 'json', overrides: Partial<GatewayRequest> = {}) =>
  feeds(
    gatewayEvent({ method: 'GET', route: `/stories/{storyId}/feed.${format}`, path: `/stories/${storyId}/feed.${format}`, pathParameters: { storyId }, ...overrides }),
    lambdaContext(),
  );

describe('feeds handler', () => {
  it.each([
    ['rss', 'application/rss+xml; charset=utf-8'],
    ['atom', 'application/atom+xml; charset=utf-8'],
    ['json', 'application/feed+json; charset=utf-8'],
  ] as const)('serves the %s feed with its validators and cache policy', async (format, type) => {
    const result = await getFeed(format);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe(type);
    expect(result.headers?.etag).toMatch(/^"[^"]+"$/);
    expect(new Date(String(result.headers?.['last-modified'])).toUTCString()).toBe(result.headers?.['last-modified']);
    expect(result.headers?.['cache-control']).toBe('public, max-age=60');
    expect(result.body).toContain('urn:uuid:');
    // the base URL is the request's own
    expect(result.body).toContain(`https://abc123.execute-api.eu-west-1.amazonaws.com/stories/${storyId}/feed.${format}`);
    expect(result.body).not.toContain('storyline-base.invalid');
  });

  it('answers If-None-Match with the current ETag with 304, no body, the same ETag and caching headers, and no other metadata (RFC 9110, 15.4.5)', async () => {
    const first = await getFeed('rss');
    const again = await getFeed('rss', { headers: { 'if-none-match': String(first.headers?.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body ?? '').toBe('');
    expect(again.headers?.etag).toBe(first.headers?.etag);
    expect(again.headers?.['cache-control']).toBe('public, max-age=60');
    expect(again.headers?.vary).toBe('accept-encoding');
    expect(again.headers).not.toHaveProperty('last-modified');
    expect(again.headers).not.toHaveProperty('content-type');
  });

  it('matches If-None-Match lists, weak forms and *', async () => {
    const etag = String((await getFeed('atom')).headers?.etag);
    expect((await getFeed('atom', { headers: { 'if-none-match': `"other", ${etag}` } })).statusCode).toBe(304);
    expect((await getFeed('atom', { headers: { 'if-none-match': `W/${etag}` } })).statusCode).toBe(304);
    expect((await getFeed('atom', { headers: { 'if-none-match': '*' } })).statusCode).toBe(304);
    expect((await getFeed('atom', { headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
  });

  it('answers If-Modified-Since at or after Last-Modified with 304, before it with 200', async () => {
    const lastModified = String((await getFeed('json')).headers?.['last-modified']);
    expect((await getFeed('json', { headers: { 'if-modified-since': lastModified } })).statusCode).toBe(304);
    const later = new Date(Date.parse(lastModified) + 60_000).toUTCString();
    expect((await getFeed('json', { headers: { 'if-modified-since': later } })).statusCode).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    const result = await getFeed('json', { headers: { 'if-modified-since': earlier } });
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('jsonfeed.org/version/1.1');
    expect((await getFeed('json', { headers: { 'if-modified-since': 'not a date' } })).statusCode).toBe(200);
  });

  it('lets If-None-Match win over If-Modified-Since', async () => {
    const first = await getFeed('rss');
    const result = await getFeed('rss', { headers: { 'if-none-match': '"stale"', 'if-modified-since': String(first.headers?.['last-modified']) } });
    expect(result.statusCode).toBe(200);
  });

  it('gives another ETag to the same feed served at another host (its links differ)', async () => {
    const here = await getFeed('rss');
    const there = await getFeed('rss', { headers: { host: 'news.example.org' } });
    expect(there.body).toContain('https://news.example.org/');
    expect(there.headers?.etag).not.toBe(here.headers?.etag);
  });

  it('reads a busy feed from DynamoDB about once a second, in one read that concurrent requests share; a new item shows within about two seconds', async () => {
    let clock = Date.now() + 3_600_000; // an hour on: whatever the handler holds is old
    const now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    const twenty = () => Promise.all(Array.from({ length: 20 }, () => getFeed('rss')));
    const tagsOf = (results: { headers?: Record<string, unknown> }[]) => new Set(results.map((r) => r.headers?.etag));
    try {
      handlerReads = 0;
      const before = await twenty(); // too old to serve: all 20 wait for one read
      const perRead = handlerReads;
      expect(perRead).toBeGreaterThan(0);
      expect(tagsOf(before).size).toBe(1);

      clock += 500;
      await twenty();
      expect(handlerReads).toBe(perRead); // fresh: no read

      const version = await events.headVersion(`story/${storyId}`);
      await createStoryService(events).append({ storyId, events: [storyEvent('MeetingHeld', randomUUID(), { meetingId: 'a-second-meeting', headline: 'A second meeting' })], subject: 'test', correlationId: 'test' });
      await projector.project(await events.readStream(`story/${storyId}`, { after: version }));

      clock += 700; // 1.2 s old: answered from what it holds while one read refreshes it
      const during = await twenty();
      expect(tagsOf(during)).toEqual(tagsOf(before));
      let after = await getFeed('rss');
      for (let i = 0; i < 200 && after.headers?.etag === before[0]?.headers?.etag; i++) {
        await new Promise((r) => setTimeout(r, 10));
        after = await getFeed('rss');
      }
      expect(after.body).toContain('A second meeting');
      expect(handlerReads).toBe(2 * perRead);

      clock += 2500; // older than two seconds: all wait for one read again
      expect(tagsOf(await twenty())).toEqual(tagsOf([after]));
      expect(handlerReads).toBe(3 * perRead);
    } finally {
      now.mockRestore();
    }
  });

  it('is a 404 problem for a feed that does not exist and an archive page beyond the last', async () => {
    expectProblem(await getFeed('rss', { path: '/stories/unknown-story/feed.rss', pathParameters: { storyId: 'unknown-story' } }), 404);
    expectProblem(await getFeed('rss', { query: { page: '1' } }), 404);
  });

  it('is a 400 problem for a page that is not a number', async () => {
    expectProblem(await getFeed('rss', { query: { page: 'two' } }), 400);
  });
});
