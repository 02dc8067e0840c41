import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { createEventStore, type EventStore } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { createStoryService } from '../../functions/story-service';
import { feedChangeNotifier } from '../../functions/websub/feed-changes';
import { folderPingQueue, type PingQueue } from '../../functions/websub/ping-queue';
import { deliverDue, type PingerOptions } from '../../functions/websub/pinger';
import { freshTables } from '../support/dynamodb';
import { meetingHeld, openStory, storyId } from '../support/fixtures';
import { gatewayEvent, lambdaContext, type HttpLambda } from '../support/gateway-events';

/**
 * WebSub, publisher side: a changed feed is pinged to each hub (hub.mode=publish, hub.url) through
 * a durable queue, retried with backoff, dead-lettered after bounded tries, off the projection path.
 * The hub is a stub HTTP server in the test (it stands for an external service).
 */

const PUBLIC = 'https://news.example.org';
let tables: Awaited<ReturnType<typeof freshTables>>;
let events: EventStore;
let hub: Server;
let hubUrl: string;
/** The hub that never answers has a server of its own, as an external hub would. */
let silentHub: Server;
let silentUrl: string;
let dir: string;
/** POSTs the hub received, by path. */
const received = new Map<string, URLSearchParams[]>();
let flakyFailures = 0;

const hubStub = (request: IncomingMessage, response: ServerResponse) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    const path = request.url ?? '';
    received.set(path, [...(received.get(path) ?? []), new URLSearchParams(body)]);
    if (path === '/silent') return; // never answers
    if (path === '/flaky' && flakyFailures < 2) {
      flakyFailures++;
      response.writeHead(500).end();
      return;
    }
    response.writeHead(204).end();
  });
};

/** Short backoff; a timeout long enough for a loaded machine (a late answer is a retry, so a duplicate ping: at least once). */
const fast: PingerOptions = { maxAttempts: 3, baseBackoffMs: 5, maxBackoffMs: 20, timeoutMs: 2000 };

