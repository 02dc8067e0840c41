import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { routes } from '../../contracts/routes';
import { apiClient, developmentData, meeting, openStoryWithActors, type ApiClient, type ApiResponse } from '../support/api';
import { eventually, LOCAL_AUDIENCE, LOCAL_ISSUER, signToken, startStoryline, type RunningStoryline } from '../support/runtime';

/**
 * The HTTP API over real HTTP against the local runtime (DynamoDB Local, stream runner, host):
 * writes, their answers when repeated or conflicting, and a problem document for every bad request.
 */

/** Appended events reach the read models through the stream runner: on a loaded machine that can take a while. */
const PATIENCE = { timeoutMs: 30_000 };

let app: RunningStoryline;
let api: ApiClient;
beforeAll(async () => {
  app = await startStoryline();
  api = apiClient(app);
});
afterAll(() => app.stop());

const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}) => ({ sub: 'e2e-editor', scope: 'storyline/write', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: now(), exp: now() + 600, ...overrides });

/** An RFC 9457 problem document of this status, with no trace of the server's internals. */
const expectProblem = (res: ApiResponse, status: number): Record<string, any> => {
  expect({ status: res.status, body: res.json }).toEqual({ status, body: expect.anything() });
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json).toEqual(expect.objectContaining({ type: expect.stringMatching(/^tag:storyline,2026:problems\/[a-z0-9-]+$/), title: expect.any(String), status, detail: expect.any(String) }));
  expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(res.text).not.toMatch(/node_modules|\/work\/|stack/i);
  expect(res.headers.get('x-request-id')).toBeTruthy();
  return res.json;
};

