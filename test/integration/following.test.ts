import ICAL from 'ical.js';
import { createEventStore, type EventStore } from '../../functions/adapters/event-store';
import { createReadModelStore, type ReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector, type Projector } from '../../functions/projector';
import { rebuildReadModels } from '../../functions/rebuild';
import { createStoryService, type StoryService } from '../../functions/story-service';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { seed } from '../../infra/local/seed';
import { freshTables } from '../support/dynamodb';
import { actorIdentified, storyOpened } from '../support/story-events';
import { expectProblem, gatewayEvent, lambdaContext, type HttpLambda } from '../support/gateway-events';

/**
 * What a person subscribes to, served by the following function from stored read models.
 * visits.ics, written by ical-generator and read back here by a second library (ical.js): one
 * VEVENT per visit with a stable UID, a SEQUENCE that rises with each change, the STATUS of the
 * visit and all-day dates only as precise as the events.
 */

let tables: Awaited<ReturnType<typeof freshTables>>;
let events: EventStore;
let readModels: ReadModelStore;
let projector: Projector;
let service: StoryService;
let following: HttpLambda;

const project = async (storyId: string) => projector.project(await events.readStream(`story/${storyId}`));

beforeAll(async () => {
  tables = await freshTables();
  events = createEventStore(tables.client, tables.names.events);
  readModels = createReadModelStore(tables.client, tables.names.readModels, { generationCacheMs: 0 });
  projector = createProjector(events, readModels);
  service = createStoryService(events);
  const { storyId } = await seed(service);
  await project(storyId);
  process.env.EVENTS_TABLE = tables.names.events;
  process.env.READ_MODELS_TABLE = tables.names.readModels;
  ({ handler: following } = await import('../../functions/handlers/following'));
});
afterAll(() => tables.drop());

const fetchCalendar = async (kind: 'stories' | 'actors', id: string, headers: Record<string, string> = {}) =>
  following(
    gatewayEvent({
      method: 'GET',
      route: `/${kind}/{${kind === 'stories' ? 'storyId' : 'actorId'}}/visits.ics`,
      path: `/${kind}/${id}/visits.ics`,
      pathParameters: { [kind === 'stories' ? 'storyId' : 'actorId']: id },
      headers,
    }),
    lambdaContext(),
  );

interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string;
  summary: string;
  description: string;
  start: string;
  end: string;
  allDay: boolean;
  url: string;
}

const parse = (body: string): ParsedEvent[] => {
  const calendar = new ICAL.Component(ICAL.parse(body));
  return calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: String(vevent.getFirstPropertyValue('status')),
      summary: event.summary,
      description: event.description,
      start: event.startDate.toString(),
      end: event.endDate.toString(),
      allDay: event.startDate.isDate,
      url: String(vevent.getFirstPropertyValue('url')),
    };
  });
};

const visitOf = (parsed: ParsedEvent[], visitId: string) => parsed.find((e) => e.uid.startsWith(`${visitId}.`));

describe('visits.ics of the seed story', () => {
  it('shows Putin’s summit trip cancelled, on 2-3 October (DTEND exclusive: 4 October)', async () => {
    const result = await fetchCalendar('stories', 'russia-pakistan-2012');
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('text/calendar; charset=utf-8');
    const summit = visitOf(parse(result.body ?? ''), 'putin-quadrilateral-summit-islamabad-2012');
    expect(summit).toMatchObject({ status: 'CANCELLED', allDay: true, start: '2012-10-02', end: '2012-10-04' });
    expect(summit?.sequence).toBeGreaterThan(0);
  });

  it('spans the month of a visit known only to the month, and says the day is not known', async () => {
    const parsed = parse((await fetchCalendar('stories', 'russia-pakistan-2012')).body ?? '');
    expect(visitOf(parsed, 'postnikov-pakistan-2011-05')).toMatchObject({ status: 'CONFIRMED', start: '2011-05-01', end: '2011-06-01' });
    expect(visitOf(parsed, 'postnikov-pakistan-2011-05')?.description).toMatch(/day is not known.*May 2011/);
    expect(visitOf(parsed, 'kayani-moscow-2012-10')).toMatchObject({ status: 'CONFIRMED', start: '2012-10-04', end: '2012-10-05' });
    expect(visitOf(parsed, 'kayani-moscow-2012-10')?.description).not.toMatch(/not known/);
  });

  it("links each visit to the permalink page of its latest development, not to JSON", async () => {
    const parsed = parse((await fetchCalendar('stories', 'russia-pakistan-2012')).body ?? '');
    const cancelled = seedStory.events.find((e) => e.type === 'VisitCancelled' && e.data.visitId === 'putin-quadrilateral-summit-islamabad-2012');
    expect(visitOf(parsed, 'putin-quadrilateral-summit-islamabad-2012')?.url).toBe(`https://abc123.execute-api.eu-west-1.amazonaws.com/stories/russia-pakistan-2012/developments/${cancelled?.id}`);
    for (const visit of parsed) expect(visit.url).toMatch(/\/stories\/russia-pakistan-2012\/developments\/[0-9a-f-]{36}$/);
  });

  it('answers a conditional GET with 304', async () => {
    const first = await fetchCalendar('stories', 'russia-pakistan-2012');
    const again = await fetchCalendar('stories', 'russia-pakistan-2012', { 'if-none-match': String(first.headers?.etag) });
    expect(again.statusCode).toBe(304);
  });

  it('lists an actor’s visits across stories: Putin’s cancelled trip', async () => {
    const parsed = parse((await fetchCalendar('actors', 'putin')).body ?? '');
    expect(visitOf(parsed, 'putin-quadrilateral-summit-islamabad-2012')?.status).toBe('CANCELLED');
    expect(visitOf(parsed, 'kayani-moscow-2012-10')).toBeUndefined();
  });

  it('answers 404 for an unknown story and 400 for a bad id', async () => {
    expectProblem(await fetchCalendar('stories', 'no-such-story'), 404);
    expectProblem(await fetchCalendar('stories', 'Not_A_Slug'), 400);
  });
});

