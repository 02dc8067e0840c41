import { randomUUID } from 'node:crypto';
import { apiClient, meeting, openStoryWithActors, type ApiClient, type ApiResponse } from '../support/api';
import { parseXml, unsafeHtml, xmlProblems } from '../support/feed-fixtures';
import { parseWithFeedparser } from '../support/feedparser';
import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';

/**
 * Feeds over real HTTP: what is appended through the API reaches the story, all-stories, topic and
 * actor feeds through the stream runner and the projector; conditional GETs; corrections and
 * retractions; archive pages; and every document parses strictly and in the Universal Feed Parser.
 */

/** Appended events reach the read models through the stream runner: on a loaded machine that can take a while. */
const PATIENCE = { timeoutMs: 30_000 };

let app: RunningStoryline;
let api: ApiClient;
const storyId = 'e2e-feeds';
const topic = 'e2e-topic';
const actorId = 'e2e-actor';

beforeAll(async () => {
  app = await startStoryline();
  api = apiClient(app);
  await openStoryWithActors(api, storyId, {
    title: 'Feeds over HTTP',
    topics: [topic],
    actors: [{ type: 'ActorIdentified', data: { actorId, name: 'An End-to-End Actor', aliases: ['E2E'], kind: 'person', role: 'Tester' } }],
  });
});
afterAll(() => app.stop());

type Format = 'rss' | 'atom' | 'json';
const FORMATS: Format[] = ['rss', 'atom', 'json'];
const CONTENT_TYPES: Record<Format, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};
const feedPaths = (format: Format) => [`/stories/${storyId}/feed.${format}`, `/feed.${format}`, `/topics/${topic}/feed.${format}`, `/actors/${actorId}/feed.${format}`];

/** The item ids of a feed document, in document order, whatever its format. */
const itemIds = (format: Format, body: string): string[] => {
  if (format === 'json') return (JSON.parse(body).items as { id: string }[]).map((i) => i.id);
  if (format === 'rss') return ((parseXml(body).rss.channel.item ?? []) as { guid: { '#text': string } }[]).map((i) => i.guid['#text']);
  return ((parseXml(body).feed.entry ?? []) as { id: string }[]).map((e) => e.id);
};

/** Waits until the feed at `path` holds an item with this event id, and returns the response. */
const feedWith = (path: string, eventId: string, check: (res: ApiResponse) => boolean = () => true): Promise<ApiResponse> =>
  eventually(async () => {
    const res = await api.get(path);
    return res.status === 200 && res.text.includes(`urn:uuid:${eventId}`) && check(res) ? res : undefined;
  }, PATIENCE);

/** A JSON Feed item by event id. */
const jsonItem = (res: ApiResponse, eventId: string): Record<string, any> | undefined => (res.json.items as { id: string }[]).find((i) => i.id === `urn:uuid:${eventId}`);

/** The document parses strictly, and (RSS, Atom) the Universal Feed Parser reads it without a bozo flag. */
const expectWellFormed = async (format: Format, body: string) => {
  if (format === 'json') {
    expect(() => JSON.parse(body)).not.toThrow();
    return undefined;
  }
  expect(xmlProblems(body)).toBeUndefined();
  const parsed = await parseWithFeedparser(body);
  expect(parsed.bozo_exception ?? null).toBeNull();
  expect(parsed.bozo).toBe(false);
  expect(parsed.version).toBe(format === 'rss' ? 'rss20' : 'atom10');
  return parsed;
};

const append = async (storyId: string, body: unknown) => {
  const res = await api.append(storyId, body);
  if (res.status !== 201) throw new Error(`append: ${res.status} ${res.text}`);
  return res.json as { version: number; events: { id: string; version: number; type: string }[] };
};

