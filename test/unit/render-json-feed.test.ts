import { contentTypes, renderFeed } from '../../functions/render/index';
import { renderJsonFeed } from '../../functions/render/json-feed';
import {
  NOW,
  archiveLinks,
  correctedEntry,
  correctionItem,
  makeEntry,
  makeFeed,
  makeLinks,
  uuid,
  withdrawnEntry,
  xmlProblems,
} from '../support/feed-fixtures';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const feed = makeFeed([correctionItem(), correctedEntry(), withdrawnEntry(), makeEntry()]);
const json = JSON.parse(renderJsonFeed(feed, makeLinks('json'), NOW)) as Record<string, any>;
const items = json.items as Record<string, any>[];

describe('JSON Feed 1.1', () => {
  it('has the required top-level fields', () => {
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.title).toBe('State visit');
    expect(Array.isArray(json.items)).toBe(true);
    expect(json.feed_url).toBe('https://news.example.org/stories/state-visit/feed.json');
    expect(json.home_page_url).toBe('https://news.example.org/stories/state-visit');
    expect(json.authors).toEqual([{ name: 'Storyline' }]);
    expect(json.next_url).toBeUndefined();
  });

  it('points next_url at older items on the previous archive page', () => {
    const archive = JSON.parse(renderJsonFeed(feed, archiveLinks('json'), NOW)) as Record<string, any>;
    expect(archive.feed_url).toBe('https://news.example.org/stories/state-visit/feed.json?page=2');
    expect(archive.next_url).toBe('https://news.example.org/stories/state-visit/feed.json?page=1');
    expect(archive._storyline).toMatchObject({ archive: true, current: 'https://news.example.org/stories/state-visit/feed.json' });
  });

  it('gives every item a string id from its event id, and content', () => {
    expect(items.map((i) => i.id)).toEqual([uuid(31), uuid(30), uuid(20), uuid(1)].map((id) => `urn:uuid:${id}`));
    for (const item of items) {
      expect(typeof item.content_html).toBe('string');
      expect(typeof item.content_text).toBe('string');
      expect(typeof item.summary).toBe('string');
    }
  });

  it('dates items in RFC 3339, modified at the last correction', () => {
    expect(items[1]?.date_published).toBe('2012-10-04T09:30:00Z');
    expect(items[1]?.date_modified).toBe('2012-10-07T10:00:00Z');
    expect(items.every((i) => RFC3339.test(i.date_published) && RFC3339.test(i.date_modified))).toBe(true);
  });

  it('never dates anything in the future', () => {
    const future = makeEntry({ published: '2031-01-01T00:00:00Z', updated: '2032-01-01T00:00:00Z' });
    const document = JSON.parse(renderJsonFeed(makeFeed([future]), makeLinks('json'), NOW)) as Record<string, any>;
    expect(document.items[0].date_published).toBe('2012-10-10T12:00:00Z');
    expect(document.items[0].date_modified).toBe('2012-10-10T12:00:00Z');
  });

  it('titles, links, tags and authors items', () => {
    expect(items.map((i) => i.title)).toEqual([
      'Correction: The president met the prime minister',
      'The president met the prime minister',
      '[Withdrawn] The president will visit Lyon',
      'The president will visit Paris (1)',
    ]);
    expect(items[3]?.url).toBe(`https://news.example.org/stories/state-visit/developments/${uuid(1)}`);
    expect(items[3]?.tags).toEqual(['diplomacy', 'france']);
    expect(items[3]?.authors).toEqual([{ name: 'Storyline' }]);
  });

  it('tells what a withdrawal or correction concerns in the _storyline extension', () => {
    expect(items[0]?._storyline).toMatchObject({ kind: 'correction', concerns: `urn:uuid:${uuid(30)}` });
    expect(items[1]?._storyline.corrections).toEqual([
      { id: `urn:uuid:${uuid(31)}`, note: 'The meeting lasted two days, not one.', at: '2012-10-07T10:00:00Z' },
    ]);
    expect(items[2]?._storyline.withdrawn).toEqual({ reason: 'The source confused Lyon with Paris.', at: '2012-10-06T08:00:00Z' });
    expect(items[2]?.content_html).toContain('<strong>Withdrawn:</strong>');
    expect(items[2]?.content_text.startsWith('Withdrawn: ')).toBe(true);
  });

  it('omits url and tags when there are none', () => {
    const bare = JSON.parse(renderJsonFeed(makeFeed([makeEntry({ kind: 'digest', path: 'relative', topics: [] })]), makeLinks('json'), NOW)) as Record<string, any>;
    expect(bare.items[0]).not.toHaveProperty('url');
    expect(bare.items[0]).not.toHaveProperty('tags');
  });
});

describe('renderFeed', () => {
  it.each(['rss', 'atom', 'json'] as const)('renders %s', (format) => {
    const document = renderFeed(format, feed, makeLinks(format), NOW);
    if (format === 'json') expect(() => JSON.parse(document) as unknown).not.toThrow();
    else expect(xmlProblems(document)).toBeUndefined();
  });

  it('names a content type per format', () => {
    expect(contentTypes).toEqual({
      rss: 'application/rss+xml; charset=utf-8',
      atom: 'application/atom+xml; charset=utf-8',
      json: 'application/feed+json; charset=utf-8',
    });
  });

  it('renders the same document for the same input', () => {
    expect(renderFeed('atom', feed, makeLinks('atom'), NOW)).toBe(renderFeed('atom', feed, makeLinks('atom'), NOW));
  });
});
