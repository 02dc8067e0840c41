import { XMLParser } from 'fast-xml-parser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { issueSignInLink } from '../../functions/desk/session';
import { loadOrCreateDeskSecret } from '../../infra/local/subscription-secret';
import { axeViolations, launchBrowser } from '../support/browser';
import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';
import { fetchRead } from '../support/api';

/**
 * The desk in a real browser (Debian's Chromium driven by playwright-core) against the running local
 * runtime: sign in with a one-time link, open a story, add a development of every type through its
 * form, correct, retract, conflicts, broken rules, refusals, and the whole flow by keyboard; axe on every page.
 */

let app: RunningStoryline;
let browser: Browser;
let context: BrowserContext;
let key: Uint8Array;
const problems: string[] = [];
const STORY = 'desk-story';

const signInLink = async (ttl?: number) => `${app.baseUrl}/desk/sign-in/link?token=${await issueSignInLink(key, 'local:e2e-editor', Math.floor(Date.now() / 1000), ttl)}`;

beforeAll(async () => {
  app = await startStoryline();
  key = new TextEncoder().encode(loadOrCreateDeskSecret(app.dataDir));
  ({ browser, context } = await launchBrowser());
}, 400_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
});

afterEach(() => {
  const seen = problems.splice(0);
  expect(seen).toEqual([]);
});

const axe = async (page: Page) => expect(await axeViolations(page)).toEqual([]);

const newPage = async (ctx: BrowserContext = context): Promise<Page> => {
  const page = await ctx.newPage();
  page.on('console', (message) => {
    // a refusal (403, 409, 422) is a page the desk means to show; the browser logs its status all the same
    // the permalink of a development just published is a 404 until its page is published (a moment later)
    const expected = /status of 4(03|09|22)/.test(message.text()) || (/status of 404/.test(message.text()) && page.url().includes('/developments/'));
    if (message.type() === 'error' && !expected) problems.push(`${page.url()}: ${message.text()}`);
  });
  return page;
};

/** The page the browser is on shows `text` in its heading once it has been published (reloading meanwhile). */
const headingShows = (page: Page, text: string) =>
  eventually(async () => ((await page.locator('h1').textContent()) ?? '').includes(text) || (await page.reload(), false), { timeoutMs: 5000, intervalMs: 250 });

const FORMATS = ['rss', 'atom', 'json'] as const;
/** A development's public page, where publishing leads (the desk's own correct and retract forms sit below /desk). */
const PERMALINK = /^https?:\/\/[^/]+\/stories\/[^/]+\/developments\/[^/]+$/;
const storyFeed = async () => (await fetch(`${app.baseUrl}/stories/${STORY}/feed.rss`)).text();
/** The items of the story's RSS feed: title, description, guid. */
const storyFeedItems = async (): Promise<{ title: string; description: string; guid: string }[]> => {
  const items = (new XMLParser().parse(await storyFeed()) as { rss: { channel: { item?: unknown } } }).rss.channel.item ?? [];
  return (Array.isArray(items) ? items : [items]).map((item: { title: unknown; description: unknown; guid: string | number | object }) => ({ title: String(item.title), description: String(item.description), guid: String(typeof item.guid === 'object' ? JSON.stringify(item.guid) : item.guid) }));
};

/** The fields of a form by id, filled in (text), ticked (checkboxes, radios). */
type Fill = Record<string, string | true>;
const fill = async (page: Page, fields: Fill) => {
  for (const [id, value] of Object.entries(fields)) {
    if (value === true) await page.check(`#${id}`);
    else await page.fill(`#${id}`, value);
  }
};
const common = (headline: string): Fill => ({
  'f-data-headline': headline,
  'f-data-summary': `What happened: ${headline}.`,
  'f-data-occurred-precision-1': true,
  'f-data-occurred-start': '2026-11',
  'f-data-sources-0-outlet': 'Dawn',
  'f-data-sources-0-quote': `“${headline}”, the paper said.`,
  'f-data-confidence-1': true,
});

