import { digestIdOf } from '../../events/digest/compose';
import { MAX_FEED_ENTRIES, digestFeedKey, type FeedModel } from '../../events/projections';
import { createEventStore } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { freshTables } from '../support/dynamodb';
import { jsonOf, gatewayEvent, lambdaContext, expectProblem, type HttpLambda } from '../support/gateway-events';
import { digestEvent } from '../support/projection-fixtures';

/**
 * Every published digest keeps its page (issue 11, item 4): the digest feed holds the newest
 * MAX_FEED_ENTRIES digests, but a digest older than that is still served at /digests/{period}/{windowEnd}.
 */

let tables: Awaited<ReturnType<typeof freshTables>>;
let readApi: HttpLambda;
let pages: HttpLambda;

/** Daily digests 1..count, each with the id the digest function gives it: from its period and window end. */
const dailyDigests = (count: number) =>
  Array.from({ length: count }, (_, i) => {
    const event = digestEvent('daily', i + 1);
    if (event.type !== 'DigestPublished') throw new Error('not a digest');
    const { window } = event.data;
    const content = { title: `The daily digest ${i + 1}`, summary: 'Nothing new.', period: 'daily', window, stories: [], changes: [], counts: { stories: 0, developments: 0, reportedEarlier: 0, corrections: 0, retractions: 0 }, sections: [] };
    return { ...event, data: { ...event.data, digestId: digestIdOf('daily', window.end), content } };
  });

const digests = dailyDigests(MAX_FEED_ENTRIES + 1);
const getDigest = (windowEnd: string, headers: Record<string, string> = {}) =>
  readApi(gatewayEvent({ method: 'GET', route: '/digests/{period}/{windowEnd}', path: `/digests/daily/${windowEnd}`, pathParameters: { period: 'daily', windowEnd }, headers }), lambdaContext());

beforeAll(async () => {
  tables = await freshTables();
  const readModels = createReadModelStore(tables.client, tables.names.readModels);
  // the projector as the projector function runs it: read models, then the pages
  await createProjector(createEventStore(tables.client, tables.names.events), readModels).project(digests);
  process.env.EVENTS_TABLE = tables.names.events;
  process.env.READ_MODELS_TABLE = tables.names.readModels;
  ({ handler: readApi } = await import('../../functions/handlers/read-api'));
  ({ handler: pages } = await import('../../functions/handlers/pages'));
  // the premise: the oldest digest has dropped out of its feed
  const feed = await readModels.get<FeedModel>(digestFeedKey('daily'));
  expect(feed?.value.entries.map((e) => e.id)).not.toContain(digests[0]?.id);
});
afterAll(() => tables.drop());

describe('a digest older than the newest digests its feed keeps', () => {
  const oldest = digests[0]!;

  it('is served as JSON by the end of its window', async () => {
    const result = await getDigest(oldest.data.window.end);
    expect(result.statusCode).toBe(200);
    expect(jsonOf(result)).toMatchObject({ digestId: oldest.data.digestId, eventId: oldest.id, title: 'The daily digest 1' });
  });

  it('is served as HTML by its id', async () => {
    const result = await getDigest(oldest.data.digestId, { accept: 'text/html' });
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(result.body).toContain('The daily digest 1');
  });

  it('is told apart from a digest that was never published (404)', async () => {
    expectProblem(await getDigest('1969-12-31T00:00:00.000Z'), 404);
  });
});

describe('the page of the daily digests', () => {
  it('lists the latest 50, newest first, each linked to its page', async () => {
    const result = await pages(gatewayEvent({ method: 'GET', route: '/digests/{period}', path: '/digests/daily', pathParameters: { period: 'daily' }, headers: { accept: 'text/html' } }), lambdaContext());
    expect(result.statusCode).toBe(200);
    const listed = [...(result.body ?? '').matchAll(/>The daily digest (\d+)<\/a>/g)].map((m) => Number(m[1]));
    expect(listed).toEqual(Array.from({ length: 50 }, (_, i) => digests.length - i));
    expect(result.body).toContain(`href="/digests/daily/${digests.at(-1)!.data.digestId}"`);
  });
});