describe('an appended development', () => {
  const id = randomUUID();
  beforeAll(async () => {
    await append(storyId, { events: [{ id, ...meeting('The first development over HTTP', { topics: [topic], actors: [actorId, 'russia'] }) }] });
  });

  it.each(FORMATS)('appears in the story, all-stories, topic and actor feeds as %s', async (format) => {
    for (const path of feedPaths(format)) {
      const res = await feedWith(path, id);
      expect(itemIds(format, res.text)).toContain(`urn:uuid:${id}`);
      await expectWellFormed(format, res.text);
    }
  });

  it.each(FORMATS)('is served as %s with its content type, cache policy, strong ETag and Last-Modified', async (format) => {
    const res = await feedWith(`/stories/${storyId}/feed.${format}`, id);
    expect(res.headers.get('content-type')).toBe(CONTENT_TYPES[format]);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    const lastModified = res.headers.get('last-modified') ?? '';
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);
    expect(Date.parse(lastModified)).toBeLessThanOrEqual(Date.now());
  });

  it('reads the same in every format: title, link, dates, self link', async () => {
    const rss = await expectWellFormed('rss', (await feedWith(`/stories/${storyId}/feed.rss`, id)).text);
    const atom = await expectWellFormed('atom', (await feedWith(`/stories/${storyId}/feed.atom`, id)).text);
    const json = (await feedWith(`/stories/${storyId}/feed.json`, id)).json;
    const fromRss = rss?.entries.find((e) => e.id === `urn:uuid:${id}`);
    const fromAtom = atom?.entries.find((e) => e.id === `urn:uuid:${id}`);
    const fromJson = json.items.find((i: { id: string }) => i.id === `urn:uuid:${id}`);
    expect(fromRss?.title).toBe('The first development over HTTP');
    expect(fromAtom?.title).toBe('The first development over HTTP');
    expect(fromJson.title).toBe('The first development over HTTP');
    const link = `${app.baseUrl}/stories/${storyId}/developments/${id}`;
    expect([fromRss?.link, fromAtom?.link, fromJson.url]).toEqual([link, link, link]);
    expect(fromRss?.published_parsed).toBe(fromAtom?.published_parsed);
    // feedparser reads whole seconds; JSON Feed and Atom carry the milliseconds
    expect(Math.floor(Date.parse(fromJson.date_published) / 1000) * 1000).toBe(Date.parse(fromAtom?.published_parsed ?? ''));
    expect(rss?.feed.links).toContainEqual(expect.objectContaining({ rel: 'self', href: `${app.baseUrl}/stories/${storyId}/feed.rss` }));
    expect(atom?.feed.links).toContainEqual(expect.objectContaining({ rel: 'self', href: `${app.baseUrl}/stories/${storyId}/feed.atom` }));
    expect(json.feed_url).toBe(`${app.baseUrl}/stories/${storyId}/feed.json`);
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    // RFC 822 with a four-digit year in RSS
    expect(parseXml((await api.get(`/stories/${storyId}/feed.rss`)).text).rss.channel.item[0].pubDate).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  });

  it('links to itself at the host the request named', async () => {
    const res = await fetch(`${app.baseUrl}/stories/${storyId}/feed.atom`, { headers: { 'x-forwarded-host': 'news.example.org', 'x-forwarded-proto': 'https' } });
    const body = await res.text();
    expect(body).toContain('href="https://news.example.org/stories/e2e-feeds/feed.atom"');
    expect(body).not.toContain(app.baseUrl);
  });
});