/** A valid form of each type of development; the first adds the actors the others pick. */
const developments: [type: string, headline: string, fields: Fill][] = [
  ['VisitPlanned', 'A visit is planned', { 'f-actor-actorId': 'envoy', 'f-actor-name': 'The envoy', 'f-actor-kind-0': true, 'f-data-visitId': 'envoy-visit', 'f-data-visitors-other': 'envoy', 'f-data-destination': 'Islamabad', 'f-data-scheduled-precision-1': true, 'f-data-scheduled-start': '2026-12' }],
  ['VisitRescheduled', 'The visit moves', { 'f-data-visitId': 'envoy-visit', 'f-data-scheduled-precision-2': true, 'f-data-scheduled-start': '2027-01-10' }],
  ['VisitCancelled', 'The visit is off', { 'f-data-visitId': 'envoy-visit', 'f-data-reason': 'Security' }],
  ['VisitTookPlace', 'An unplanned visit', { 'f-data-visitId': 'surprise', 'f-data-visitors-0': true, 'f-data-destination': 'Moscow' }],
  ['MeetingHeld', 'They meet', { 'f-actor-actorId': 'minister', 'f-actor-name': 'The minister', 'f-actor-kind-0': true, 'f-data-meetingId': 'first-meeting', 'f-data-participants-0': true, 'f-data-participants-other': 'minister', 'f-data-place': 'Moscow', 'f-data-outcome': 'Talks' }],
  ['AgreementSigned', 'An MoU is signed', { 'f-data-agreementId': 'mou', 'f-data-kind-0': true, 'f-data-title': 'An MoU', 'f-data-parties-0': true, 'f-data-parties-1': true, 'f-data-sector': 'energy' }],
  ['AssistancePledged', 'Money is pledged', { 'f-data-pledgeId': 'pledge', 'f-data-from': 'envoy', 'f-data-to': 'minister', 'f-data-purpose': 'A plant', 'f-data-amount-currency': 'USD', 'f-data-amount-min': '100', 'f-data-amount-max': '200' }],
  ['InterestExpressed', 'Interest in a pipeline', { 'f-data-interestId': 'pipeline', 'f-data-party': 'envoy', 'f-data-project': 'A pipeline' }],
  ['NegotiationStalled', 'Talks stall', { 'f-data-project': 'A pipeline', 'f-data-parties-0': true }],
  ['CommentaryPublished', 'A comment', { 'f-data-outlet': 'minister', 'f-data-quote': 'We shall see.' }],
];

