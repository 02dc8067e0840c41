import { renderRss } from '../../functions/render/rss';
import {
  NOW,
  archiveLinks,
  correctedEntry,
  correctionItem,
  makeEntry,
  makeFeed,
  makeLinks,
  manyEntries,
  parseXml,
  uuid,
  withdrawnEntry,
  xmlProblems,
} from '../support/feed-fixtures';
import { type ParsedFeed, parseWithFeedparser } from '../support/feedparser';

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

const feed = makeFeed([correctionItem(), correctedEntry(), withdrawnEntry(), makeEntry()]);
const rss = renderRss(feed, makeLinks('rss'), NOW);
const channel = parseXml(rss).rss.channel;
const items = channel.item as Record<string, any>[];
const atomLinks = (c: Record<string, any>): Record<string, string> =>
  Object.fromEntries((c['atom:link'] as Record<string, string>[]).map((l) => [l['@_rel'], l['@_href']]));

describe('RSS 2.0', () => {
  it('is strictly well-formed XML', () => {
    expect(xmlProblems(rss)).toBeUndefined();
    expect(rss.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  });

  it('declares the Atom and feed history namespaces on an rss 2.0 root', () => {
    const root = parseXml(rss).rss;
    expect(root['@_version']).toBe('2.0');
    expect(root['@_xmlns:atom']).toBe('http://www.w3.org/2005/Atom');
    expect(root['@_xmlns:fh']).toBe('http://purl.org/syndication/history/1.0');
  });

  it('describes the channel', () => {
    expect(channel.title).toBe('State visit');
    expect(channel.link).toBe('https://news.example.org/stories/state-visit');
    expect(channel.description).toBe('Every development of the state visit, as it is reported.');
    expect(channel.ttl).toBe('15');
    expect(channel.lastBuildDate).toBe('Sun, 07 Oct 2012 10:00:00 GMT');
  });

  it('links to itself and to the current page', () => {
    const links = atomLinks(channel);
    expect(links.self).toBe('https://news.example.org/stories/state-visit/feed.rss');
    expect(links.current).toBe('https://news.example.org/stories/state-visit/feed.rss');
    expect(links['prev-archive']).toBeUndefined();
    expect(channel['fh:archive']).toBeUndefined();
  });

  it('links an archive page to its neighbours and marks it (RFC 5005)', () => {
    const archive = renderRss(feed, archiveLinks('rss'), NOW);
    expect(xmlProblems(archive)).toBeUndefined();
    const archiveChannel = parseXml(archive).rss.channel;
    const links = atomLinks(archiveChannel);
    expect(links.self).toBe('https://news.example.org/stories/state-visit/feed.rss?page=2');
    expect(links.current).toBe('https://news.example.org/stories/state-visit/feed.rss');
    expect(links['prev-archive']).toBe('https://news.example.org/stories/state-visit/feed.rss?page=1');
    expect(links['next-archive']).toBe('https://news.example.org/stories/state-visit/feed.rss?page=3');
    expect(archive).toContain('<fh:archive/>');
  });

  it('gives every item a guid derived from its event id, not a permalink', () => {
    expect(items.map((i) => i.guid['#text'])).toEqual([uuid(31), uuid(30), uuid(20), uuid(1)].map((id) => `urn:uuid:${id}`));
    expect(items.every((i) => i.guid['@_isPermaLink'] === 'false')).toBe(true);
  });

  it('keeps the guid when the entry is corrected or withdrawn', () => {
    const original = makeEntry({}, 30);
    const before = parseXml(renderRss(makeFeed([original]), makeLinks('rss'), NOW)).rss.channel.item[0];
    expect(before.guid['#text']).toBe(items[1]?.guid['#text']);
  });

  it('dates items in RFC 822 with four-digit years', () => {
    expect(items.map((i) => i.pubDate)).toEqual([
      'Sun, 07 Oct 2012 10:00:00 GMT',
      'Thu, 04 Oct 2012 09:30:00 GMT',
      'Thu, 04 Oct 2012 09:30:00 GMT',
      'Thu, 04 Oct 2012 09:30:00 GMT',
    ]);
    expect(items.every((i) => RFC822.test(i.pubDate))).toBe(true);
  });

  it('announces when a corrected item was updated', () => {
    expect(items[1]?.['atom:updated']).toBe('2012-10-07T10:00:00Z');
    expect(items[3]?.['atom:updated']).toBeUndefined();
  });

  it('never dates anything in the future', () => {
    const future = makeEntry({ published: '2031-01-01T00:00:00Z', updated: '2032-01-01T00:00:00Z' });
    const document = renderRss(makeFeed([future]), makeLinks('rss'), NOW);
    const c = parseXml(document).rss.channel;
    expect(c.item[0].pubDate).toBe('Wed, 10 Oct 2012 12:00:00 GMT');
    expect(c.lastBuildDate).toBe('Wed, 10 Oct 2012 12:00:00 GMT');
  });

  it('titles withdrawn entries and corrections plainly', () => {
    expect(items.map((i) => i.title)).toEqual([
      'Correction: The president met the prime minister',
      'The president met the prime minister',
      '[Withdrawn] The president will visit Lyon',
      'The president will visit Paris (1)',
    ]);
    expect(items[2]?.description).toContain('<p><strong>Withdrawn:</strong> The source confused Lyon with Paris.</p>');
    expect(items[1]?.description).toContain('The meeting lasted two days, not one.');
  });

  it('links items to their page under the base URL', () => {
    expect(items[3]?.link).toBe(`https://news.example.org/stories/state-visit/developments/${uuid(1)}`);
  });

  it('omits the link of an item whose page is not an http(s) URL', () => {
    const document = renderRss(makeFeed([makeEntry({ kind: 'digest', path: '//evil.example.com/x' })]), makeLinks('rss'), NOW);
    expect(parseXml(document).rss.channel.item[0].link).toBeUndefined();
    expect(xmlProblems(document)).toBeUndefined();
  });

  it('adds one category per topic', () => {
    expect(items[0]?.category).toEqual(['diplomacy', 'france']);
  });

  it('carries the content as escaped HTML', () => {
    expect(rss).toContain('&lt;p&gt;The president will travel');
    expect(items[3]?.description).toContain('<p>The president will travel to Paris for a two-day state visit.</p>');
  });

  it('renders an empty feed', () => {
    const document = renderRss(makeFeed([], { updated: '' }), makeLinks('rss'), NOW);
    expect(xmlProblems(document)).toBeUndefined();
    expect(parseXml(document).rss.channel.item).toBeUndefined();
  });

  it('renders 1,000 items as valid XML', () => {
    const document = renderRss(makeFeed(manyEntries(1000)), makeLinks('rss'), NOW);
    expect(xmlProblems(document)).toBeUndefined();
    expect(parseXml(document).rss.channel.item).toHaveLength(1000);
  });
});

describe('RSS 2.0 read by the Universal Feed Parser', () => {
  let parsed: ParsedFeed;
  beforeAll(async () => {
    parsed = await parseWithFeedparser(renderRss(feed, archiveLinks('rss'), NOW));
  });

  it('parses strictly (not bozo) as RSS 2.0', () => {
    expect(parsed.bozo_exception ?? null).toBeNull();
    expect(parsed.bozo).toBe(false);
    expect(parsed.version).toBe('rss20');
  });

  it('reads the channel and its links', () => {
    expect(parsed.feed.title).toBe('State visit');
    expect(parsed.feed.link).toBe('https://news.example.org/stories/state-visit');
    const rels = Object.fromEntries(parsed.feed.links.map((l) => [l.rel, l.href]));
    expect(rels.self).toBe('https://news.example.org/stories/state-visit/feed.rss?page=2');
    expect(rels['prev-archive']).toBe('https://news.example.org/stories/state-visit/feed.rss?page=1');
    expect(rels['next-archive']).toBe('https://news.example.org/stories/state-visit/feed.rss?page=3');
  });

  it('reads ids, titles, links, dates and tags', () => {
    expect(parsed.entries.map((e) => e.id)).toEqual([uuid(31), uuid(30), uuid(20), uuid(1)].map((id) => `urn:uuid:${id}`));
    expect(parsed.entries.map((e) => e.title)).toEqual([
      'Correction: The president met the prime minister',
      'The president met the prime minister',
      '[Withdrawn] The president will visit Lyon',
      'The president will visit Paris (1)',
    ]);
    expect(parsed.entries[3]?.link).toBe(`https://news.example.org/stories/state-visit/developments/${uuid(1)}`);
    expect(parsed.entries[1]?.published_parsed).toBe('2012-10-04T09:30:00Z');
    expect(parsed.entries[1]?.updated_parsed).toBe('2012-10-07T10:00:00Z');
    expect(parsed.entries[0]?.tags).toEqual(['diplomacy', 'france']);
  });

  it('reads the HTML content', () => {
    expect(parsed.entries[2]?.summary).toContain('<strong>Withdrawn:</strong> The source confused Lyon with Paris.');
  });
});