describe('conditional GET', () => {
  it.each(FORMATS)('answers a repeated conditional GET of %s with 304, and with 200 and a new ETag after an append', async (format) => {
    const path = `/stories/${storyId}/feed.${format}`;
    const first = await eventually(async () => {
      const res = await api.get(path);
      return res.status === 200 ? res : undefined;
    }, PATIENCE);
    const etag = first.headers.get('etag') ?? '';
    const lastModified = first.headers.get('last-modified') ?? '';

    const byEtag = await api.get(path, { 'if-none-match': etag });
    expect(byEtag.status).toBe(304);
    expect(byEtag.text).toBe('');
    expect(byEtag.headers.get('etag')).toBe(etag);
    expect(byEtag.headers.get('cache-control')).toBe('public, max-age=60');
    expect((await api.get(path, { 'if-modified-since': lastModified })).status).toBe(304);
    expect((await api.get(path, { 'if-none-match': etag, 'if-modified-since': lastModified })).status).toBe(304);

    const { events } = await append(storyId, { events: [meeting(`A new development for ${format} readers`, { topics: [topic] })] });
    const changed = await eventually(async () => {
      const res = await api.get(path, { 'if-none-match': etag });
      return res.status === 200 && res.text.includes(`urn:uuid:${events[0]?.id}`) ? res : undefined;
    }, PATIENCE);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(Date.parse(changed.headers.get('last-modified') ?? '')).toBeGreaterThanOrEqual(Date.parse(lastModified));
    expect((await api.get(path, { 'if-none-match': changed.headers.get('etag') ?? '' })).status).toBe(304);
  });

  it('moves Last-Modified when a back-dated development is appended, so If-Modified-Since sees the change', async () => {
    // a story whose developments were all reported in 2012, as when an archive is being entered
    const backdated = 'e2e-backdated';
    await openStoryWithActors(api, backdated);
    const first = await append(backdated, { events: [{ ...meeting('Reported in 2012'), reportedAt: '2012-10-05T09:00:00Z' }] });
    await feedWith(`/stories/${backdated}/feed.rss`, first.events[0]?.id ?? '');
    const { events } = await append(backdated, { events: [{ ...meeting('Also reported in 2012, recorded later'), reportedAt: '2012-10-04T09:00:00Z' }] });
    const res = await feedWith(`/stories/${backdated}/feed.rss`, events[0]?.id ?? '');
    const recordedAt = (await api.log(backdated)).find((e) => e.id === events[0]?.id).recordedAt as string;
    const changedAt = Math.floor(Date.parse(recordedAt) / 1000) * 1000;
    // Last-Modified is when the representation changed, not when its newest item was reported
    expect(Date.parse(res.headers.get('last-modified') ?? '')).toBeGreaterThanOrEqual(changedAt);
    // a reader that validates by date only, and last fetched before this append
    const since = new Date(changedAt - 1000).toUTCString();
    expect((await api.get(`/stories/${backdated}/feed.rss`, { 'if-modified-since': since })).status).toBe(200);
  });
});

describe('a correction', () => {
  const id = randomUUID();
  const correctionId = randomUUID();
  let original: Record<string, any>;

  beforeAll(async () => {
    await append(storyId, { events: [{ id, ...meeting('The original headline', { topics: [topic], actors: [actorId] }) }] });
    original = jsonItem(await feedWith(`/stories/${storyId}/feed.json`, id), id) ?? {};
    await append(storyId, { events: [{ id: correctionId, type: 'DevelopmentCorrected', data: { eventId: id, changes: { headline: 'The corrected headline' }, note: 'The headline misnamed the meeting.' } }] });
  });

  it('updates the item it corrects: same id, new title, new date_modified', async () => {
    const res = await feedWith(`/stories/${storyId}/feed.json`, correctionId);
    const items = (res.json.items as { id: string }[]).filter((i) => i.id === `urn:uuid:${id}`);
    expect(items).toHaveLength(1);
    const item = items[0] as Record<string, any>;
    expect(original.title).toBe('The original headline');
    expect(item.title).toBe('The corrected headline');
    expect(item.date_published).toBe(original.date_published);
    expect(Date.parse(item.date_modified)).toBeGreaterThan(Date.parse(original.date_modified));
    expect(item._storyline.corrections).toEqual([{ id: `urn:uuid:${correctionId}`, note: 'The headline misnamed the meeting.', at: expect.any(String) }]);
    // date_modified is the item's feed date (whole seconds, spaced after the correction's own item): the correction's report time, to a few seconds
    expect(Math.abs(Date.parse(item.date_modified) - Date.parse(item._storyline.corrections[0].at))).toBeLessThan(3000);
  });

  it('is announced as its own item', async () => {
    const res = await feedWith(`/stories/${storyId}/feed.json`, correctionId);
    const announcement = jsonItem(res, correctionId);
    expect(announcement?.title).toBe('Correction: The corrected headline');
    expect(announcement?._storyline).toEqual(expect.objectContaining({ kind: 'correction', concerns: `urn:uuid:${id}` }));
    expect(announcement?.content_text).toContain('The headline misnamed the meeting.');
  });

  it.each(['rss', 'atom'] as const)('shows in %s as the same entry, updated, plus the announcement', async (format) => {
    const parsed = await expectWellFormed(format, (await feedWith(`/stories/${storyId}/feed.${format}`, correctionId)).text);
    const entries = parsed?.entries.filter((e) => e.id === `urn:uuid:${id}`) ?? [];
    expect(entries).toHaveLength(1);
    expect(entries[0]?.title).toBe('The corrected headline');
    expect(parsed?.entries.find((e) => e.id === `urn:uuid:${correctionId}`)?.title).toBe('Correction: The corrected headline');
    // the dates as written (feedparser keeps whole seconds only, and both may fall in the same second)
    const body = (await api.get(`/stories/${storyId}/feed.${format}`)).text;
    const raw =
      format === 'rss'
        ? (parseXml(body).rss.channel.item as Record<string, any>[]).find((i) => i.guid['#text'] === `urn:uuid:${id}`)
        : (parseXml(body).feed.entry as Record<string, any>[]).find((e) => e.id === `urn:uuid:${id}`);
    const updated = format === 'rss' ? raw?.['atom:updated'] : raw?.updated;
    const published = format === 'rss' ? raw?.pubDate : raw?.published;
    expect(Date.parse(updated)).toBeGreaterThan(Date.parse(published));
    expect(Date.parse(updated)).toBeGreaterThan(Date.parse(original.date_published));
  });

  it('reaches the topic and actor feeds of the corrected development', async () => {
    for (const path of [`/topics/${topic}/feed.json`, `/actors/${actorId}/feed.json`, '/feed.json']) {
      const res = await feedWith(path, correctionId);
      expect(jsonItem(res, id)?.title).toBe('The corrected headline');
    }
  });
});

