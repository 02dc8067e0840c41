import { randomUUID } from 'node:crypto';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { toEventItem } from '../../functions/adapters/event-items';
import { freshTables } from '../support/dynamodb';
import { expectProblem, gatewayEvent, jsonOf, lambdaContext, type HttpLambda } from '../support/gateway-events';

/** The public read handler and the `$default` route's handler, invoked with API Gateway v2 events. */

let tables: Awaited<ReturnType<typeof freshTables>>;
let readApi: HttpLambda;
let notFound: HttpLambda;

beforeAll(async () => {
  tables = await freshTables();
  process.env.EVENTS_TABLE = tables.names.events;
  process.env.READ_MODELS_TABLE = tables.names.readModels;
  ({ handler: readApi } = await import('../../functions/handlers/read-api'));
  ({ handler: notFound } = await import('../../functions/handlers/not-found'));
});
afterAll(() => tables.drop());

describe('read-api handler', () => {
  it('answers GET /health with {"status":"ok"} as JSON, carrying the request id', async () => {
    const event = gatewayEvent({ method: 'GET', route: '/health', path: '/health' });
    const result = await readApi(event, lambdaContext());
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(result.headers?.['x-request-id']).toBe(event.requestContext.requestId);
    expect(jsonOf(result)).toEqual({ status: 'ok' });
  });

  it('answers an empty story list before anything is projected', async () => {
    const result = await readApi(gatewayEvent({ method: 'GET', route: '/stories', path: '/stories' }), lambdaContext());
    expect(result.statusCode).toBe(200);
    expect(jsonOf(result)).toEqual({ stories: [] });
  });

  it('is 404 with a problem document for a story that has no timeline', async () => {
    const result = await readApi(gatewayEvent({ method: 'GET', route: '/stories/{storyId}/timeline', path: '/stories/nothing-here/timeline', pathParameters: { storyId: 'nothing-here' } }), lambdaContext());
    expectProblem(result, 404);
  });

  it('is 400 for a limit that is not a number', async () => {
    const result = await readApi(
      gatewayEvent({ method: 'GET', route: '/stories/{storyId}/events', path: '/stories/s/events', pathParameters: { storyId: 's' }, query: { limit: 'ten' } }),
      lambdaContext(),
    );
    expect(expectProblem(result, 400).errors).toEqual([{ field: 'limit', message: expect.any(String) }]);
  });

  it('pages the event log, clamping limit to 1000', async () => {
    // written item by item (an event store append is a 100-item transaction, slow on DynamoDB Local); the reads are what is tested
    const items = Array.from({ length: 1005 }, (_, i) =>
      toEventItem({
        streamId: 'story/a-long-story',
        version: i + 1,
        id: randomUUID(),
        type: 'ActorIdentified',
        schemaVersion: 1,
        data: { actorId: `actor-${i}`, name: `Actor ${i}`, aliases: [], kind: 'person' },
        recordedAt: '2026-05-04T10:00:00.000Z',
        reportedAt: '2026-05-04T10:00:00.000Z',
        metadata: { subject: 'test', correlationId: 'test' },
      }),
    );
    const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, b) => items.slice(b * 25, b * 25 + 25));
    await Promise.all(batches.map((batch) => tables.client.send(new BatchWriteItemCommand({ RequestItems: { [tables.names.events]: batch.map((Item) => ({ PutRequest: { Item } })) } }))));
    const page = (query: Record<string, string>) =>
      readApi(gatewayEvent({ method: 'GET', route: '/stories/{storyId}/events', path: '/stories/a-long-story/events', pathParameters: { storyId: 'a-long-story' }, query }), lambdaContext());
    const first = jsonOf(await page({ limit: '5000' }));
    expect(first.events).toHaveLength(1000);
    expect(first.events[999].version).toBe(1000);
    expect(first.next).toBe('/stories/a-long-story/events?after=1000&limit=1000');
    const rest = jsonOf(await page({ after: '1000', limit: '1000' }));
    expect(rest.events.map((e: { version: number }) => e.version)).toEqual([1001, 1002, 1003, 1004, 1005]);
    expect(rest.next).toBeUndefined();
    const fallback = jsonOf(await page({}));
    expect(fallback.events).toHaveLength(100);
    expect(fallback.next).toBe('/stories/a-long-story/events?after=100&limit=100');
  });

  it('shows an event it cannot read in the log, in its place, with the reason instead of its data', async () => {
    const item = (version: number, type: string, data: unknown) =>
      toEventItem({ streamId: 'story/with-martians', version, id: randomUUID(), type, schemaVersion: 1, data, recordedAt: '2026-05-04T10:00:00.000Z', reportedAt: '2026-05-04T10:00:00.000Z', metadata: { subject: 'test', correlationId: 'test' } });
    const items = [item(1, 'ActorIdentified', { actorId: 'putin', name: 'Putin', aliases: [], kind: 'person' }), item(2, 'MartiansLanded', { where: 'Islamabad' }), item(3, 'ActorIdentified', { actorId: 'lavrov', name: 'Lavrov', aliases: [], kind: 'person' })];
    await tables.client.send(new BatchWriteItemCommand({ RequestItems: { [tables.names.events]: items.map((Item) => ({ PutRequest: { Item } })) } }));
    const result = await readApi(gatewayEvent({ method: 'GET', route: '/stories/{storyId}/events', path: '/stories/with-martians/events', pathParameters: { storyId: 'with-martians' } }), lambdaContext());
    expect(result.statusCode).toBe(200);
    const { events } = jsonOf(result);
    expect(events.map((e: { version: number; type: string }) => [e.version, e.type])).toEqual([[1, 'ActorIdentified'], [2, 'MartiansLanded'], [3, 'ActorIdentified']]);
    expect(events[1]).toEqual({ version: 2, id: items[1]?.eventId?.S, type: 'MartiansLanded', recordedAt: '2026-05-04T10:00:00.000Z', unreadable: expect.stringContaining('MartiansLanded') });
    expect(events[2].data).toEqual({ actorId: 'lavrov', name: 'Lavrov', aliases: [], kind: 'person' });
  });

  it('is a 404 problem for a route key it does not serve', async () => {
    expectProblem(await readApi(gatewayEvent({ method: 'DELETE', route: '/health', path: '/health' }), lambdaContext()), 404);
  });
});

describe('not-found handler ($default route)', () => {
  it('is 404 for a path no route serves', async () => {
    const problem = expectProblem(await notFound(gatewayEvent({ method: 'GET', route: '$default', path: '/no/such/thing' }), lambdaContext()), 404);
    expect(problem.detail).toContain('/no/such/thing');
  });

  it('is 405 with Allow for a known path and another method', async () => {
    const result = await notFound(gatewayEvent({ method: 'DELETE', route: '$default', path: '/stories/some-story' }), lambdaContext());
    expectProblem(result, 405);
    expect(result.headers?.allow).toBe('GET, PUT');
  });

  it('lists every method a path has in Allow', async () => {
    const result = await notFound(gatewayEvent({ method: 'PATCH', route: '$default', path: '/stories/some-story/events' }), lambdaContext());
    expectProblem(result, 405);
    expect(String(result.headers?.allow).split(', ').sort()).toEqual(['GET', 'POST']);
  });

  it('is 405 for POST on a feed', async () => {
    const result = await notFound(gatewayEvent({ method: 'POST', route: '$default', path: '/feed.rss' }), lambdaContext());
    expectProblem(result, 405);
    expect(result.headers?.allow).toBe('GET');
  });
});