describe('the desk in a browser', () => {
  let page: Page;
  const published = new Map<string, string>();

  it('signs in with a one-time link, then opens a new story', async () => {
    page = await newPage();
    await page.goto(await signInLink());
    await page.waitForURL(`${app.baseUrl}/desk`);
    await axe(page);
    const cookie = (await context.cookies()).find((c) => c.name === 'storyline_desk');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false });
    await fill(page, { 'f-data-storyId': STORY, 'f-data-title': 'A story from the desk', 'f-data-summary': 'Written in a browser.', 'f-data-topics': 'diplomacy, energy' });
    await page.getByRole('button', { name: 'Open the story' }).click();
    await page.waitForURL(`${app.baseUrl}/desk/stories/${STORY}`);
    expect(await page.locator('h1').textContent()).toBe('A story from the desk');
    await axe(page);
  });

  it.each(developments)('adds a %s through its form: it shows on the story page and in the feed within 2 s', async (type, headline, fields) => {
    await page.goto(`${app.baseUrl}/desk/stories/${STORY}/add/${type}`);
    await fill(page, { ...common(headline), ...fields });
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.locator('section.preview h3').textContent()).toContain(headline);
    await axe(page);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(PERMALINK);
    published.set(type, page.url());
    await headingShows(page, headline);
    await eventually(async () => (await storyFeed()).includes(headline), { timeoutMs: 2000 });
    // the story's page is a document of its own, written beside the feed's, not after it
    await eventually(async () => (await (await fetch(`${app.baseUrl}/stories/${STORY}`)).text()).includes(headline), { timeoutMs: 2000 });
  });

  it("lists the story's developments newest first, with who recorded them", async () => {
    await page.goto(`${app.baseUrl}/desk/stories/${STORY}`);
    const headlines = await page.locator('.desk-developments h3 a').allTextContents();
    expect(headlines).toEqual([...developments].reverse().map(([, headline]) => headline));
    expect(await page.locator('.desk-developments .meta').first().textContent()).toContain('local:e2e-editor');
    const publicPage = await (await fetch(`${app.baseUrl}/stories/${STORY}`)).text();
    expect(publicPage).not.toContain('local:e2e-editor');
  });

  it('corrects one: the feed item updates and the correction is announced', async () => {
    await page.goto(`${app.baseUrl}/desk/stories/${STORY}`);
    await page.getByRole('link', { name: 'Correct “A comment”' }).click();
    await axe(page);
    await fill(page, { 'f-data-changes-headline': 'A sharper comment', 'f-data-note': 'The headline undersold it.' });
    await page.getByRole('button', { name: 'Publish the correction' }).click();
    await page.waitForURL(PERMALINK);
    await headingShows(page, 'A sharper comment');
    // the item itself takes the new headline (same guid), and the correction is an item of its own
    const comment = published.get('CommentaryPublished')!.split('/').at(-1)!;
    await eventually(async () => {
      const items = await storyFeedItems();
      const corrected = items.find((item) => item.guid.includes(comment));
      return corrected?.title === 'A sharper comment' && items.some((item) => item.title === 'Correction: A sharper comment' && item.description.includes('The headline undersold it.'));
    }, { timeoutMs: 2000 });
  });

  it('retracts one', async () => {
    await page.goto(`${app.baseUrl}/desk/stories/${STORY}`);
    await page.getByRole('link', { name: 'Retract “Talks stall”' }).click();
    await axe(page);
    await fill(page, { 'f-data-reason': 'The source withdrew it.' });
    await page.getByRole('button', { name: 'Retract' }).click();
    await page.waitForURL(PERMALINK);
    await eventually(async () => ((await page.locator('.withdrawn-note').count()) > 0 && ((await page.locator('.withdrawn-note').textContent()) ?? '').includes('The source withdrew it.')) || (await page.reload(), false), { timeoutMs: 5000, intervalMs: 250 });
    await eventually(async () => (await storyFeedItems()).some((item) => item.title === 'Retraction: Talks stall' && item.description.includes('The source withdrew it.')), { timeoutMs: 2000 });
  });

  it("changes the title, summary and topics: the story's page and its feed in every format take them, each with a new ETag and Last-Modified", async () => {
    const feedUrl = (format: string) => `${app.baseUrl}/stories/${STORY}/feed.${format}`;
    const storyUrl = `${app.baseUrl}/stories/${STORY}`;
    const etagOf = async (url: string) => (await fetchRead(url)).headers.get('etag');
    const before = await Promise.all([...FORMATS.map((format) => etagOf(feedUrl(format))), etagOf(storyUrl)]);
    await page.goto(`${app.baseUrl}/desk/stories/${STORY}`);
    // a reader that sends If-Modified-Since alone must see the new title: the feed changed when the story was revised
    const revisedFrom = Math.floor(Date.now() / 1000) * 1000;
    await fill(page, { 'f-data-title': 'A retitled story', 'f-data-summary': 'Revised in a browser.', 'f-data-topics': 'diplomacy, energy, railways' });
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.waitForURL(`${app.baseUrl}/desk/stories/${STORY}`);
    expect(await page.locator('h1').textContent()).toBe('A retitled story');
    await axe(page);

    const xml = new XMLParser();
    const feedTitles = async () => {
      const [rss, atom, json] = await Promise.all(FORMATS.map(async (format) => (await fetch(feedUrl(format))).text()));
      const channel = xml.parse(rss!).rss.channel as { title: string; description: string };
      const feed = xml.parse(atom!).feed as { title: string; subtitle: string };
      const jsonFeed = JSON.parse(json!) as { title: string; description: string };
      return { rss: [channel.title, channel.description], atom: [feed.title, feed.subtitle], json: [jsonFeed.title, jsonFeed.description] };
    };
    const revised = ['A retitled story', 'Revised in a browser.'];
    await eventually(async () => JSON.stringify(await feedTitles()) === JSON.stringify({ rss: revised, atom: revised, json: revised }), { timeoutMs: 3000 });
    // the story's page is a document of its own, written beside the feeds'
    await eventually(async () => (await (await fetch(storyUrl)).text()).includes('<h1>A retitled story</h1>'), { timeoutMs: 3000 });
    const after = await Promise.all([...FORMATS.map((format) => etagOf(feedUrl(format))), etagOf(storyUrl)]);
    after.forEach((etag, i) => expect(etag).not.toBe(before[i]));
    for (const format of FORMATS) expect(Date.parse((await fetchRead(feedUrl(format))).headers.get('last-modified') ?? '')).toBeGreaterThanOrEqual(revisedFrom);

    const publicPage = await newPage();
    await publicPage.goto(storyUrl);
    expect(await publicPage.title()).toBe('A retitled story · Storyline');
    expect(await publicPage.locator('h1').textContent()).toBe('A retitled story');
    expect(await publicPage.locator('main').textContent()).toContain('Revised in a browser.');
    await publicPage.close();
  });

  it('appends once on a double-click', async () => {
    await page.goto(`${app.baseUrl}/desk/stories/${STORY}/add/CommentaryPublished`);
    await fill(page, { ...common('Clicked twice'), 'f-data-outlet': 'minister', 'f-data-quote': 'Twice.' });
    await page.getByRole('button', { name: 'Publish' }).dblclick();
    await page.waitForURL(PERMALINK);
    const log = await (await fetch(`${app.baseUrl}/stories/${STORY}/events?limit=1000`)).json() as { events: { data: { headline?: string } }[] };
    expect(log.events.filter((e) => e.data.headline === 'Clicked twice')).toHaveLength(1);
  });

  it('shows what changed when the version is stale, and publishes again', async () => {
    await page.goto(`${app.baseUrl}/desk/stories/${STORY}/add/CommentaryPublished`);
    const other = await newPage();
    await other.goto(`${app.baseUrl}/desk/stories/${STORY}/add/CommentaryPublished`);
    await fill(other, { ...common('Meanwhile'), 'f-data-outlet': 'minister', 'f-data-quote': 'First.' });
    await other.getByRole('button', { name: 'Publish' }).click();
    await other.waitForURL(PERMALINK);
    await fill(page, { ...common('Written late'), 'f-data-outlet': 'minister', 'f-data-quote': 'Second.' });
    await page.getByRole('button', { name: 'Publish' }).click();
    expect(await page.locator('section.conflict').textContent()).toContain('Meanwhile');
    expect(await page.inputValue('#f-data-headline')).toBe('Written late');
    await axe(page);
    await page.getByRole('button', { name: 'Publish again' }).click();
    await page.waitForURL(PERMALINK);
    await headingShows(page, 'Written late');
  });

  it('shows a broken story rule beside its field (cancelling an unknown visit), keeping what was typed', async () => {
    await page.goto(`${app.baseUrl}/desk/stories/${STORY}/add/VisitCancelled`);
    await fill(page, { ...common('No such visit'), 'f-data-visitId': 'no-such-visit' });
    await page.getByRole('button', { name: 'Publish' }).click();
    expect(await page.locator('#f-data-visitId-error').textContent()).toContain('no-such-visit');
    expect(await page.locator('.error-summary a').first().getAttribute('href')).toBe('#f-data-visitId');
    expect(await page.inputValue('#f-data-headline')).toBe('No such visit');
    await axe(page);
  });

  it('shows validation errors beside their fields with a summary linking to each', async () => {
    await page.goto(`${app.baseUrl}/desk/stories/${STORY}/add/MeetingHeld`);
    await fill(page, { 'f-data-headline': 'Half a meeting', 'f-data-occurred-precision-2': true, 'f-data-occurred-start': '2026-11' });
    await page.getByRole('button', { name: 'Publish' }).click();
    const links = await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(expect.arrayContaining(['#f-data-summary', '#f-data-occurred-start', '#f-data-meetingId']));
    expect(await page.locator('#f-data-occurred-start-error').textContent()).toContain('day precision');
    expect(await page.inputValue('#f-data-headline')).toBe('Half a meeting');
    await axe(page);
  });
});

