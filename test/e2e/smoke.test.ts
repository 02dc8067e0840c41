import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';

let app: RunningStoryline;
beforeAll(async () => {
  app = await startStoryline();
});
afterAll(() => app.stop());

test('the seed story is served as a feed', async () => {
  const body = await eventually(async () => {
    const res = await fetch(`${app.baseUrl}/stories/russia-pakistan-2012/feed.rss`);
    return res.status === 200 ? res.text() : undefined;
  });
  expect(body).toContain('Putin');
});
