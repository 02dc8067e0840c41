import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';
import { xmlProblems } from '../support/feed-fixtures';
import { checkedFetch } from '../support/openapi-check';

/**
 * `npx storyline digest --period weekly --at 2012-10-08T06:00:00Z` against a running Storyline: the
 * digest shows in the weekly digest feed and page and as an .eml in the outbox; running it again
 * changes nothing.
 */

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'bin', 'storyline.js');

let app: RunningStoryline;
beforeAll(async () => {
  app = await startStoryline();
  // the digest reads the read models: wait until the whole seed story is projected
  await eventually(async () => {
    const res = await checkedFetch(`${app.baseUrl}/stories/${seedStory.storyId}/timeline`);
    if (res.status !== 200) return undefined;
    const timeline = (await res.json()) as { version: number };
    return timeline.version === seedStory.events.length;
  }, { timeoutMs: 20_000 });
});
afterAll(() => app.stop());

const digest = async (...args: string[]) => {
  const { stdout } = await run(process.execPath, [CLI, 'digest', ...args], { env: { ...process.env }, timeout: 30_000 });
  return stdout;
};
const outbox = () => join(app.dataDir, 'outbox');
const emls = () => (existsSync(outbox()) ? readdirSync(outbox()).filter((f) => f.endsWith('.eml')) : []);

test('npx storyline digest publishes the weekly digest of 1-8 October 2012 once, visible in its feed, its page and the outbox', async () => {
  const first = await digest('--period', 'weekly', '--at', '2012-10-08T06:00:00Z');
  expect(first).toMatch(/^published weekly-2012-10-08t06-00-00z \(digest stream version 1\): 28 developments in 1 stor/);
  expect(emls()).toEqual(['weekly-2012-10-08t06-00-00z.eml']);

  const rss = await eventually(async () => {
    const res = await checkedFetch(`${app.baseUrl}/digests/weekly/feed.rss`);
    return res.status === 200 ? res.text() : undefined;
  });
  expect(xmlProblems(rss)).toBeUndefined();
  expect(rss).toContain('Weekly digest to 2012-10-08');
  expect(rss).toContain('Lavrov');
  expect(rss.match(/<item>/g)).toHaveLength(1);

  const page = await checkedFetch(`${app.baseUrl}/digests/weekly/2012-10-08T06:00:00Z`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^application\/json/);
  const content = (await page.json()) as { digestId: string; counts: { developments: number }; window: { start: string; end: string } };
  expect(content).toMatchObject({ digestId: 'weekly-2012-10-08t06-00-00z', counts: { developments: 28 }, window: { start: '2012-10-01T06:00:00.000Z', end: '2012-10-08T06:00:00.000Z' } });

  const html = await checkedFetch(`${app.baseUrl}/digests/weekly/weekly-2012-10-08t06-00-00z`, { headers: { accept: 'text/html' } });
  expect(html.status).toBe(200);
  expect(html.headers.get('content-type')).toMatch(/^text\/html/);
  const body = await html.text();
  expect(body).toContain('<h1');
  expect(body).toContain('Kayani');
  expect(body).toContain('<link rel="alternate" type="application/rss+xml" title="the weekly digest (RSS)" href="/digests/weekly/feed.rss">');

  expect((await checkedFetch(`${app.baseUrl}/digests/weekly/2012-10-15T06:00:00Z`)).status).toBe(404);

  // the same instant written another way is the same firing
  const again = await digest('--period', 'weekly', '--at', '2012-10-08T08:00:00+02:00');
  expect(again).toContain('weekly-2012-10-08t06-00-00z was already published: nothing changed');
  expect(emls()).toEqual(['weekly-2012-10-08t06-00-00z.eml']);
});
