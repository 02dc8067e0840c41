import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { escapeHtml } from '../../functions/render/text';
import { apiClient, developmentData, fetchRead, meeting, openStoryWithActors } from '../support/api';
import { parseWithFeedparser } from '../support/feedparser';
import { xmlProblems } from '../support/feed-fixtures';
import { axeViolations, launchBrowser } from '../support/browser';
import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';

/**
 * The pages for people in a real browser (Debian's Chromium driven by playwright-core), against the
 * running local runtime: following links from the home page, feed autodiscovery, axe-core, the CSP
 * as the browser enforces it, every feed item link, and hostile text.
 */

const STORY = seedStory.storyId;
const TITLE = (seedStory.events[0]!.data as { title: string }).title;
const ARTIFACTS = join(__dirname, '..', 'artifacts');

let app: RunningStoryline;
let browser: Browser;
let context: BrowserContext;
/** CSP violations and console errors seen on any page. */
const problems: string[] = [];

beforeAll(async () => {
  app = await startStoryline();
  ({ browser, context } = await launchBrowser());
  // the seed story's pages, once the projector has stored them
  await eventually(async () => (await fetchRead(`${app.baseUrl}/stories/${STORY}`, { headers: { accept: 'text/html' } })).status === 200, { timeoutMs: 60_000 });
}, 400_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
});

afterEach(() => {
  expect(problems).toEqual([]);
});

