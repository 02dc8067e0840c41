import { routes } from '../../contracts/routes';
import { feedKeyOf, parseFeedKey, type FeedRef } from '../../events/projections/keys';
import { negotiate } from '../../functions/http/negotiation';
import { developmentPath, digestPath, entryPath, eventLogPath, feedOfRoute, feedPath, feedRoutes, fillPath, linkedFeed } from '../../functions/links';
import { compileRoute } from '../../functions/http/route-matching';

/** Links are built from the route declaration, and a feed route names the feed it serves. */

const feeds: FeedRef[] = [{ kind: 'all' }, { kind: 'story', storyId: 'summit' }, { kind: 'topic', topic: 'steel' }, { kind: 'actor', actorId: 'putin' }, { kind: 'digest', period: 'daily' }];

describe('links', () => {
  it.each(feeds)('serves the %o feed at a declared route, which maps back to the same feed document', (feed) => {
    for (const format of ['rss', 'atom', 'json'] as const) {
      const path = feedPath(feed, format);
      const route = feedRoutes.find((r) => compileRoute(r).match(path));
      expect(route?.feed).toEqual({ kind: feed.kind, format });
      const params = compileRoute(route!).match(path)!;
      const served = feedOfRoute(route!, (name) => params[name]!);
      expect(parseFeedKey(feedKeyOf(served))).toEqual(feed);
    }
  });

  it('gives every feed route a feed, and every feed a route per format', () => {
    expect(feedRoutes).toHaveLength(15);
    expect(routes.filter((r) => r.handler === 'feeds')).toEqual(feedRoutes);
  });

  it('builds the paths of the API and of the pages: a development links to its permalink page', () => {
    expect(feedPath({ kind: 'story', storyId: 'summit' }, 'atom')).toBe('/stories/summit/feed.atom');
    expect(feedPath({ kind: 'all' }, 'json')).toBe('/feed.json');
    expect(developmentPath('summit', 'e1')).toBe('/stories/summit/developments/e1');
    expect(digestPath('weekly', 'weekly-2012-10-08t06-00-00z')).toBe('/digests/weekly/weekly-2012-10-08t06-00-00z');
    expect(eventLogPath('summit', { after: 5, limit: 10 })).toBe('/stories/summit/events?after=5&limit=10');
    expect(eventLogPath('summit', { after: 5 })).toBe('/stories/summit/events?after=5');
  });

  it('links a correction to the development it concerns, and a digest to its page', () => {
    const base = { storyId: 'summit', eventType: 'X', title: 't', summary: 's', published: '', updated: '', topics: [], actors: [], sources: [], corrections: [] };
    expect(entryPath({ ...base, id: 'c1', kind: 'correction', concerns: 'd1' })).toBe('/stories/summit/developments/d1');
    expect(entryPath({ ...base, id: 'g1', storyId: '', kind: 'digest', digestRef: { period: 'daily', digestId: 'daily-1' } })).toBe('/digests/daily/daily-1');
    expect(linkedFeed({ key: 'actor/putin', title: 'P', description: 'd', updated: '', entries: [] }).homePath).toBe('/actors/putin');
  });

  it('encodes what it fills in, and refuses a missing parameter', () => {
    expect(fillPath('/topics/{topic}', { topic: 'a b/c' })).toBe('/topics/a%20b%2Fc');
    expect(() => fillPath('/topics/{topic}', {})).toThrow('no value for {topic}');
  });
});

describe('negotiation', () => {
  const offered = ['application/json', 'text/html'] as const;
  it.each([
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['text/html', 'text/html'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text/html'],
    ['application/json, text/html;q=0.5', 'application/json'],
    ['text/html;q=0, */*', 'application/json'],
    ['text/*', 'text/html'],
    ['text/html, application/json', 'text/html'],
    ['image/png', 'application/json'],
  ])('answers Accept %p with %s', (accept, expected) => {
    expect(negotiate(accept, offered)).toBe(expected);
  });
});
