import { createEventStore, type EventStore } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector, type Projector } from '../../functions/projector';
import { createStoryService, type StoryService } from '../../functions/story-service';
import { freshTables } from '../support/dynamodb';
import { createFeedAsOf } from '../../functions/feeds-as-of';
import { agreementSigned, developmentCorrected, meetingHeld, openStory, storyId } from '../support/fixtures';
import { expectProblem, gatewayEvent, lambdaContext, type HttpLambda } from '../support/gateway-events';

/**
 * `?asOf=` on a story's feeds: the feed as recorded at an instant, from the stored timeline, with
 * Memento-Datetime and a Link to the original (current) feed.
 */

let tables: Awaited<ReturnType<typeof freshTables>>;
let events: EventStore;
let projector: Projector;
let readModels: ReturnType<typeof createReadModelStore>;
let service: StoryService;
let feeds: HttpLambda;
/** When the development and its correction were recorded. */
let developmentAt: string;
let openedAt: string;

const append = async (batch: unknown[]) => {
  await service.append({ storyId, events: batch as never, subject: 'test', correlationId: 'test' });
  await projector.project(await events.readStream(`story/${storyId}`));
  const log = await events.readRecords(`story/${storyId}`, { after: 0, limit: 100 });
  return log[log.length - 1]!.recordedAt;
};

/** A bounded wait until the server clock has passed an instant, so the next append is recorded after it. */
const after = async (instant: string) => {
  for (let i = 0; i < 100 && Date.now() <= Date.parse(instant); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

beforeAll(async () => {
  tables = await freshTables();
  events = createEventStore(tables.client, tables.names.events);
  readModels = createReadModelStore(tables.client, tables.names.readModels);
  projector = createProjector(events, readModels);
  service = createStoryService(events);
  openedAt = await append(openStory);
  await after(openedAt);
  developmentAt = await append([meetingHeld]);
  await after(developmentAt);
  await append([developmentCorrected]);
  process.env.EVENTS_TABLE = tables.names.events;
  process.env.READ_MODELS_TABLE = tables.names.readModels;
  ({ handler: feeds } = await import('../../functions/handlers/feeds'));
});
afterAll(() => tables.drop());

const getFeed = (format: 'rss' | 'atom' | 'json', query: Record<string, string> = {}, route = `/stories/{storyId}/feed.${format}`) =>
  feeds(
    gatewayEvent({ method: 'GET', route, path: route.replace('{storyId}', storyId).replace('{topic}', 'diplomacy'), pathParameters: { storyId, topic: 'diplomacy' }, query }),
    lambdaContext(),
  );

describe('a story feed as known at an instant', () => {
  it.each(['rss', 'atom', 'json'] as const)('shows the original text between the development and its correction, the current feed the corrected one (%s)', async (format) => {
    const then = await getFeed(format, { asOf: developmentAt });
    expect(then.statusCode).toBe(200);
    expect(then.body).toContain('A development');
    expect(then.body).not.toContain('A corrected headline');
    expect(then.headers?.['memento-datetime']).toBe(new Date(developmentAt).toUTCString());
    expect(then.headers?.link).toContain(`/stories/${storyId}/feed.${format}>; rel="original"`);
    expect(then.headers?.etag).toMatch(/^"[^"]+"$/);

    const now = await getFeed(format);
    expect(now.body).toContain('A corrected headline');
    expect(now.headers?.['memento-datetime']).toBeUndefined();
  });

  it('shows no development before it was recorded', async () => {
    const opened = await getFeed('json', { asOf: openedAt });
    expect(JSON.parse(opened.body ?? '{}').items).toEqual([]);
  });

  it('answers 304 to a conditional GET of the same instant', async () => {
    const first = await getFeed('atom', { asOf: developmentAt });
    const again = await feeds(
      gatewayEvent({ method: 'GET', route: '/stories/{storyId}/feed.atom', path: `/stories/${storyId}/feed.atom`, pathParameters: { storyId }, query: { asOf: developmentAt }, headers: { 'if-none-match': String(first.headers?.etag) } }),
      lambdaContext(),
    );
    expect(again.statusCode).toBe(304);
  });

  it('is a 404 problem before the story was recorded, a 400 in the future, unparseable, or on another feed', async () => {
    expectProblem(await getFeed('rss', { asOf: '2000-01-01T00:00:00Z' }), 404);
    expectProblem(await getFeed('rss', { asOf: new Date(Date.now() + 3_600_000).toISOString() }), 400);
    expectProblem(await getFeed('rss', { asOf: 'yesterday' }), 400);
    expectProblem(await getFeed('rss', { asOf: developmentAt }, '/topics/{topic}/feed.rss'), 400);
  });
});

describe('when a memento is immutable', () => {
  it('only once projection has passed its instant: an hour-old instant is not settled while nothing recorded after it is projected', async () => {
    const lastRecorded = (await events.readRecords(`story/${storyId}`, { after: 0, limit: 100 })).at(-1)!.recordedAt;
    await after(lastRecorded);
    const instant = new Date().toISOString();
    // by the clock the instant is an hour old; projection has applied nothing recorded after it
    const asOf = createFeedAsOf(readModels, () => new Date(Date.parse(instant) + 3600_000));
    const ask = () => asOf(gatewayEvent({ method: 'GET', route: '/stories/{storyId}/feed.rss', path: `/stories/${storyId}/feed.rss`, pathParameters: { storyId }, query: { asOf: instant } }), storyId, 'rss', instant);

    expect((await ask()).headers?.['cache-control']).toBe('public, max-age=60');
    await after(instant);
    await service.append({ storyId, events: [agreementSigned] as never, subject: 'test', correlationId: 'test' });
    // recorded after the instant but not projected yet: still not settled
    expect((await ask()).headers?.['cache-control']).toBe('public, max-age=60');
    await projector.project(await events.readStream(`story/${storyId}`));
    const settled = await ask();
    expect(settled.headers?.['cache-control']).toBe('public, max-age=86400, immutable');
    expect(settled.body).not.toContain(String((agreementSigned as { data: { headline: string } }).data.headline));
  });
});
