import { createEventStore, type EventStore } from '../../functions/adapters/event-store';
import { freshTables } from '../support/dynamodb';
import { expectProblem, gatewayEvent, jsonOf, lambdaContext, writerClaims, type GatewayRequest, type HttpLambda } from '../support/gateway-events';
import { development, ids, openStory } from '../support/fixtures';

/**
 * The write handler as API Gateway invokes it: the JWT authorizer has verified the token and
 * passes its claims on; the handler still refuses a request without a subject or the write scope.
 */

let tables: Awaited<ReturnType<typeof freshTables>>;
let store: EventStore;
let handler: HttpLambda;

beforeAll(async () => {
  tables = await freshTables();
  store = createEventStore(tables.client, tables.names.events);
  process.env.EVENTS_TABLE = tables.names.events;
  process.env.READ_MODELS_TABLE = tables.names.readModels;
  ({ handler } = (await import('../../functions/handlers/write-api')) as unknown as { handler: HttpLambda });
});
afterAll(() => tables.drop());

const storyId = 'handler-story';
const openBody = { title: 'A story told to a handler', summary: 'What it is about.', topics: ['diplomacy'] };

const put = (overrides: Partial<GatewayRequest> = {}) =>
  handler(
    gatewayEvent({
      method: 'PUT',
      route: '/stories/{storyId}',
      path: `/stories/${storyId}`,
      pathParameters: { storyId },
      headers: { 'content-type': 'application/json', authorization: 'Bearer verified.by.gateway' },
      body: JSON.stringify(openBody),
      claims: writerClaims(),
      ...overrides,
    }),
    lambdaContext(),
  );

const post = (body: unknown, overrides: Partial<GatewayRequest> = {}) =>
  handler(
    gatewayEvent({
      method: 'POST',
      route: '/stories/{storyId}/events',
      path: `/stories/${storyId}/events`,
      pathParameters: { storyId },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      claims: writerClaims(),
      ...overrides,
    }),
    lambdaContext(),
  );