const open = async (path: string): Promise<Page> => {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${path}: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`${path}: a dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const response = await page.goto(`${app.baseUrl}${path}`);
  expect(response?.status()).toBe(200);
  return page;
};


describe('pages in a browser', () => {
  it('home → story → development by following links, with the stylesheet applied under the CSP', async () => {
    const home = await open('/');
    await home.getByRole('link', { name: TITLE }).first().click();
    await home.waitForURL(`${app.baseUrl}/stories/${STORY}`);
    expect(await home.locator('h1').textContent()).toBe(TITLE);
    expect(await home.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 253, 248)');
    mkdirSync(ARTIFACTS, { recursive: true });
    await home.screenshot({ path: join(ARTIFACTS, 'story-page.png') });

    const first = home.locator('ol.timeline h3 a').first();
    const headline = (await first.textContent()) ?? '';
    await first.click();
    await home.waitForURL(/\/developments\//);
    expect(await home.locator('h1').textContent()).toBe(headline);
    await home.getByRole('link', { name: /^The whole story/ }).click();
    await home.waitForURL(new RegExp(`/stories/${STORY}#`));
    await home.close();
  });

  it('serves every page with the CSP, nosniff, a referrer policy, ETag and a short max-age; a conditional GET is 304', async () => {
    // read whole (fetchRead): an unread page holds its connection, which kept the worker from exiting after the runtime stopped
    const res = await fetchRead(`${app.baseUrl}/stories/${STORY}`, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('cache-control')).toMatch(/max-age=([0-9]|10)\b/);
    const again = await fetch(`${app.baseUrl}/stories/${STORY}`, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('has feed autodiscovery links that resolve to valid feeds', async () => {
    const page = await open(`/stories/${STORY}`);
    const found = await page.locator('link[rel="alternate"]').evaluateAll((els) => els.map((el) => ({ type: el.getAttribute('type'), href: el.getAttribute('href') ?? '', title: el.getAttribute('title') })));
    const links = found.map((l) => ({ ...l, href: new URL(l.href, app.baseUrl).href }));
    expect(links.map((l) => l.type)).toEqual(['application/rss+xml', 'application/atom+xml', 'application/feed+json']);
    for (const link of links) {
      expect(link.title).toContain(TITLE);
      const res = await fetch(link.href);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(link.type ?? '');
      const body = await res.text();
      if (link.type === 'application/feed+json') expect(JSON.parse(body).version).toBe('https://jsonfeed.org/version/1.1');
      else {
        expect(xmlProblems(body)).toBeUndefined();
        const parsed = await parseWithFeedparser(body);
        expect(parsed.bozo).toBe(false);
        expect(parsed.feed.link).toBe(`${app.baseUrl}/stories/${STORY}`);
      }
    }
    await page.close();
  });

  it('the axe-core check finds what it is there to find: an image without alt text, an unlabelled field', async () => {
    const page = await context.newPage();
    await page.setContent('<!DOCTYPE html><html lang="en"><title>Broken</title><main><h1>Broken</h1><img src="x.png"><input type="text"></main></html>');
    expect((await axeViolations(page)).map((v) => v.split(' ')[1])).toEqual(['image-alt:', 'label:']);
    await page.close();
  });

  it.each([
    ['home', '/'],
    ['story', `/stories/${STORY}`],
    ['actor', '/actors/kayani'],
    ['topic', '/topics/energy'],
  ])('the %s page has no axe-core violations', async (_kind, path) => {
    const page = await open(path);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('a development page and the 404 page have no axe-core violations', async () => {
    const story = await open(`/stories/${STORY}`);
    const href = (await story.locator('ol.timeline h3 a').nth(3).getAttribute('href')) ?? '';
    await story.close();
    const page = await open(href);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
    const missing = await context.newPage();
    expect((await missing.goto(`${app.baseUrl}/stories/no-such-story`))?.status()).toBe(404);
    expect(await missing.locator('h1').textContent()).toBe('Page not found');
    expect(await axeViolations(missing)).toEqual([]);
    await missing.close();
  });
});

describe('feed links', () => {
  const itemLinks = async (): Promise<Map<string, string>> => {
    const links = new Map<string, string>();
    for (const feed of [`/stories/${STORY}/feed`, '/feed']) {
      const json = (await (await fetch(`${app.baseUrl}${feed}.json`)).json()) as { home_page_url: string; items: { url: string; title: string }[] };
      expect(json.home_page_url).toBe(`${app.baseUrl}${feed === '/feed' ? '/' : `/stories/${STORY}`}`);
      for (const item of json.items) links.set(item.url, item.title.replace(/^(Correction|Retraction): |^\[Withdrawn\] /, ''));
      for (const format of ['rss', 'atom']) {
        const parsed = await parseWithFeedparser(await (await fetch(`${app.baseUrl}${feed}.${format}`)).text());
        expect(new Set(parsed.entries.map((e) => e.link))).toEqual(new Set(json.items.map((i) => i.url)));
      }
    }
    return links;
  };

  it('every item link of the seed feeds (RSS, Atom, JSON Feed) opens the development page, 200 text/html, with its headline', async () => {
    const links = await itemLinks();
    expect(links.size).toBeGreaterThan(20);
    for (const [url, headline] of links) {
      const res = await fetch(url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect({ url, status: res.status, type: res.headers.get('content-type') }).toEqual({ url, status: 200, type: 'text/html; charset=utf-8' });
      // the page's one heading is the headline (after a "Withdrawn" badge when retracted)
      const h1 = /<h1[^>]*>(.*?)<\/h1>/s.exec(await res.text())?.[1] ?? '';
      expect({ url, h1: h1.replace(/<span class="badge[^"]*">[^<]*<\/span>\s*/g, '') }).toEqual({ url, h1: escapeHtml(headline) });
    }
  });

  it('the JSON API still answers JSON on a URL that also serves a page, and says it varies by Accept', async () => {
    const json = await fetchRead(`${app.baseUrl}/actors/kayani`);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.headers.get('vary')).toContain('accept');
    const html = await fetch(`${app.baseUrl}/actors/kayani`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('Kiani');
  });
});

describe('a development appended over the API', () => {
  const HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(2)> ]]> javascript:alert(3) \u202Egnp.exe';

  it('appears on its pages (a bounded poll) and its hostile text stays text', async () => {
    const api = apiClient(app);
    const log = await api.log(STORY);
    const appended = await api.append(STORY, {
      expectedVersion: log.length,
      events: [
        {
          type: 'MeetingHeld',
          data: developmentData(HOSTILE, {
            summary: `${HOSTILE}\n\n${'A long summary. '.repeat(600)}`,
            meetingId: 'hostile-meeting',
            participants: ['russia', 'pakistan'],
            place: 'Moscow',
            outcome: HOSTILE,
            sources: [{ outlet: HOSTILE, quote: HOSTILE, url: 'https://example.com/?q="><script>alert(4)</script>' }],
          }),
        },
      ],
    });
    expect(appended.status).toBe(201);
    const eventId = appended.json.events[0].id as string;
    const path = `/stories/${STORY}/developments/${eventId}`;
    await eventually(async () => (await fetchRead(`${app.baseUrl}${path}`)).status === 200, { timeoutMs: 30_000 });
    await eventually(async () => (await (await fetch(`${app.baseUrl}/stories/${STORY}`)).text()).includes(eventId), { timeoutMs: 30_000 });

    for (const shown of [path, `/stories/${STORY}`]) {
      const page = await open(shown);
      expect(await page.locator(`[id="${eventId}"] :is(h1, h3)`).textContent()).toContain('<script>alert(1)</script> <img src=x onerror=alert(2)>');
      // the page as the browser parsed it: only JSON-LD data blocks, no handler attribute, no script URL
      const active = await page.evaluate(`({
        scripts: [...document.querySelectorAll('script')].filter((s) => s.type !== 'application/ld+json').length,
        handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
        scriptUrls: [...document.querySelectorAll('[href], [src], [action], [cite]')].filter((el) =>
          ['href', 'src', 'action', 'cite'].some((name) => /^\\s*javascript:/i.test(el.getAttribute(name) ?? ''))).length,
      })`);
      expect(active).toEqual({ scripts: 0, handlers: [], scriptUrls: 0 });
      await page.close();
    }
  });
});

describe('a long story', () => {
  it("shows its latest developments, and its earlier ones on archive pages reached by the story page's links, with no axe-core violations", async () => {
    const api = apiClient(app);
    let version = await openStoryWithActors(api, 'long-story', { title: 'A long story' });
    for (let batch = 0; batch < 3; batch++) {
      const events = Array.from({ length: 20 }, (_, i) => {
        const n = batch * 20 + i + 1;
        return meeting(`Meeting ${n}`, { occurred: { start: new Date(Date.UTC(2013, 0, n)).toISOString().slice(0, 10), precision: 'day' } });
      });
      const appended = await api.append('long-story', { expectedVersion: version, events });
      expect(appended.status).toBe(201);
      version = appended.json.version as number;
    }
    await eventually(async () => (await (await fetch(`${app.baseUrl}/stories/long-story`)).text()).includes('60 developments'), { timeoutMs: 30_000 });

    const page = await open('/stories/long-story');
    expect(await page.locator('ol.timeline > li').count()).toBe(50);
    await page.getByRole('link', { name: 'Earlier developments' }).click();
    await page.waitForURL(`${app.baseUrl}/stories/long-story/archive/1`);
    expect(await page.locator('ol.timeline > li').count()).toBe(10);
    expect(await page.locator('link[rel="next"]').getAttribute('href')).toBe('/stories/long-story');
    // the archive page and its page links (the story page's layout is checked above, on the seed story)
    expect(await axeViolations(page)).toEqual([]);
    const older = (await page.locator('ol.timeline h3 a').first().getAttribute('href')) ?? '';
    await page.getByRole('link', { name: 'Later developments' }).click();
    await page.waitForURL(`${app.baseUrl}/stories/long-story`);
    await page.close();
    // the permalink of a development on an archive page answers, and leads back to that page
    const permalink = await open(older);
    await permalink.getByRole('link', { name: /^The whole story/ }).click();
    await permalink.waitForURL(new RegExp('/stories/long-story/archive/1#'));
    await permalink.close();
  });
});
