import { renderAtom } from '../../functions/render/atom';
import { renderJsonFeed } from '../../functions/render/json-feed';
import { renderRss } from '../../functions/render/rss';
import { NOW, hostileFeed, makeLinks, parseXml, unsafeHtml, xmlProblems } from '../support/feed-fixtures';
import { parseWithFeedparser } from '../support/feedparser';

/**
 * Entries whose text carries `]]>`, script tags, javascript: URLs, every C0 control, lone
 * surrogates, bidi overrides and 60 KiB of text: the output still parses strictly, and no
 * markup or link from the entry reaches a reader.
 */
const feed = hostileFeed();
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

describe('hostile content in RSS', () => {
  const rss = renderRss(feed, makeLinks('rss'), NOW);
  const items = parseXml(rss).rss.channel.item as Record<string, any>[];

  it('carries the 60 KiB entry', () => {
    expect(rss.length).toBeGreaterThan(60 * 1024);
  });

  it('is strictly well-formed XML', () => {
    expect(xmlProblems(rss)).toBeUndefined();
  });

  it('keeps scripts and non-http(s) links out of the HTML content', () => {
    for (const item of items) expect(unsafeHtml(item.description)).toEqual([]);
    expect(items[0]?.description).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('keeps titles plain, single-line and free of bidi overrides', () => {
    const title = String(items[0]?.title);
    expect(title.startsWith('[Withdrawn] ]]> <script>alert(1)</script>')).toBe(true);
    expect(title).not.toMatch(BIDI);
    expect(title).not.toMatch(FORBIDDEN);
    expect(title).not.toContain('\n');
  });

  it('is read by the Universal Feed Parser without complaint and without scripts', async () => {
    const parsed = await parseWithFeedparser(rss);
    expect(parsed.bozo_exception ?? null).toBeNull();
    expect(parsed.bozo).toBe(false);
    expect(parsed.entries).toHaveLength(2);
    expect(parsed.entries[0]?.id).toBe('urn:uuid:00000000-0000-4000-8000-00000000029a');
    expect(parsed.entries[0]?.title).toContain('<script>alert(1)</script>');
    expect(parsed.entries[0]?.summary).not.toMatch(/<script/i);
    expect(parsed.entries[0]?.summary).not.toMatch(/href\s*=\s*["']?\s*javascript:/i);
    expect(parsed.entries[0]?.summary?.length ?? 0).toBeGreaterThan(60 * 1024);
  });
});

describe('hostile content in Atom', () => {
  const atom = renderAtom(feed, makeLinks('atom'), NOW);
  const root = parseXml(atom).feed;
  const entries = root.entry as Record<string, any>[];

  it('is strictly well-formed XML', () => {
    expect(xmlProblems(atom)).toBeUndefined();
  });

  it('keeps scripts and non-http(s) links out of the HTML content', () => {
    for (const entry of entries) expect(unsafeHtml(entry.content['#text'])).toEqual([]);
  });

  it('keeps titles and category terms plain and free of bidi overrides', () => {
    expect(String(entries[0]?.title['#text'])).not.toMatch(BIDI);
    expect(String(root.title['#text'])).not.toMatch(BIDI);
    for (const category of entries[0]?.category as Record<string, string>[]) expect(category['@_term']).not.toMatch(BIDI);
  });

  it('is read by the Universal Feed Parser without complaint and without scripts', async () => {
    const parsed = await parseWithFeedparser(atom);
    expect(parsed.bozo_exception ?? null).toBeNull();
    expect(parsed.bozo).toBe(false);
    expect(parsed.entries.map((e) => e.id)).toEqual(['urn:uuid:00000000-0000-4000-8000-00000000029a', 'urn:uuid:00000000-0000-4000-8000-000000000001']);
    expect(parsed.entries[0]?.title).toContain('<script>alert(1)</script>');
    const content = parsed.entries[0]?.content[0]?.value ?? '';
    expect(content).not.toMatch(/<script/i);
    expect(content).not.toMatch(/href\s*=\s*["']?\s*javascript:/i);
  });
});

describe('hostile content in JSON Feed', () => {
  const text = renderJsonFeed(feed, makeLinks('json'), NOW);
  const json = JSON.parse(text) as Record<string, any>;
  const items = json.items as Record<string, any>[];

  it('is JSON without forbidden characters or bidi overrides in titles', () => {
    expect(text).not.toMatch(FORBIDDEN);
    expect(json.title).not.toMatch(BIDI);
    expect(items[0]?.title).not.toMatch(BIDI);
  });

  it('keeps scripts and non-http(s) links out of content_html', () => {
    for (const item of items) expect(unsafeHtml(item.content_html)).toEqual([]);
    expect(items[0]?.content_text).not.toContain('javascript:');
  });

  it('escapes everything in the _storyline extension as plain text', () => {
    expect(items[0]?._storyline.withdrawn.reason).not.toMatch(FORBIDDEN);
  });
});