describe('write-api handler with the claims of a verified token', () => {
  it('opens a story: 201 with the appended event, a location and the request id', async () => {
    const result = await put();
    expect(result.statusCode).toBe(201);
    expect(result.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(result.headers?.['x-request-id']).toMatch(/^req-/);
    expect(result.headers?.location).toBe(`/stories/${storyId}/events?after=0`);
    expect(jsonOf(result)).toEqual({ storyId, version: 1, events: [{ id: expect.any(String), version: 1, type: 'StoryOpened' }] });
  });

  it('answers the same PUT again with 200 and the original result', async () => {
    const result = await put();
    expect(result.statusCode).toBe(200);
    expect(jsonOf(result)).toEqual({ storyId, version: 1, events: [{ id: expect.any(String), version: 1, type: 'StoryOpened' }] });
    expect(await store.headVersion(`story/${storyId}`)).toBe(1);
  });

  it('appends events and records the token subject in their metadata', async () => {
    const actors = openStory.slice(1).map((e) => ({ id: e.id, type: e.type, data: e.data }));
    const result = await post({ expectedVersion: 1, events: actors }, { claims: writerClaims({ sub: 'editor-42' }) });
    expect(result.statusCode).toBe(201);
    expect(jsonOf(result).version).toBe(1 + actors.length);
    const stored = await store.readStream(`story/${storyId}`, { after: 1 });
    expect(stored.map((e) => e.metadata.subject)).toEqual(actors.map(() => 'editor-42'));
    expect(stored.map((e) => e.id)).toEqual(actors.map((a) => a.id));
  });

  it('reads a base64-encoded body, as API Gateway sends some bodies', async () => {
    const body = { events: [{ id: ids.meetingHeld, type: 'MeetingHeld', data: { ...development, meetingId: 'm1', participants: ['russia'], place: 'Moscow', outcome: 'Talks.' } }] };
    const result = await post(undefined, { body: Buffer.from(JSON.stringify(body)).toString('base64'), isBase64Encoded: true });
    expect(result.statusCode).toBe(201);
    expect(jsonOf(result).events).toEqual([{ id: ids.meetingHeld, version: 6, type: 'MeetingHeld' }]);
  });

  it('accepts the write scope among other scopes', async () => {
    const result = await put({ claims: writerClaims({ scope: 'openid storyline/write profile' }) });
    expect(result.statusCode).toBe(200);
  });
});

describe('write-api handler without what a write needs', () => {
  it('is 401 when the claims have no subject', async () => {
    const { sub: _sub, ...claims } = writerClaims();
    const problem = expectProblem(await put({ claims }), 401);
    expect(problem.title).toBe('Unauthorized');
  });

  it('is 401 when no authorizer ran at all', async () => {
    const event = gatewayEvent({ method: 'PUT', route: '/stories/{storyId}', path: `/stories/${storyId}`, pathParameters: { storyId }, headers: { 'content-type': 'application/json' }, body: JSON.stringify(openBody) });
    expectProblem(await handler(event, lambdaContext()), 401);
  });

  it('is 403 when the token has no scope', async () => {
    const { scope: _scope, ...claims } = writerClaims();
    const problem = expectProblem(await put({ claims }), 403);
    expect(problem.detail).toContain('storyline/write');
  });

  it('is 403 when the token has other scopes only', async () => {
    expectProblem(await post({ events: [] }, { claims: writerClaims({ scope: 'storyline/read storyline/writer' }) }), 403);
  });

  it('writes nothing when refused', async () => {
    const before = await store.headVersion(`story/${storyId}`);
    const { sub: _sub, ...claims } = writerClaims();
    await post({ events: [{ type: 'MeetingHeld', data: { ...development, meetingId: 'm2', participants: ['russia'], place: 'Moscow', outcome: 'More talks.' } }] }, { claims });
    expect(await store.headVersion(`story/${storyId}`)).toBe(before);
  });
});

describe('write-api handler with a bad request', () => {
  it('is 400 listing each invalid field', async () => {
    const envelope = expectProblem(await post({ expectedVersion: -1, events: [] }), 400);
    expect((envelope.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['events', 'expectedVersion']);
    const data = expectProblem(await post({ events: [{ type: 'MeetingHeld', data: { ...development, headline: '', meetingId: 'Not A Slug', participants: ['russia'], place: 'Moscow', outcome: 'Talks.' } }] }), 400);
    expect((data.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['events.0.data.headline', 'events.0.data.meetingId']);
  });

  it('is 400 for a body that is not JSON, 415 for another content type, 413 over 64 KiB', async () => {
    expectProblem(await post(undefined, { body: '{"events": [' }), 400);
    expectProblem(await post({ events: [] }, { headers: { 'content-type': 'text/plain' } }), 415);
    expectProblem(await post({ events: [{ type: 'MeetingHeld', data: { summary: 'x'.repeat(65 * 1024) } }] }), 413);
  });

  it('is 400, not 500, for a reportedAt that is not a valid instant', async () => {
    for (const reportedAt of ['garbage', '2012-02-30T00:00:00Z']) {
      const body = { events: [{ type: 'MeetingHeld', reportedAt, data: { ...development, meetingId: 'm3', participants: ['russia'], place: 'Moscow', outcome: 'Talks.' } }] };
      expect(expectProblem(await post(body), 400).errors).toEqual([{ field: 'events.0.reportedAt', message: 'must be an ISO 8601 instant' }]);
    }
  });

  it('is 400, not 500, for a batch that repeats an event id', async () => {
    const data = (meetingId: string) => ({ ...development, meetingId, participants: ['russia'], place: 'Moscow', outcome: 'Talks.' });
    const body = { events: [{ id: ids.agreementSigned, type: 'MeetingHeld', data: data('m4') }, { id: ids.agreementSigned, type: 'MeetingHeld', data: data('m5') }] };
    expect(expectProblem(await post(body), 400).errors).toEqual([{ field: 'events.1.id', message: expect.any(String) }]);
  });

  it('is 400 for a story id that is not a slug', async () => {
    const problem = expectProblem(await put({ path: '/stories/Not_A_Slug', pathParameters: { storyId: 'Not_A_Slug' } }), 400);
    expect(problem.errors).toEqual([{ field: 'storyId', message: expect.any(String) }]);
  });
});
