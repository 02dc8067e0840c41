import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import Ajv2020 from 'ajv/dist/2020';
import * as z from 'zod/mini';
import { routes } from '../../contracts/routes';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { storyStreamId } from '../../events/streams';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { toEventItem } from '../../functions/adapters/event-items';
import { Actor, StoryActors } from '../../events/projections/actors-schema';
import { AgreementsByStatus } from '../../events/projections/agreements-schema';
import { Digest } from '../../events/projections/digests-schema';
import { StoryList } from '../../events/projections/stories-schema';
import { Timeline } from '../../events/projections/timeline-schema';
import { Visits } from '../../events/projections/visits-schema';
import { schemas } from '../../functions/http/schemas';
import { loadDigestHandler } from '../../infra/local/handlers';
import { apiClient, developmentData, openStoryWithActors, type ApiClient } from '../support/api';
import { captureLogs, type CapturedLogs } from '../support/logs';
import { openApiMismatches } from '../support/openapi-check';
import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';

/**
 * /openapi.json says what the API answers: every JSON route declares its response schema, and the
 * responses of the seed story and of a story holding an event this version cannot read validate
 * against the document (as every response of the e2e suite does, through test/support/api.ts).
 */

let app: RunningStoryline;
let api: ApiClient;
const storyId = 'e2e-openapi-unreadable';
let unreadableId: string;
let logs: CapturedLogs;

beforeAll(async () => {
  app = await startStoryline();
  logs = captureLogs();
  api = apiClient(app);
  const version = await openStoryWithActors(api, storyId);
  // an event of a type no codec knows (as a newer writer would store it), put around the event store
  unreadableId = randomUUID();
  const client = createDynamoClient({ endpoint: app.runtime.config.dynamodbEndpoint });
  const item = toEventItem({
    streamId: storyStreamId(storyId),
    version: version + 1,
    id: unreadableId,
    type: 'MartiansLanded',
    data: { where: 'Islamabad' },
    schemaVersion: 1,
    recordedAt: new Date().toISOString(),
    reportedAt: new Date().toISOString(),
    metadata: { subject: 'e2e-editor', correlationId: 'around-the-store' },
  });
  await client.send(new PutItemCommand({ TableName: app.runtime.config.tables.events, Item: item, ConditionExpression: 'attribute_not_exists(streamId)' }));
  client.destroy();
  await eventually(async () => (await api.get(`/stories/${storyId}/timeline`)).json?.passedOver?.length === 1, { timeoutMs: 20_000 });
});
afterAll(async () => {
  logs?.restore();
  await app?.stop();
});

