import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { loadDigestHandler } from '../../infra/local/handlers';
import { outboxMails, type Eml } from '../support/outbox';
import { everyTableAsText, keepProcessLogs } from '../support/personal-data';
import { axeViolations, launchBrowser } from '../support/browser';
import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';
import { fetchRead } from '../support/api';

/**
 * A new subscriber's whole journey in a real browser (Chromium) on the local runtime: the story
 * page's form, the confirmation link (a page: opening it confirms nothing, as a mail scanner's GET
 * confirms nothing), the Confirm button, the weekly digest, the one-click unsubscribe, erasure; then
 * every table and every log line is searched for the address.
 */

const STORY = seedStory.storyId;
const SEED_WEEK = '2012-10-08T06:00:00Z';
const ADDRESS = 'journey.reader@example.org';

let app: RunningStoryline;
let browser: Browser;
let context: BrowserContext;
/** The functions' structured logs and the runtime's own lines. */
const logs: string[] = [];
/** CSP violations and console errors seen on any page. */
const problems: string[] = [];

beforeAll(async () => {
  app = await startStoryline({ log: (line) => logs.push(line) });
  keepProcessLogs(logs);
  ({ browser, context } = await launchBrowser({ width: 1000, height: 1200 }));
  await eventually(async () => (await fetchRead(`${app.baseUrl}/stories/${STORY}`, { headers: { accept: 'text/html' } })).status === 200, { timeoutMs: 60_000 });
}, 400_000);

afterAll(async () => {
  jest.restoreAllMocks();
  await context?.close();
  await browser?.close();
  await app?.stop();
});

const watch = (page: Page) => {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
  });
  return page;
};
const mailsTo = (address: string): Eml[] => outboxMails(join(app.dataDir, 'outbox')).filter((m) => m.headers.to === address);
const linkIn = (mail: Eml, label: string) => new RegExp(`${label}: (\\S+)`).exec(mail.text)?.[1] ?? '';
const counts = async () =>
  (await (await fetch(`${app.baseUrl}/subscriptions/counts`, { headers: { authorization: `Bearer ${app.token}` } })).json()) as { pending: number; confirmed: { weekly: number }; byStory: Record<string, { weekly: number }> };

test('sign up on the story page, open the link (nothing confirmed), press Confirm, get the weekly digest once, unsubscribe in one click, erase: the address is nowhere', async () => {
  // 1. the story page's form
  const story = watch(await context.newPage());
  await story.goto(`${app.baseUrl}/stories/${STORY}`);
  await story.getByLabel('E-mail address').fill(ADDRESS);
  await story.getByRole('button', { name: 'Subscribe' }).click();
  await story.waitForURL(`${app.baseUrl}/subscriptions`);
  expect(await story.locator('h1').textContent()).toBe('Check your inbox');
  expect(await axeViolations(story)).toEqual([]);
  const [confirmation, ...more] = mailsTo(ADDRESS);
  expect(more).toEqual([]);
  const link = linkIn(confirmation!, 'Confirm');
  expect(await counts()).toMatchObject({ pending: 1, confirmed: { weekly: 0 } });

  // a mail scanner fetches every link, with whatever Accept
  for (const accept of ['*/*', 'text/html', 'application/json', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8']) {
    expect((await fetchRead(link, { headers: { accept, 'user-agent': 'curl/8.5.0' } })).status).toBe(200);
  }
  expect(await counts()).toMatchObject({ pending: 1, confirmed: { weekly: 0 } });

  // 2. the link opens a page: nothing is confirmed yet
  const page = watch(await context.newPage());
  expect((await page.goto(link))?.status()).toBe(200);
  expect(await page.locator('h1').textContent()).toBe('Confirm your subscription');
  expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 253, 248)');
  expect(await axeViolations(page)).toEqual([]);
  expect(await counts()).toMatchObject({ pending: 1, confirmed: { weekly: 0 } });

  // 3. the button confirms
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.waitForLoadState();
  expect(await page.locator('h1').textContent()).toBe('Subscription confirmed');
  expect(await page.locator('main').textContent()).toContain(`the weekly digest of the stories ${STORY}`);
  expect(await counts()).toMatchObject({ pending: 0, confirmed: { weekly: 1 }, byStory: { [STORY]: { weekly: 1 } } });

  // 4. the weekly digest: one .eml
  expect(await (await loadDigestHandler())({ period: 'weekly', scheduledTime: SEED_WEEK })).toMatchObject({ subscribers: { sent: 1, failed: 0 } });
  const digests = mailsTo(ADDRESS).filter((m) => m.file.startsWith('weekly-'));
  expect(digests).toHaveLength(1);
  const unsubscribeUrl = /^<(.+)>$/.exec(digests[0]!.headers['list-unsubscribe'] ?? '')?.[1] ?? '';
  expect(digests[0]!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  expect(await everyTableAsText(app)).toContain(ADDRESS);

  // the digest's manage pages: the same layout, accessible, each a button (opening them changes nothing)
  for (const [label, heading, button] of [
    ['Change what you receive', 'Your digest subscription', 'Sign me out everywhere'],
    ['Unsubscribe', 'Unsubscribe?', 'Unsubscribe'],
  ] as const) {
    const manage = watch(await context.newPage());
    expect((await manage.goto(linkIn(digests[0]!, label)))?.status()).toBe(200);
    expect(await manage.locator('h1').textContent()).toBe(heading);
    expect(await manage.getByRole('button', { name: button }).count()).toBe(1);
    expect(await axeViolations(manage)).toEqual([]);
  }
  expect(await counts()).toMatchObject({ confirmed: { weekly: 1 } });

  // 5. one click: the mail client's RFC 8058 POST
  const oneClick = await fetch(unsubscribeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  expect(oneClick.status).toBe(200);
  expect(await counts()).toMatchObject({ pending: 0, confirmed: { weekly: 0 } });

  // 6. erasure (again, harmless): no table and no log line holds the address
  const token = new URL(unsubscribeUrl).searchParams.get('token') ?? '';
  expect((await fetchRead(`${app.baseUrl}/subscriptions?token=${token}`, { method: 'DELETE' })).status).toBe(204);
  expect(await everyTableAsText(app)).not.toContain(ADDRESS);
  expect(logs.join('\n')).toContain('subscriber erased');
  expect(logs.join('\n').toLowerCase()).not.toContain(ADDRESS);
  expect(problems).toEqual([]);
}, 120_000);