describe('the desk with the keyboard alone', () => {
  /** Presses Tab until the element matching `selector` has the focus. */
  const tabTo = async (page: Page, selector: string) => {
    for (let i = 0; i < 300; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  };
  const typeInto = async (page: Page, selector: string, text: string) => {
    await tabTo(page, selector);
    await page.keyboard.type(text);
  };

  /** Tabs to the element matching `selector` and presses Enter on it. */
  const activate = async (page: Page, selector: string) => {
    await tabTo(page, selector);
    await page.keyboard.press('Enter');
  };
  /** Follows the link named `name` by tabbing to it and pressing Enter. */
  const follow = async (page: Page, name: string) => {
    const href = await page.getByRole('link', { name, exact: true }).first().getAttribute('href');
    await activate(page, `a[href="${href}"]`);
  };
  /** Replaces what a field holds with `text`. */
  const retype = async (page: Page, selector: string, text: string) => {
    await tabTo(page, selector);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  };

  it('opens a story, adds, previews and publishes a development, corrects it, retracts it, and revises the story', async () => {
    const keyboard = await browser.newContext();
    const page = await newPage(keyboard);
    await page.goto(await signInLink());
    await page.waitForURL(`${app.baseUrl}/desk`);

    // a new story
    await typeInto(page, '#f-data-storyId', 'keyboard-story');
    await typeInto(page, '#f-data-title', 'A story typed with keys');
    await typeInto(page, '#f-data-summary', 'Opened without a mouse.');
    await typeInto(page, '#f-data-topics', 'diplomacy');
    await activate(page, 'button[value="publish"]');
    await page.waitForURL(`${app.baseUrl}/desk/stories/keyboard-story`);
    await follow(page, 'Desk');
    await page.waitForURL(`${app.baseUrl}/desk`);

    // a development of it, with an actor added on the way, previewed, then published
    await activate(page, 'a[href="/desk/stories/keyboard-story"]');
    await page.waitForURL(`${app.baseUrl}/desk/stories/keyboard-story`);
    await activate(page, 'a[href$="/add/CommentaryPublished"]');
    await page.waitForURL(/\/add\/CommentaryPublished$/);
    await typeInto(page, '#f-actor-actorId', 'keyboardist');
    await typeInto(page, '#f-actor-name', 'The keyboardist');
    await tabTo(page, '#f-actor-kind-0');
    await page.keyboard.press('Space');
    await typeInto(page, '#f-data-headline', 'Typed with the keyboard');
    await typeInto(page, '#f-data-summary', 'No mouse was used.');
    await tabTo(page, '#f-data-occurred-precision-0');
    await page.keyboard.press('Space');
    await typeInto(page, '#f-data-occurred-start', '2026');
    await typeInto(page, '#f-data-sources-0-outlet', 'Dawn');
    await typeInto(page, '#f-data-sources-0-quote', 'Keys only.');
    await tabTo(page, '#f-data-confidence-0');
    await page.keyboard.press('Space');
    await typeInto(page, '#f-data-outlet', 'keyboardist');
    await typeInto(page, '#f-data-quote', 'Enter, not click.');
    await activate(page, 'button[value="preview"]');
    await page.waitForSelector('section.preview');
    expect(await page.locator('section.preview h3').textContent()).toContain('Typed with the keyboard');
    await activate(page, 'button[value="publish"]');
    await page.waitForURL(PERMALINK);
    await headingShows(page, 'Typed with the keyboard');

    // corrected, then retracted, from the story's desk
    await page.goto(`${app.baseUrl}/desk/stories/keyboard-story`);
    await follow(page, 'Correct “Typed with the keyboard”');
    await page.waitForURL(/\/correct$/);
    await retype(page, '#f-data-changes-headline', 'Typed with the keyboard, corrected');
    await typeInto(page, '#f-data-note', 'Corrected with keys.');
    await activate(page, 'button[value="publish"]');
    await page.waitForURL(PERMALINK);
    await headingShows(page, 'Typed with the keyboard, corrected');
    await page.goto(`${app.baseUrl}/desk/stories/keyboard-story`);
    await follow(page, 'Retract “Typed with the keyboard, corrected”');
    await page.waitForURL(/\/retract$/);
    await typeInto(page, '#f-data-reason', 'Retracted with keys.');
    await activate(page, 'button[value="publish"]');
    await page.waitForURL(PERMALINK);
    const retracted = page.url();
    await eventually(async () => (await (await fetch(retracted)).text()).includes('Retracted with keys.'), { timeoutMs: 5000, intervalMs: 250 });

    // the new story revised
    await page.goto(`${app.baseUrl}/desk/stories/keyboard-story`);
    await retype(page, '#f-data-title', 'A story retitled with keys');
    await activate(page, 'button[value="publish"]');
    await page.waitForURL(`${app.baseUrl}/desk/stories/keyboard-story`);
    await eventually(async () => (await page.locator('h1').textContent()) === 'A story retitled with keys' || (await page.reload(), false), { timeoutMs: 5000, intervalMs: 250 });
    await keyboard.close();
  });
});

describe('the home page', () => {
  it('links to the desk for a signed-in editor only: the signed-in variant has its own ETag and no cache may keep it', async () => {
    const anonymous = await browser.newContext();
    const reader = await newPage(anonymous);
    const publicHome = await reader.goto(`${app.baseUrl}/`);
    expect(await reader.locator('a[href="/desk"]').count()).toBe(0);
    expect(publicHome?.headers()).toMatchObject({ 'cache-control': 'public, max-age=5', vary: expect.stringContaining('cookie') });
    await axe(reader);
    await anonymous.close();

    const editor = await newPage();
    await editor.goto(await signInLink());
    await editor.waitForURL(`${app.baseUrl}/desk`);
    const signedIn = await editor.goto(`${app.baseUrl}/`);
    expect(signedIn?.headers()).toMatchObject({ 'cache-control': 'private, no-store', vary: expect.stringContaining('cookie') });
    expect(signedIn?.headers().etag).not.toBe(publicHome?.headers().etag);
    await axe(editor);
    await editor.getByRole('link', { name: 'Desk', exact: true }).click();
    await editor.waitForURL(`${app.baseUrl}/desk`);

    // the public copy's tag is no match for the signed-in variant; a forged or expired cookie is a reader
    const cookie = (await context.cookies()).find((c) => c.name === 'storyline_desk')!;
    const home = (cookies: string, etag = '') => fetch(`${app.baseUrl}/`, { headers: { cookie: cookies, ...(etag ? { 'if-none-match': etag } : {}) } });
    expect((await home(`storyline_desk=${cookie.value}`, publicHome?.headers().etag)).status).toBe(200);
    const forged = await home(`storyline_desk=${cookie.value.slice(0, -4)}AAAA`);
    expect(await forged.text()).not.toContain('href="/desk"');
    expect(forged.headers.get('etag')).toBe(publicHome?.headers().etag);
  });
});

describe('the desk refuses', () => {
  it('a POST without the CSRF token, or from another origin: 403', async () => {
    const page = await newPage();
    await page.goto(await signInLink());
    const cookie = (await context.cookies()).find((c) => c.name === 'storyline_desk')!;
    const post = (origin: string, body: string) =>
      fetch(`${app.baseUrl}/desk/stories`, { method: 'POST', redirect: 'manual', headers: { cookie: `storyline_desk=${cookie.value}`, origin, 'content-type': 'application/x-www-form-urlencoded' }, body });
    const csrf = await page.inputValue('input[name=csrf] >> nth=0');
    const form = `csrf=${csrf}&data.storyId=refused&data.title=T&data.summary=S&data.topics=x`;
    expect((await post(app.baseUrl, form.replace(`csrf=${csrf}&`, ''))).status).toBe(403);
    expect((await post('https://elsewhere.example', form)).status).toBe(403);
    expect((await post(app.baseUrl, form.replace(csrf, 'forged'))).status).toBe(403);
    const log = (await (await fetch(`${app.baseUrl}/stories/refused/events`)).json()) as { events?: unknown[] };
    expect(log.events ?? []).toEqual([]);
  });

  it('a signed-out visit to /desk: redirected to sign in', async () => {
    const response = await fetch(`${app.baseUrl}/desk`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/desk/sign-in');
    const signedOut = await browser.newContext();
    const page = await newPage(signedOut);
    await page.goto(`${app.baseUrl}/desk`);
    await page.waitForURL(`${app.baseUrl}/desk/sign-in`);
    await axe(page);
    await signedOut.close();
  });

  it('a used or expired sign-in link', async () => {
    const fresh = await browser.newContext();
    const page = await newPage(fresh);
    const link = await signInLink();
    await page.goto(link);
    await page.waitForURL(`${app.baseUrl}/desk`);
    const again = await page.goto(link);
    expect(again?.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('already used');
    await axe(page);
    const expired = await page.goto(await signInLink(-60));
    expect(expired?.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('expired');
    await axe(page);
    await fresh.close();
  });
});