describe('opening a story and appending to it', () => {
  const storyId = 'e2e-writes';

  it('opens a story with PUT: 201, and 200 with the original result when repeated', async () => {
    const body = { title: 'Writes over HTTP', summary: 'A story for the write tests.', topics: ['diplomacy'] };
    const first = await api.openStory(storyId, body);
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ storyId, version: 1, events: [{ id: expect.any(String), version: 1, type: 'StoryOpened' }] });
    const again = await api.openStory(storyId, body);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(await api.log(storyId)).toHaveLength(1);
  });

  it('refuses to open the same story with another title: 422 naming the rule', async () => {
    const res = await api.openStory(storyId, { title: 'Another title', summary: 'x', topics: [] });
    expect(expectProblem(res, 422).rule).toBe('story-already-opened');
  });

  it('appends events: 201 with their ids and versions', async () => {
    const res = await api.append(storyId, { expectedVersion: 1, events: [{ type: 'ActorIdentified', data: { actorId: 'russia', name: 'Russia', aliases: [], kind: 'country' } }, { type: 'ActorIdentified', data: { actorId: 'pakistan', name: 'Pakistan', aliases: [], kind: 'country' } }] });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      storyId,
      version: 3,
      events: [
        { id: expect.any(String), version: 2, type: 'ActorIdentified' },
        { id: expect.any(String), version: 3, type: 'ActorIdentified' },
      ],
    });
  });

  it('answers a re-sent request with the same event ids with 200 and the original result, writing nothing', async () => {
    const id = randomUUID();
    const body = { expectedVersion: (await api.log(storyId)).length, events: [{ id, ...meeting('Re-sent with its id') }] };
    const first = await api.append(storyId, body);
    expect(first.status).toBe(201);
    const before = await api.log(storyId);
    const again = await api.append(storyId, body);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(await api.log(storyId)).toEqual(before);
  });

  it('answers a re-sent request with the same Idempotency-Key and body with 200 and the original result, writing nothing', async () => {
    const key = `key-${randomUUID()}`;
    // with an expected version that the first send makes stale: the re-send is still the same request
    const body = { expectedVersion: (await api.log(storyId)).length, events: [meeting('Sent with an idempotency key'), meeting('Its companion')] };
    const first = await api.append(storyId, body, { headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const before = await api.log(storyId);
    expect(before.slice(-2).map((e) => e.metadata.idempotencyKey)).toEqual([key, key]);
    const again = await api.append(storyId, body, { headers: { 'idempotency-key': key } });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(await api.log(storyId)).toEqual(before);
  });

  it('answers re-sent requests with their original result after the story moved on', async () => {
    const key = `key-${randomUUID()}`;
    const id = randomUUID();
    const keyed = { events: [meeting('Keyed, re-sent much later')] };
    const withId = { events: [{ id, ...meeting('With an id, re-sent much later') }] };
    const firstKeyed = await api.append(storyId, keyed, { headers: { 'idempotency-key': key } });
    const firstWithId = await api.append(storyId, withId);
    expect((await api.append(storyId, { events: [meeting('Meanwhile'), meeting('And more')] })).status).toBe(201);
    const before = await api.log(storyId);
    const againKeyed = await api.append(storyId, keyed, { headers: { 'idempotency-key': key } });
    const againWithId = await api.append(storyId, withId);
    expect([againKeyed.status, againKeyed.json]).toEqual([200, firstKeyed.json]);
    expect([againWithId.status, againWithId.json]).toEqual([200, firstWithId.json]);
    // the PUT that opened the story: a no-op answered with its original result (version 1)
    const reopened = await api.openStory(storyId, { title: 'Writes over HTTP', summary: 'A story for the write tests.', topics: ['diplomacy'] });
    expect([reopened.status, reopened.json]).toEqual([200, { storyId, version: 1, events: [{ id: before[0].id, version: 1, type: 'StoryOpened' }] }]);
    expect(await api.log(storyId)).toEqual(before);
  });

  it('answers 10 identical requests sent at once (same key, same expected version) with one 201 and nine 200s, all with one result', async () => {
    const key = `key-${randomUUID()}`;
    const body = { expectedVersion: (await api.log(storyId)).length, events: [meeting('Sent ten times at once')] };
    const results = await Promise.all(Array.from({ length: 10 }, () => api.append(storyId, body, { headers: { 'idempotency-key': key } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    for (const res of results) expect(res.json).toEqual(results[0]?.json);
    expect(await api.log(storyId)).toHaveLength(body.expectedVersion + 1);
  });

  it('refuses the same Idempotency-Key with another body: 422, writing nothing', async () => {
    const key = `key-${randomUUID()}`;
    expect((await api.append(storyId, { events: [meeting('The first use of a key')] }, { headers: { 'idempotency-key': key } })).status).toBe(201);
    const before = await api.log(storyId);
    const res = await api.append(storyId, { events: [meeting('Another body, same key')] }, { headers: { 'idempotency-key': key } });
    expectProblem(res, 422);
    expect(await api.log(storyId)).toEqual(before);
  });

  it('refuses a stale expectedVersion: 409 with the current version', async () => {
    const log = await api.log(storyId);
    const res = await api.append(storyId, { expectedVersion: 1, events: [meeting('Too late')] });
    expect(expectProblem(res, 409).currentVersion).toBe(log.length);
    expect(await api.log(storyId)).toHaveLength(log.length);
  });

  it('refuses to cancel a visit that was never planned: 422 naming the rule', async () => {
    const res = await api.append(storyId, { events: [{ type: 'VisitCancelled', data: developmentData('A visit is off', { visitId: 'no-such-visit' }) }] });
    const problem = expectProblem(res, 422);
    expect(problem.rule).toBe('visit-must-be-planned');
    expect(problem.detail).toContain('no-such-visit');
  });

  it('refuses to correct an event the story does not have: 422 naming the rule', async () => {
    const unknown = randomUUID();
    const res = await api.append(storyId, { events: [{ type: 'DevelopmentCorrected', data: { eventId: unknown, changes: { headline: 'Corrected' }, note: 'A correction.' } }] });
    const problem = expectProblem(res, 422);
    expect(problem.rule).toBe('target-must-exist');
    expect(problem.detail).toContain(unknown);
  });

  it('refuses a development that names an actor not identified: 422 naming the rule', async () => {
    const res = await api.append(storyId, { events: [meeting('A stranger attends', { participants: ['russia', 'a-stranger'] })] });
    expect(expectProblem(res, 422).rule).toBe('actor-not-identified');
  });

  it('refuses appends to a story that was never opened: 422', async () => {
    expect(expectProblem(await api.append('e2e-never-opened', { events: [meeting('Nowhere')] }), 422).rule).toBe('story-not-opened');
  });

  it('lists the story in GET /stories once projected, with its title and version', async () => {
    const version = (await api.log(storyId)).length;
    const listed = await eventually(async () => {
      const res = await api.get('/stories');
      const story = (res.json.stories as { storyId: string; version: number }[]).find((s) => s.storyId === storyId);
      return story && story.version >= version ? story : undefined;
    }, PATIENCE);
    expect(listed).toEqual({ storyId, title: 'Writes over HTTP', version: expect.any(Number), updatedAt: expect.any(String) });
  });

  it("records the token's subject in each event's metadata", async () => {
    const token = await signToken(app.keys, claims({ sub: 'editor-with-a-name' }));
    const res = await api.append(storyId, { events: [meeting('Who wrote this'), meeting('And this')] }, { token });
    expect(res.status).toBe(201);
    const log = await api.log(storyId);
    const appended = log.filter((e) => res.json.events.some((r: { id: string }) => r.id === e.id));
    expect(appended.map((e) => e.metadata.subject)).toEqual(['editor-with-a-name', 'editor-with-a-name']);
    expect(appended[0].metadata.correlationId).toEqual(expect.any(String));
    expect(log.filter((e) => e.type === 'StoryOpened')[0].metadata.subject).toBe('e2e-editor');
  });

  it('takes a batch of 100 events whole (201, versions in order; re-sent: 200, the same result) and refuses 101 with 400, writing nothing', async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => ({ id: randomUUID(), ...meeting(`Batch ${i}`) }));
    const before = (await api.log(storyId)).length;
    const tooMany = await api.append(storyId, { events: [...hundred, meeting('One too many')] });
    expect(expectProblem(tooMany, 400).errors).toEqual([{ field: 'events', message: expect.stringContaining('at most 100') }]);
    expect(await api.log(storyId)).toHaveLength(before);

    const res = await api.append(storyId, { events: hundred });
    expect(res.status).toBe(201);
    expect(res.json.events).toEqual(hundred.map((e, i) => ({ id: e.id, version: before + i + 1, type: 'MeetingHeld' })));
    const again = await api.append(storyId, { events: hundred });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(res.json);
    expect(await api.log(storyId)).toHaveLength(before + 100);
  });
});

describe('concurrent appends', () => {
  it('gives one 201 and 49 409s to 50 appends at the same expected version', async () => {
    const storyId = 'e2e-race';
    const version = await openStoryWithActors(api, storyId);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => api.append(storyId, { expectedVersion: version, events: [meeting(`Racer ${i}`)] })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const res of results.filter((r) => r.status === 409)) expect(expectProblem(res, 409).currentVersion).toBe(version + 1);
    const log = await api.log(storyId);
    expect(log.map((e) => e.version)).toEqual(Array.from({ length: version + 1 }, (_, i) => i + 1));
  });
});

describe('concurrent appends without an expected version', () => {
  it('appends every one of 20 at the head: all 201, versions without gaps', async () => {
    const storyId = 'e2e-crowd';
    const version = await openStoryWithActors(api, storyId);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => api.append(storyId, { events: [meeting(`Writer ${i}`)] })));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
    const versions = results.map((r) => r.json.version as number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => version + i + 1));
    expect(await api.log(storyId)).toHaveLength(version + 20);
  });
});