test('every route that answers JSON names a response schema the document holds', () => {
  const json = routes.filter((r) => !r.produces || r.produces.includes('application/json'));
  expect(json.filter((r) => !r.responseSchema || !(r.responseSchema in schemas)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
});

test.each([
  '/health',
  '/stories',
  '/openapi.json',
  `/stories/${seedStory.storyId}/events?limit=1000`,
  `/stories/${seedStory.storyId}/timeline`,
  `/stories/${seedStory.storyId}/timeline?asOf=2000-01-01T00:00:00Z`,
  `/stories/${seedStory.storyId}/visits`,
  `/stories/${seedStory.storyId}/agreements`,
  `/stories/${seedStory.storyId}/actors`,
  '/actors/kayani',
  `/stories/${seedStory.storyId}/feed.json`,
])('the seed story: GET %s answers 200 as the document says', async (path) => {
  // api.get checks the response against the document and throws on a mismatch
  expect((await api.get(path)).status).toBe(200);
});

test('a story with an unreadable event: its log and read models answer as the document says', async () => {
  const log = await api.get(`/stories/${storyId}/events`);
  expect(log.json.events).toContainEqual({ version: expect.any(Number), id: unreadableId, type: 'MartiansLanded', recordedAt: expect.any(String), unreadable: expect.any(String) });
  const timeline = await api.get(`/stories/${storyId}/timeline`);
  expect(timeline.json.passedOver).toEqual([expect.objectContaining({ id: unreadableId, type: 'MartiansLanded' })]);
  expect((await api.get(`/stories/${storyId}/actors`)).status).toBe(200);
  // a story without visits has no visits document yet: a 404 problem, as declared
  expect((await api.get(`/stories/${storyId}/visits`)).status).toBe(404);
  // appends to a story that cannot be read answer 500, with a problem the document declares
  const refused = await api.append(storyId, { events: [{ type: 'MeetingHeld', data: developmentData('After the martians', { meetingId: 'after', participants: ['russia'], place: 'Moscow', outcome: 'Talks.' }) }] });
  expect(refused.status).toBe(500);
  // both are logged, once each, with what an operator needs
  expect(logs.withMessage('unreadable event passed over')).toEqual([expect.objectContaining({ level: 'ERROR', eventId: unreadableId, type: 'MartiansLanded' })]);
  expect(logs.lines.filter((line) => line.level === 'ERROR' && JSON.stringify(line).includes(refused.json.requestId))).toHaveLength(1);
});

test('the check is not vacuous: a body, status or content type the document does not declare is reported', () => {
  const path = `/stories/${storyId}/events`;
  expect(openApiMismatches('GET', path, 200, 'application/json', JSON.stringify({ storyId, events: [{ version: 1, id: unreadableId, type: 'X' }] }))).not.toEqual([]);
  expect(openApiMismatches('GET', path, 200, 'application/json', JSON.stringify({ storyId, events: [], extra: 1 }))).not.toEqual([]);
  expect(openApiMismatches('GET', path, 418, 'application/json', '{}')).not.toEqual([]);
  expect(openApiMismatches('GET', path, 200, 'text/plain', 'hello')).not.toEqual([]);
  expect(openApiMismatches('GET', path, 200, 'application/json', JSON.stringify({ storyId, events: [] }))).toEqual([]);
});

/** The read models the API serves, each by its projection's own schema (events/projections/*-schema.ts), with a path that answers it. */
const readModelRoutes: [route: string, schema: z.ZodMiniType, path: string][] = [
  ['/stories', StoryList, '/stories'],
  ['/stories/{storyId}/timeline', Timeline, `/stories/${seedStory.storyId}/timeline`],
  ['/stories/{storyId}/visits', Visits, `/stories/${seedStory.storyId}/visits`],
  ['/stories/{storyId}/agreements', AgreementsByStatus, `/stories/${seedStory.storyId}/agreements`],
  ['/stories/{storyId}/actors', StoryActors, `/stories/${seedStory.storyId}/actors`],
  ['/actors/{actorId}', Actor, '/actors/kayani'],
  ['/digests/{period}/{windowEnd}', Digest, '/digests/weekly/2012-10-08T06:00:00Z'],
];

describe('the read models in the document are their projections\' schemas', () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const derived = (schema: z.ZodMiniType) => {
    const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
    return json;
  };
  let served: { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> } }>; components: { schemas: Record<string, unknown> } };
  beforeAll(async () => {
    served = (await api.get('/openapi.json')).json;
    // a digest to read: the weekly one of the seed story's first October week
    const digest = await loadDigestHandler();
    await digest({ period: 'weekly', scheduledTime: '2012-10-08T06:00:00Z' });
  });

  test.each(readModelRoutes)('GET %s: the response schema is the JSON Schema of the read model, and what the host answers validates against it', async (route, schema, path) => {
    const ref = served.paths[route]?.get.responses['200']?.content['application/json']?.schema.$ref ?? '';
    const component = served.components.schemas[ref.replace('#/components/schemas/', '')];
    expect(component).toEqual(derived(schema));
    const response = await eventually(async () => {
      const res = await api.get(path);
      return res.status === 200 ? res : undefined;
    }, { timeoutMs: 20_000 });
    const validate = ajv.compile(derived(schema));
    expect(validate(response.json) ? [] : validate.errors).toEqual([]);
  });

  test('a response the read model does not allow fails the derived schema', () => {
    const validate = ajv.compile(derived(Timeline));
    expect(validate({ storyId: seedStory.storyId, title: '', summary: '', topics: [], actors: [], entries: [{ id: 'not an event id' }], version: 0, updatedAt: '' })).toBe(false);
  });
});
