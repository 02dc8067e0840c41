import { renderAtom } from '../../functions/render/atom';
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

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const feed = makeFeed([correctionItem(), correctedEntry(), withdrawnEntry(), makeEntry()]);
const atom = renderAtom(feed, makeLinks('atom'), NOW);
const root = parseXml(atom).feed;
const entries = root.entry as Record<string, any>[];
const linksByRel = (links: Record<string, string>[]): Record<string, string> => Object.fromEntries(links.map((l) => [l['@_rel'], l['@_href']]));

describe('Atom 1.0', () => {
  it('is strictly well-formed XML in the Atom namespace', () => {
    expect(xmlProblems(atom)).toBeUndefined();
    expect(root['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(root['@_xmlns:fh']).toBe('http://purl.org/syndication/history/1.0');
  });

  it('has a stable feed id derived from the feed key', () => {
    expect(root.id).toBe('tag:storyline,2026:feed/story/state-visit');
    const other = parseXml(renderAtom(makeFeed([]), archiveLinks('atom'), new Date('2020-01-01T00:00:00Z'))).feed;
    expect(other.id).toBe(root.id);
  });

  it('has the feed metadata Atom requires: title, updated, author', () => {
    expect(root.title).toEqual({ '#text': 'State visit', '@_type': 'text' });
    expect(root.updated).toBe('2012-10-07T10:00:00Z');
    expect(root.author).toEqual({ name: 'Storyline' });
  });

  it('links to itself, its HTML page and the current page', () => {
    const links = linksByRel(root.link);
    expect(links.self).toBe('https://news.example.org/stories/state-visit/feed.atom');
    expect(links.alternate).toBe('https://news.example.org/stories/state-visit');
    expect(links.current).toBe('https://news.example.org/stories/state-visit/feed.atom');
    expect(links['prev-archive']).toBeUndefined();
    expect(root['fh:archive']).toBeUndefined();
  });

  it('links an archive page to its neighbours and marks it (RFC 5005)', () => {
    const archive = renderAtom(feed, archiveLinks('atom'), NOW);
    expect(xmlProblems(archive)).toBeUndefined();
    const links = linksByRel(parseXml(archive).feed.link);
    expect(links.self).toBe('https://news.example.org/stories/state-visit/feed.atom?page=2');
    expect(links['prev-archive']).toBe('https://news.example.org/stories/state-visit/feed.atom?page=1');
    expect(links['next-archive']).toBe('https://news.example.org/stories/state-visit/feed.atom?page=3');
    expect(archive).toContain('<fh:archive/>');
  });

  it('identifies entries by event id', () => {
    expect(entries.map((e) => e.id)).toEqual([uuid(31), uuid(30), uuid(20), uuid(1)].map((id) => `urn:uuid:${id}`));
  });

  it('dates entries in RFC 3339: published when reported, updated at the last correction', () => {
    expect(entries[1]?.published).toBe('2012-10-04T09:30:00Z');
    expect(entries[1]?.updated).toBe('2012-10-07T10:00:00Z');
    expect(entries[2]?.updated).toBe('2012-10-06T08:00:00Z');
    expect(entries.every((e) => RFC3339.test(e.published) && RFC3339.test(e.updated))).toBe(true);
  });

  it('never dates anything in the future, nor updates before publishing', () => {
    const odd = makeEntry({ published: '2031-01-01T00:00:00Z', updated: '2001-01-01T00:00:00Z' });
    const entry = parseXml(renderAtom(makeFeed([odd], { updated: '2040-01-01T00:00:00Z' }), makeLinks('atom'), NOW)).feed;
    expect(entry.updated).toBe('2012-10-10T12:00:00Z');
    expect(entry.entry[0].published).toBe('2012-10-10T12:00:00Z');
    expect(entry.entry[0].updated).toBe('2012-10-10T12:00:00Z');
  });

  it('titles entries as text, marking withdrawn entries and corrections', () => {
    expect(entries.map((e) => e.title['@_type'])).toEqual(['text', 'text', 'text', 'text']);
    expect(entries.map((e) => e.title['#text'])).toEqual([
      'Correction: The president met the prime minister',
      'The president met the prime minister',
      '[Withdrawn] The president will visit Lyon',
      'The president will visit Paris (1)',
    ]);
  });

  it('carries escaped HTML content, with the withdrawn notice and corrections', () => {
    expect(entries.every((e) => e.content['@_type'] === 'html')).toBe(true);
    expect(entries[2]?.content['#text']).toContain('<p><strong>Withdrawn:</strong> The source confused Lyon with Paris.</p>');
    expect(entries[1]?.content['#text']).toContain('<h3>Corrections</h3>');
    expect(atom).toContain('&lt;h3&gt;Corrections&lt;/h3&gt;');
  });

  it('links entries to their page and tags them with topics', () => {
    expect(entries[3]?.link).toEqual([
      { '@_rel': 'alternate', '@_type': 'text/html', '@_href': `https://news.example.org/stories/state-visit/developments/${uuid(1)}` },
    ]);
    expect(entries[3]?.category.map((c: Record<string, string>) => c['@_term'])).toEqual(['diplomacy', 'france']);
  });

  it('renders an empty feed and 1,000 entries as valid XML', () => {
    expect(xmlProblems(renderAtom(makeFeed([], { updated: '' }), makeLinks('atom'), NOW))).toBeUndefined();
    const big = renderAtom(makeFeed(manyEntries(1000)), makeLinks('atom'), NOW);
    expect(xmlProblems(big)).toBeUndefined();
    expect(parseXml(big).feed.entry).toHaveLength(1000);
  });
});

describe('Atom 1.0 read by the Universal Feed Parser', () => {
  let parsed: ParsedFeed;
  beforeAll(async () => {
    parsed = await parseWithFeedparser(renderAtom(feed, archiveLinks('atom'), NOW));
  });

  it('parses strictly (not bozo) as Atom 1.0', () => {
    expect(parsed.bozo_exception ?? null).toBeNull();
    expect(parsed.bozo).toBe(false);
    expect(parsed.version).toBe('atom10');
  });

  it('reads the feed id, title and links', () => {
    expect(parsed.feed.id).toBe('tag:storyline,2026:feed/story/state-visit');
    expect(parsed.feed.title).toBe('State visit');
    const rels = Object.fromEntries(parsed.feed.links.map((l) => [l.rel, l.href]));
    expect(rels.self).toBe('https://news.example.org/stories/state-visit/feed.atom?page=2');
    expect(rels.current).toBe('https://news.example.org/stories/state-visit/feed.atom');
    expect(rels['prev-archive']).toBe('https://news.example.org/stories/state-visit/feed.atom?page=1');
  });

  it('reads entry ids, titles, links, dates, tags and content', () => {
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
    expect(parsed.entries[2]?.content[0]?.type).toBe('text/html');
    expect(parsed.entries[2]?.content[0]?.value).toContain('<strong>Withdrawn:</strong>');
  });
});