describe('a retraction', () => {
  const id = randomUUID();
  const retractionId = randomUUID();

  beforeAll(async () => {
    await append(storyId, { events: [{ id, ...meeting('A meeting that never was', { topics: [topic] }) }] });
    await append(storyId, { events: [{ id: retractionId, type: 'DevelopmentRetracted', data: { eventId: id, reason: 'The source withdrew its report.' } }] });
  });

  it('shows the item withdrawn', async () => {
    const res = await feedWith(`/stories/${storyId}/feed.json`, retractionId);
    const item = jsonItem(res, id);
    expect(item?.title).toBe('[Withdrawn] A meeting that never was');
    expect(item?._storyline.withdrawn).toEqual({ reason: 'The source withdrew its report.', at: expect.any(String) });
    expect(item?.content_text).toMatch(/^Withdrawn: The source withdrew its report\./);
    const rss = await expectWellFormed('rss', (await feedWith(`/stories/${storyId}/feed.rss`, retractionId)).text);
    const entry = rss?.entries.find((e) => e.id === `urn:uuid:${id}`);
    expect(entry?.title).toBe('[Withdrawn] A meeting that never was');
    expect(entry?.summary).toContain('Withdrawn:');
  });

  it('is announced as its own item', async () => {
    const res = await feedWith(`/stories/${storyId}/feed.json`, retractionId);
    const announcement = jsonItem(res, retractionId);
    expect(announcement?.title).toBe('Retraction: A meeting that never was');
    expect(announcement?._storyline).toEqual(expect.objectContaining({ kind: 'retraction', concerns: `urn:uuid:${id}` }));
    const atom = await expectWellFormed('atom', (await feedWith(`/stories/${storyId}/feed.atom`, retractionId)).text);
    expect(atom?.entries.find((e) => e.id === `urn:uuid:${retractionId}`)?.title).toBe('Retraction: A meeting that never was');
  });

  it('refuses to retract or correct it again: 422 naming the rule', async () => {
    const again = await api.append(storyId, { events: [{ type: 'DevelopmentCorrected', data: { eventId: id, changes: { headline: 'Too late' }, note: 'No.' } }] });
    expect(again.status).toBe(422);
    expect(again.json.rule).toBe('target-retracted');
  });
});