/** Runs the pinger until `done` holds, or gives up after a bounded number of rounds. */
const drain = async (queue: PingQueue, done: () => boolean) => {
  for (let round = 0; round < 200 && !done(); round++) {
    await deliverDue(queue, fast);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

beforeAll(async () => {
  tables = await freshTables();
  events = createEventStore(tables.client, tables.names.events);
  hub = createServer(hubStub);
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
  silentHub = createServer(hubStub);
  await new Promise<void>((resolve) => silentHub.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silentHub.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'storyline-websub-'));
});
afterAll(async () => {
  for (const server of [hub, silentHub]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  rmSync(dir, { recursive: true, force: true });
  await tables.drop();
});

describe('WebSub pings', () => {
  it('pings the hub once per changed feed URL, in every format, after an append; a hub that never answers holds nothing back', async () => {
    const queue = folderPingQueue(join(dir, 'append'));
    const projector = createProjector(events, createReadModelStore(tables.client, tables.names.readModels), {
      onFeedChanged: feedChangeNotifier(queue, [`${hubUrl}/ok`, `${silentUrl}/silent`], PUBLIC),
    });
    await createStoryService(events).append({ storyId, events: [...openStory, meetingHeld], subject: 'test', correlationId: 'test' });
    // projection only queues: it completes although one hub never answers
    await projector.project(await events.readStream(`story/${storyId}`));
    const story = ['rss', 'atom', 'json'].map((format) => `${PUBLIC}/stories/${storyId}/feed.${format}`);
    await drain(queue, () => story.every((url) => (received.get('/ok') ?? []).some((ping) => ping.get('hub.url') === url)));
    const pings = received.get('/ok') ?? [];
    expect(pings.every((ping) => ping.get('hub.mode') === 'publish')).toBe(true);
    const urls = [...new Set(pings.map((ping) => ping.get('hub.url')))];
    // one URL per changed feed and format: all, the story, its topic, its two actors
    expect(urls.sort()).toEqual(
      ['/feed', `/stories/${storyId}/feed`, '/topics/diplomacy/feed', '/actors/russia/feed', '/actors/pakistan/feed'].flatMap((path) => ['rss', 'atom', 'json'].map((f) => `${PUBLIC}${path}.${f}`)).sort(),
    );
    // the silent hub's pings time out, are retried, then dead-lettered
    await drain(queue, () => readdirSync(join(dir, 'append', 'pending')).length === 0);
    expect(readdirSync(join(dir, 'append', 'dead'))).toHaveLength(urls.length);
    expect((received.get('/silent') ?? []).length).toBe(urls.length * fast.maxAttempts);
  });

  it("pings the story's feed URLs, in every format and no other, when the story's title is revised", async () => {
    const revisedId = 'revised-story';
    const stream = `story/${revisedId}`;
    const readModels = createReadModelStore(tables.client, tables.names.readModels);
    const stories = createStoryService(events);
    const [opened, ...actors] = openStory;
    await stories.append({ storyId: revisedId, events: [{ ...opened!, id: randomUUID(), data: { ...opened!.data, storyId: revisedId } }, ...actors.map((a) => ({ ...a, id: randomUUID() })), { ...meetingHeld, id: randomUUID() }], subject: 'test', correlationId: 'test' });
    await createProjector(events, readModels).project(await events.readStream(stream));
    const queue = folderPingQueue(join(dir, 'revised'));
    const projector = createProjector(events, readModels, { onFeedChanged: feedChangeNotifier(queue, [`${hubUrl}/revised`], PUBLIC) });
    const { version } = await stories.append({ storyId: revisedId, events: [{ id: randomUUID(), type: 'StoryRevised', data: { title: 'A revised title' } }], subject: 'test', correlationId: 'test' });
    await projector.project((await events.readStream(stream)).filter((e) => e.version === version));
    await drain(queue, () => readdirSync(join(dir, 'revised', 'pending')).length === 0);
    const urls = (received.get('/revised') ?? []).map((ping) => ping.get('hub.url'));
    expect(urls.sort()).toEqual(['rss', 'atom', 'json'].map((format) => `${PUBLIC}/stories/${revisedId}/feed.${format}`).sort());
  });

  it('retries a hub that answers 500 twice, and delivers on the third try', async () => {
    const queue = folderPingQueue(join(dir, 'flaky'));
    await queue.send([{ hub: `${hubUrl}/flaky`, url: `${PUBLIC}/feed.rss` }]);
    await drain(queue, () => readdirSync(join(dir, 'flaky', 'pending')).length === 0);
    expect((received.get('/flaky') ?? []).map((ping) => ping.get('hub.url'))).toEqual([`${PUBLIC}/feed.rss`, `${PUBLIC}/feed.rss`, `${PUBLIC}/feed.rss`]);
    expect(readdirSync(join(dir, 'flaky', 'dead'))).toEqual([]);
  });
});

describe('hub discovery in served feeds', () => {
  let feeds: HttpLambda;
  beforeAll(async () => {
    process.env.EVENTS_TABLE = tables.names.events;
    process.env.READ_MODELS_TABLE = tables.names.readModels;
    process.env.STORYLINE_WEBSUB_HUBS = `${hubUrl}/ok`;
    ({ handler: feeds } = await import('../../functions/handlers/feeds'));
    delete process.env.STORYLINE_WEBSUB_HUBS;
  });
  const get = (format: string) =>
    feeds(gatewayEvent({ method: 'GET', route: `/stories/{storyId}/feed.${format}`, path: `/stories/${storyId}/feed.${format}`, pathParameters: { storyId } }), lambdaContext());

  it.each(['rss', 'atom'])('names the hub and itself in the body and the Link header (%s)', async (format) => {
    const result = await get(format);
    expect(XMLValidator.validate(result.body ?? '')).toBe(true);
    expect(result.body).toMatch(new RegExp(`<(atom:)?link rel="hub" href="${hubUrl}/ok"/>`));
    expect(result.body).toMatch(/<(atom:)?link rel="self"/);
    expect(result.headers?.link).toBe(`<${hubUrl}/ok>; rel="hub", <https://abc123.execute-api.eu-west-1.amazonaws.com/stories/${storyId}/feed.${format}>; rel="self"`);
  });

  it('lists the hub in JSON Feed’s hubs', async () => {
    expect(JSON.parse((await get('json')).body ?? '{}').hubs).toEqual([{ type: 'WebSub', url: `${hubUrl}/ok` }]);
  });
});
