import { READY_PATH } from '../../infra/local/http-host';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { startStoryline, type RunningStoryline } from '../support/runtime';
import { fetchRead } from '../support/api';

/**
 * `npm start` on a fresh data folder: the runtime says it is running, and GET /ready answers 200,
 * only once the seed story is projected; from that moment its feeds and read models serve. Until
 * then /ready is a 503 problem while /health (liveness) is 200.
 */

let app: RunningStoryline;
const lines: string[] = [];
let release: () => void = () => undefined;
const released = new Promise<void>((resolve) => {
  release = resolve;
});

beforeAll(async () => {
  // the projector is held back until the test lets it go, so that "not ready yet" can be observed
  app = await startStoryline({
    waitUntilReady: false,
    log: (line) => lines.push(line),
    wrapProjector: (handler) => async (event) => {
      await released;
      return handler(event);
    },
  });
});
afterAll(async () => {
  release();
  await app?.stop();
});

const seedPaths = ['feed.rss', 'feed.atom', 'feed.json', 'timeline', 'visits', 'agreements', 'actors'].map((p) => `/stories/${seedStory.storyId}/${p}`);

test('before the seed story is projected: /ready is 503 with a problem, /health 200, and nothing says it is running', async () => {
  const notReady = await fetch(`${app.baseUrl}${READY_PATH}`);
  expect(notReady.status).toBe(503);
  expect(notReady.headers.get('content-type')).toBe('application/problem+json');
  expect(notReady.headers.get('retry-after')).toBe('1');
  expect(await notReady.json()).toEqual(expect.objectContaining({ type: 'tag:storyline,2026:problems/not-ready', status: 503, title: 'Not ready' }));
  expect((await fetchRead(`${app.baseUrl}/health`)).status).toBe(200);
  expect((await fetchRead(`${app.baseUrl}${seedPaths[0]}`)).status).toBe(404);
  expect(lines.join('\n')).not.toContain('Storyline is running');
});

test('as soon as the runtime reports ready, /ready is 200 and every seed feed and read model serves', async () => {
  release();
  await app.runtime.ready;
  const statuses = await Promise.all([READY_PATH, ...seedPaths].map(async (path) => [path, (await fetchRead(`${app.baseUrl}${path}`)).status] as const));
  expect(statuses).toEqual([READY_PATH, ...seedPaths].map((path) => [path, 200]));
  expect(await (await fetch(`${app.baseUrl}${READY_PATH}`)).json()).toEqual({ status: 'ready' });
  // the running message comes last, and names the seed story's feed
  expect(lines.at(-1)).toMatch(/^\nStoryline is running: http:\/\/127\.0\.0\.1:\d+\/ {2}\(the home page: open it in a browser\)\nOr try:\n {2}curl http:\/\/127\.0\.0\.1:\d+\/stories\/russia-pakistan-2012\/feed\.rss\n/);
});