describe('archives', () => {
  const archived = 'e2e-archive';
  /** 55 developments reported a minute apart: the newest 50 on the feed, the oldest 50 on archive page 1. */
  const ids = Array.from({ length: 55 }, () => randomUUID());
  const reportedAt = (i: number) => new Date(Date.parse('2012-10-01T00:00:00Z') + i * 60_000).toISOString();
  const urns = (list: string[]) => list.map((id) => `urn:uuid:${id}`);

  beforeAll(async () => {
    await openStoryWithActors(api, archived);
    const events = ids.map((id, i) => ({ id, ...meeting(`Archived development ${i}`), reportedAt: reportedAt(i) }));
    await append(archived, { events: events.slice(0, 50) });
    await append(archived, { events: events.slice(50) });
  });

  it.each(['rss', 'atom'] as const)('links a %s feed of more than 50 items to its archive page (RFC 5005), counted from the oldest item, which is served', async (format) => {
    // the items of one batch are written in parallel requests: wait until the whole batch shows, not only its newest item
    const current = await feedWith(`/stories/${archived}/feed.${format}`, ids[54] ?? '', (res) => res.text.includes('prev-archive') && ids.slice(5).every((id) => res.text.includes(`urn:uuid:${id}`)));
    expect(itemIds(format, current.text)).toEqual(urns(ids.slice(5).reverse()));
    const parsed = await expectWellFormed(format, current.text);
    const prev = parsed?.feed.links.find((l) => l.rel === 'prev-archive')?.href;
    expect(prev).toBe(`${app.baseUrl}/stories/${archived}/feed.${format}?page=1`);

    const page = await api.get(new URL(prev ?? '').pathname + new URL(prev ?? '').search);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe(CONTENT_TYPES[format]);
    expect(page.headers.get('etag')).toMatch(/^"[^"]+"$/);
    // the oldest 50 items (a full page): the reader has them all, from the feed and its archive
    expect(itemIds(format, page.text)).toEqual(urns(ids.slice(0, 50).reverse()));
    expect(page.text).toContain('<fh:archive/>');
    const archive = await expectWellFormed(format, page.text);
    expect(archive?.feed.links).toContainEqual(expect.objectContaining({ rel: 'current', href: `${app.baseUrl}/stories/${archived}/feed.${format}` }));
    expect(archive?.feed.links).toContainEqual(expect.objectContaining({ rel: 'self', href: prev }));
    expect(archive?.feed.links.some((l) => l.rel === 'prev-archive' || l.rel === 'next-archive')).toBe(false);
    expect((await api.get(`/stories/${archived}/feed.${format}?page=2`)).status).toBe(404);
  });

  it('gives the JSON Feed a next_url to the older items, which is served', async () => {
    const current = await feedWith(`/stories/${archived}/feed.json`, ids[54] ?? '', (res) => res.json.next_url !== undefined);
    expect(current.json.items).toHaveLength(50);
    expect(current.json.next_url).toBe(`${app.baseUrl}/stories/${archived}/feed.json?page=1`);
    const older = await api.get(`/stories/${archived}/feed.json?page=1`);
    expect(older.status).toBe(200);
    expect(older.json.items.map((i: { id: string }) => i.id)).toEqual(urns(ids.slice(0, 50).reverse()));
    expect(older.json.next_url).toBeUndefined();
  });

  it('keeps an archive as it is when newer items arrive, and adds the next one when they fill a page', async () => {
    const before = await api.get(`/stories/${archived}/feed.rss?page=1`);
    const newer = Array.from({ length: 45 }, () => randomUUID());
    await append(archived, { events: newer.map((id, i) => ({ id, ...meeting(`Newer development ${i}`), reportedAt: reportedAt(55 + i) })) });
    const current = await feedWith(`/stories/${archived}/feed.rss`, newer[44] ?? '', (res) => res.text.includes('?page=2'));
    expect(itemIds('rss', current.text)).toEqual(urns([...ids, ...newer].slice(50).reverse()));

    // the same items, byte for byte (RFC 5005: an archive's entries do not change); only its links grow a next-archive
    const items = (body: string) => body.slice(body.indexOf('<item>'));
    const unchanged = await api.get(`/stories/${archived}/feed.rss?page=1`);
    expect(items(unchanged.text)).toBe(items(before.text));
    expect((await expectWellFormed('rss', unchanged.text))?.feed.links).toContainEqual(expect.objectContaining({ rel: 'next-archive', href: `${app.baseUrl}/stories/${archived}/feed.rss?page=2` }));

    const second = await api.get(`/stories/${archived}/feed.rss?page=2`);
    expect(itemIds('rss', second.text)).toEqual(urns([...ids, ...newer].slice(50, 100).reverse()));
    const links = (await expectWellFormed('rss', second.text))?.feed.links ?? [];
    expect(links).toContainEqual(expect.objectContaining({ rel: 'prev-archive', href: `${app.baseUrl}/stories/${archived}/feed.rss?page=1` }));
    expect(links.some((l) => l.rel === 'next-archive')).toBe(false);
    expect((await expectWellFormed('rss', current.text))?.feed.links).toContainEqual(expect.objectContaining({ rel: 'prev-archive', href: `${app.baseUrl}/stories/${archived}/feed.rss?page=2` }));
  });
});