describe('feeds.opml', () => {
  it('lists the seed story’s feeds as OPML with absolute URLs of the request, and answers 304', async () => {
    const get = (headers: Record<string, string> = {}) => following(gatewayEvent({ method: 'GET', route: '/feeds.opml', path: '/feeds.opml', headers }), lambdaContext());
    const result = await get();
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('text/x-opml; charset=utf-8');
    expect(result.body).toContain('xmlUrl="https://abc123.execute-api.eu-west-1.amazonaws.com/stories/russia-pakistan-2012/feed.rss"');
    expect(result.body).toContain('/actors/putin/feed.rss');
    expect((await get({ 'if-none-match': String(result.headers?.etag) })).statusCode).toBe(304);
  });
});

describe('visits.ics as a visit changes', () => {
  const storyId = 'calendar-changes';
  const visit = (type: string, data: Record<string, unknown>) => ({
    type,
    data: {
      visitId: 'envoy-visit',
      headline: `${type} envoy visit`,
      summary: 'An envoy visit.',
      occurred: { start: '2012-09', precision: 'month' },
      actors: ['envoy'],
      places: ['Islamabad'],
      topics: ['diplomacy'],
      sources: [{ outlet: 'Test', quote: 'a quote' }],
      confidence: 'reported',
      ...data,
    },
  });

  it('keeps the UID, raises SEQUENCE and turns CANCELLED when cancelled; a rebuild changes neither', async () => {
    await service.append({
      storyId,
      events: [storyOpened(storyId), actorIdentified('envoy'), visit('VisitPlanned', { visitors: ['envoy'], destination: 'Islamabad', scheduled: { start: '2012-11-05', precision: 'day' } })] as never,
      subject: 'test',
      correlationId: 'test',
    });
    await project(storyId);
    const planned = parse((await fetchCalendar('stories', storyId)).body ?? '');
    expect(planned).toEqual([expect.objectContaining({ status: 'TENTATIVE', sequence: 0, start: '2012-11-05', end: '2012-11-06' })]);

    await service.append({ storyId, events: [visit('VisitRescheduled', { scheduled: { start: '2012-11-12', end: '2012-11-13', precision: 'day' } })] as never, subject: 'test', correlationId: 'test' });
    await project(storyId);
    const moved = parse((await fetchCalendar('stories', storyId)).body ?? '');
    expect(moved).toEqual([expect.objectContaining({ uid: planned[0]?.uid, status: 'TENTATIVE', sequence: 1, start: '2012-11-12', end: '2012-11-14' })]);

    await service.append({ storyId, events: [visit('VisitCancelled', { reason: 'security' })] as never, subject: 'test', correlationId: 'test' });
    await project(storyId);
    const cancelled = parse((await fetchCalendar('stories', storyId)).body ?? '');
    expect(cancelled).toEqual([expect.objectContaining({ uid: planned[0]?.uid, status: 'CANCELLED', sequence: 2 })]);
    expect(cancelled[0]?.description).toContain('security');

    await rebuildReadModels({ events, readModels, projector });
    expect(parse((await fetchCalendar('stories', storyId)).body ?? '')).toEqual(cancelled);
  });
});