describe('the event log', () => {
  it('pages with after and limit, linking the next page', async () => {
    const storyId = 'e2e-paging';
    const version = await openStoryWithActors(api, storyId);
    expect((await api.append(storyId, { events: [meeting('One'), meeting('Two'), meeting('Three')] })).status).toBe(201);
    const first = await api.get(`/stories/${storyId}/events?limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.events.map((e: { version: number }) => e.version)).toEqual([1, 2]);
    expect(first.json.next).toBe(`/stories/${storyId}/events?after=2&limit=2`);
    const second = await api.get(first.json.next);
    expect(second.json.events.map((e: { version: number }) => e.version)).toEqual([3, 4]);
    const last = await api.get(`/stories/${storyId}/events?after=4&limit=100`);
    expect(last.json.events.map((e: { version: number }) => e.version)).toEqual([version + 2, version + 3]);
    expect(last.json.next).toBeUndefined();
    const event = first.json.events[0];
    expect(event).toEqual({
      version: 1,
      id: expect.any(String),
      type: 'StoryOpened',
      schemaVersion: 1,
      recordedAt: expect.stringMatching(/Z$/),
      reportedAt: expect.stringMatching(/Z$/),
      data: { storyId, title: `Story ${storyId}`, summary: expect.any(String), topics: ['diplomacy'] },
      metadata: { subject: 'e2e-editor', correlationId: expect.any(String) },
    });
  });

  it('clamps limit to 1..1000 (the upper bound is also checked in handlers-read-api)', async () => {
    const storyId = 'e2e-paging';
    const all = await api.get(`/stories/${storyId}/events?limit=5000`);
    expect(all.status).toBe(200);
    expect(all.json.events.map((e: { version: number }) => e.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.json.next).toBeUndefined();
    const one = await api.get(`/stories/${storyId}/events?limit=0`);
    expect(one.json.events).toHaveLength(1);
    expect(one.json.next).toBe(`/stories/${storyId}/events?after=1&limit=1`);
    expectProblem(await api.get(`/stories/${storyId}/events?limit=lots`), 400);
    expectProblem(await api.get(`/stories/${storyId}/events?after=1.5`), 400);
  });
});

describe('OpenAPI', () => {
  it('is OpenAPI 3.1 listing every declared route', async () => {
    const res = await api.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json.openapi).toMatch(/^3\.1\./);
    const listed = Object.entries(res.json.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(listed.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes.filter((r) => r.auth)) expect(res.json.paths[route.path][route.method.toLowerCase()].security).toEqual([{ jwt: ['storyline/write'] }]);
    // every reference resolves to a schema in the document
    const refs = [...res.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThan(0);
    for (const name of new Set(refs)) expect({ name, schema: res.json.components.schemas[name] }).toEqual({ name, schema: expect.any(Object) });
  });
});

describe('bad requests', () => {
  const storyId = 'e2e-bad';
  let version: number;
  beforeAll(async () => {
    version = await openStoryWithActors(api, storyId);
  });

  it('is 400 listing each invalid field', async () => {
    const res = await api.append(storyId, {
      events: [
        meeting('', { meetingId: 'Not A Slug' }),
        { type: 'VisitPlanned', data: developmentData('A visit', { occurred: { start: '2012-13', precision: 'day' }, visitId: 'v', visitors: [], destination: 'Moscow', scheduled: { start: '2012', precision: 'year' } }) },
        { type: 'NoSuchType', data: {} },
      ],
    });
    const problem = expectProblem(res, 400);
    const fields = (problem.errors as { field: string; message: string }[]).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['events.0.data.headline', 'events.0.data.meetingId', 'events.1.data.occurred.start', 'events.1.data.visitors', 'events.2.type']),
    );
    for (const error of problem.errors) expect(error.message).toEqual(expect.any(String));
  });

  it('is 400 for a reportedAt that is not an instant, names a day that does not exist, or is in the future', async () => {
    for (const reportedAt of ['garbage', '2012-10-05', '2012-02-30T00:00:00Z', '2012-10-05T24:00:00Z', '2999-01-01T00:00:00Z']) {
      const res = await api.append(storyId, { events: [{ ...meeting('Reported when?'), reportedAt }] });
      expect({ reportedAt, errors: expectProblem(res, 400).errors }).toEqual({ reportedAt, errors: [{ field: 'events.0.reportedAt', message: expect.any(String) }] });
    }
    expect(await api.log(storyId)).toHaveLength(version);
  });

  it('is 400 for a batch that repeats an event id', async () => {
    const id = randomUUID();
    const res = await api.append(storyId, { events: [{ id, ...meeting('Once') }, meeting('Between'), { id, ...meeting('Twice') }] });
    expect(expectProblem(res, 400).errors).toEqual([{ field: 'events.2.id', message: expect.stringContaining('events.0') }]);
    expect(await api.log(storyId)).toHaveLength(version);
  });

  it('is 400 for an envelope with unknown or missing fields', async () => {
    const problem = expectProblem(await api.append(storyId, { expectedVersion: 'three', event: [] }), 400);
    expect((problem.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['', 'events', 'expectedVersion']);
  });

  it('is 400 for a body that is not JSON', async () => {
    expectProblem(await api.append(storyId, undefined, { raw: '{"events": [ {' }), 400);
    expectProblem(await api.append(storyId, undefined, { raw: '' }), 400);
  });

  it('is 400 for a body that is not UTF-8', async () => {
    expectProblem(await api.append(storyId, undefined, { raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }), 400);
  });

  it('is 415 for a content type that is not JSON', async () => {
    const body = JSON.stringify({ events: [meeting('Sent as text')] });
    expectProblem(await api.append(storyId, undefined, { raw: body, headers: { 'content-type': 'text/plain' } }), 415);
    expectProblem(await api.append(storyId, undefined, { raw: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
    expectProblem(await api.openStory(storyId, undefined, { raw: Buffer.from(body), headers: { 'content-type': 'application/octet-stream' } }), 415);
  });

  it('is 413 for a body over 64 KiB', async () => {
    const res = await api.append(storyId, { events: [meeting('Too long', { summary: 'x'.repeat(64 * 1024) })] });
    expectProblem(res, 413);
    expect(await api.log(storyId)).toHaveLength(version);
  });

  it('is 404 for an unknown route', async () => {
    expectProblem(await api.get('/no/such/route'), 404);
    expectProblem(await api.get('/stories/e2e-bad/feed.xml'), 404);
    expectProblem(await api.get('/stories/e2e-never-opened/timeline'), 404);
  });

  it('is 405 with Allow for a wrong method', async () => {
    const del = await api.request('DELETE', `/stories/${storyId}`);
    expectProblem(del, 405);
    // the story's URL is its page (GET) and where it is opened (PUT)
    expect(del.headers.get('allow')).toBe('GET, PUT');
    const post = await api.request('POST', '/feed.rss', {});
    expectProblem(post, 405);
    expect(post.headers.get('allow')).toBe('GET');
    expect(await api.log(storyId)).toHaveLength(version);
  });

  describe('without a valid token', () => {
    const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cases: [string, () => string | null | Promise<string>][] = [
      ['no token', () => null],
      ['a garbage token', () => 'garbage'],
      ['a token of three garbage parts', () => 'abc.def.ghi'],
      ['an expired token', () => signToken(app.keys, claims({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }))],
      ['a token not valid yet', () => signToken(app.keys, claims({ nbf: now() + 3600 }))],
      ['a token without expiry', () => signToken(app.keys, claims({ exp: undefined }))],
      ['a token for another audience', () => signToken(app.keys, claims({ aud: 'another-api' }))],
      ['a token from another issuer', () => signToken(app.keys, claims({ iss: 'https://attacker.example/' }))],
      ['a token with alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
      ['a token signed by another key', () => signToken({ privateKey: otherKeys.privateKey, kid: app.keys.kid }, claims())],
      [
        'an HS256 token keyed with the public key',
        () => {
          const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims())}`;
          const secret = app.keys.publicKey.export({ type: 'spki', format: 'pem' });
          return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
        },
      ],
      ['a token whose claims were altered after signing', async () => {
        const [head, , signature] = (await signToken(app.keys, claims())).split('.');
        return `${head}.${b64(claims({ sub: 'someone-else' }))}.${signature}`;
      }],
    ];

    it.each(cases)('is 401 with %s', async (_name, token) => {
      const res = await api.append(storyId, { events: [meeting('Unauthorised')] }, { token: await token() });
      expectProblem(res, 401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const open = await api.openStory('e2e-unauthorised', { title: 'No', summary: 'No', topics: [] }, { token: await token() });
      expectProblem(open, 401);
    });

    it('is 401 for another authorization scheme', async () => {
      expectProblem(await api.append(storyId, { events: [] }, { token: null, headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }), 401);
    });

    it('is 403 with a valid token without the write scope', async () => {
      const { scope: _scope, ...unscoped } = claims();
      expect(expectProblem(await api.append(storyId, { events: [meeting('Unscoped')] }, { token: await signToken(app.keys, unscoped) }), 403).detail).toContain('storyline/write');
      expectProblem(await api.append(storyId, { events: [meeting('Read only')] }, { token: await signToken(app.keys, claims({ scope: 'storyline/read' })) }), 403);
    });

    it('wrote nothing for any of them', async () => {
      expect(await api.log(storyId)).toHaveLength(version);
      expectProblem(await api.get('/stories/e2e-unauthorised/timeline'), 404);
      expect((await api.get('/stories/e2e-unauthorised/events')).json.events).toEqual([]);
    });
  });

  it('keeps reads public: no token needed', async () => {
    expect((await api.get('/health')).json).toEqual({ status: 'ok' });
    expect((await api.get(`/stories/${storyId}/events`)).status).toBe(200);
  });
});