describe('the seed story', () => {
  it.each(['rss', 'atom'] as const)('is a well-formed %s feed that the Universal Feed Parser reads', async (format) => {
    const res = await eventually(async () => {
      const r = await api.get(`/stories/russia-pakistan-2012/feed.${format}`);
      return r.status === 200 ? r : undefined;
    }, PATIENCE);
    const parsed = await expectWellFormed(format, res.text);
    expect(parsed?.entries.length).toBeGreaterThan(20);
    expect(parsed?.entries.every((e) => /^urn:uuid:[0-9a-f-]{36}$/.test(e.id ?? ''))).toBe(true);
    const all = await api.get(`/feed.${format}`);
    await expectWellFormed(format, all.text);
  });
});

describe('hostile content appended through the API', () => {
  const hostileStory = 'e2e-hostile';
  const hostileActor = 'e2e-hostile-actor';
  const CONTROLS = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f\u0085\uFFFE\uFFFF';
  const HOSTILE = `]]> <script>alert(1)</script> <img src=x onerror=alert(1)> ${CONTROLS} \ud800 lone \udc00 \u202egnp.exe\u202c <![CDATA[x]]> &amp; &#0; "q" 'a'`;
  const id = randomUUID();
  const correctionId = randomUUID();
  const retractedId = randomUUID();
  const retractionId = randomUUID();
  const longId = randomUUID();
  const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
  const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

  beforeAll(async () => {
    // JSON.stringify writes lone surrogates as \ud800 escapes: the server receives them as such
    const opened = await api.openStory(hostileStory, undefined, { raw: JSON.stringify({ title: `Story ${HOSTILE}`, summary: HOSTILE, topics: ['e2e-hostile-topic'] }) });
    expect(opened.status).toBe(201);
    expect(opened.text).not.toContain('\ud800');
    await append(hostileStory, {
      events: [
        { type: 'ActorIdentified', data: { actorId: 'russia', name: 'Russia', aliases: [], kind: 'country' } },
        { type: 'ActorIdentified', data: { actorId: 'pakistan', name: 'Pakistan', aliases: [], kind: 'country' } },
        { type: 'ActorIdentified', data: { actorId: hostileActor, name: `Actor ${HOSTILE}`, aliases: [HOSTILE], kind: 'person', role: HOSTILE } },
      ],
    });
  });

  it('refuses javascript:, data: and other non-http(s) source URLs: 400 naming the field', async () => {
    for (const url of ['javascript:alert(1)', 'JavaScript:alert(document.cookie)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'file:///etc/passwd', '//evil.example/x', 'not a url']) {
      const res = await api.append(hostileStory, { events: [meeting('A link', { sources: [{ outlet: 'Evil', quote: 'Click', url }] })] });
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json.errors).toEqual([{ field: 'events.0.data.sources.0.url', message: expect.any(String) }]);
    }
  });

  it('accepts hostile text, and feeds carry it as inert, well-formed text', async () => {
    const hostileDevelopment = (eventId: string, headline: string) => ({
      id: eventId,
      ...meeting(`${headline} ${HOSTILE}`, {
        summary: `Summary ${HOSTILE}\n\n<a href="javascript:alert(1)">click</a>`,
        places: [HOSTILE],
        actors: [hostileActor],
        topics: ['e2e-hostile-topic'],
        outcome: HOSTILE,
        sources: [{ outlet: `Outlet ${HOSTILE}`, quote: `Quote ${HOSTILE}`, url: 'https://example.com/a?b="c"&d=<script>alert(1)</script>' }],
      }),
    });
    const events = [
      hostileDevelopment(id, 'Headline'),
      hostileDevelopment(retractedId, 'Retracted'),
      { id: correctionId, type: 'DevelopmentCorrected', data: { eventId: id, changes: { headline: `Corrected ${HOSTILE}`, places: [HOSTILE] }, note: `Note ${HOSTILE}` } },
      { id: retractionId, type: 'DevelopmentRetracted', data: { eventId: retractedId, reason: `Reason ${HOSTILE}` } },
    ];
    const res = await api.append(hostileStory, undefined, { raw: JSON.stringify({ events }) });
    expect(res.status).toBe(201);

    // a batch's feed items are written in several BatchWriteItem requests at once, not atomically: wait for all four
    const hasAll = (res: ApiResponse) => [id, correctionId, retractedId].every((eventId) => res.text.includes(`urn:uuid:${eventId}`));
    for (const path of [`/stories/${hostileStory}/feed`, `/actors/${hostileActor}/feed`, '/topics/e2e-hostile-topic/feed', '/feed']) {
      for (const format of FORMATS) {
        const feed = await feedWith(`${path}.${format}`, retractionId, hasAll);
        await expectInert(format, feed.text, [id, correctionId, retractedId, retractionId]);
      }
    }
  });

  it('carries about 60 KiB of text within the 64 KiB body limit', async () => {
    const quote = 'A long line of news, repeated for length. '.repeat(113).trim(); // 4,745 characters
    const event = {
      id: longId,
      ...meeting(`A long development ${HOSTILE}`, {
        summary: `${HOSTILE}\n\n${'Paragraph of a long report. '.repeat(350).trim()}`,
        actors: [hostileActor],
        sources: Array.from({ length: 11 }, (_, i) => ({ outlet: `Outlet ${i}`, quote, url: `https://example.com/${i}` })),
      }),
    };
    const raw = JSON.stringify({ events: [event] });
    expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.byteLength(raw)).toBeGreaterThan(62 * 1024);
    expect((await api.append(hostileStory, undefined, { raw })).status).toBe(201);

    for (const format of FORMATS) {
      const feed = await feedWith(`/stories/${hostileStory}/feed.${format}`, longId);
      const [content = ''] = await expectInert(format, feed.text, [longId]);
      expect(content.length).toBeGreaterThan(60 * 1024);
    }
  });

  /** Checks a document with hostile content; returns the decoded HTML content of these items. */
  const expectInert = async (format: Format, body: string, eventIds: string[]): Promise<string[]> => {
    expect(body).not.toMatch(FORBIDDEN);
    expect(body).not.toMatch(/javascript:alert\(1\)"/);
    const parsed = await expectWellFormed(format, body);
    /** Every item as (id, plain-text title, HTML content), and the feed's own title. */
    let items: { id: string; title: string; html: string }[];
    let feedTitle: string;
    if (format === 'json') {
      const feed = JSON.parse(body);
      items = (feed.items as Record<string, string>[]).map((i) => ({ id: String(i.id), title: String(i.title), html: String(i.content_html) }));
      feedTitle = feed.title;
      expect(JSON.stringify(feed)).not.toMatch(FORBIDDEN);
    } else if (format === 'rss') {
      const channel = parseXml(body).rss.channel;
      items = (channel.item as Record<string, any>[]).map((i) => ({ id: String(i.guid['#text']), title: String(i.title), html: String(i.description) }));
      feedTitle = String(channel.title);
    } else {
      const feed = parseXml(body).feed;
      items = (feed.entry as Record<string, any>[]).map((e) => ({ id: String(e.id), title: String(e.title['#text']), html: String(e.content['#text']) }));
      feedTitle = String(feed.title['#text']);
    }
    for (const item of items) expect({ id: item.id, problems: unsafeHtml(item.html) }).toEqual({ id: item.id, problems: [] });
    for (const label of [feedTitle, ...items.map((i) => i.title)]) {
      expect(label).not.toMatch(BIDI);
      expect(label).not.toMatch(FORBIDDEN);
      expect(label).not.toMatch(/[\r\n\t]/);
    }
    return eventIds.map((eventId) => {
      const item = items.find((i) => i.id === `urn:uuid:${eventId}`);
      const html = item?.html ?? '';
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<img/i);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      // a title is plain text: the reader shows the characters, it does not run them
      expect(item?.title).toContain('<script>alert(1)</script>');
      if (parsed) {
        // what a reader shows: feedparser's view has no script either
        const entry = parsed.entries.find((e) => e.id === `urn:uuid:${eventId}`);
        expect(entry?.summary ?? '').not.toMatch(/<script/i);
        expect(JSON.stringify(entry)).not.toMatch(/href=\\?"javascript:/i);
      }
      return html;
    });
  };
});
