import type { FeedFormat } from '../../events/feeds/feed-document';
import { MAX_LEAD_SECONDS, withFeedDates } from '../../events/projections/feed-dates';
import type { FeedModelEntry } from '../../events/projections/feed-entries';
import type { FeedModel } from '../../events/projections/feeds';
import { ALL_FEED_KEY, storyFeedKey, timelineKey, topicFeedKey } from '../../events/projections/keys';
import type { TimelineModel } from '../../events/projections/timeline';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { renderPage } from '../../functions/feed-publication';
import type { JsonFeed } from '../../functions/render/json-feed';
import { parseWithFeedparser } from '../support/feedparser';
import { fold, seedEvents, seedLog } from '../support/projection-fixtures';

const NOW = new Date('2026-01-01T00:00:00.000Z');

const item = (id: string, published: string, occurred: string, version: number, updated = published): FeedModelEntry => ({
  id,
  storyId: 's',
  kind: 'development',
  eventType: 'MeetingHeld',
  title: id,
  summary: id,
  published,
  updated,
  occurred: { start: occurred, precision: 'day' },
  topics: [],
  actors: [],
  sources: [],
  corrections: [],
  recorded: { at: '2024-01-01T00:00:00.000Z', streamId: 'story-s', version },
});

describe('feed dates', () => {
  it('spaces items reported at the same instant a second apart, in the order they occurred', () => {
    const dated = withFeedDates([item('late', '2012-10-08T00:00:00.000Z', '2012-10-04', 1), item('early', '2012-10-08T00:00:00.000Z', '2011-05', 2), item('mid', '2012-10-08T00:00:00.400Z', '2012-01-01', 3)]);
    expect(dated.map((e) => [e.id, e.published])).toEqual([
      ['late', '2012-10-08T00:00:02.000Z'],
      ['mid', '2012-10-08T00:00:01.000Z'],
      ['early', '2012-10-08T00:00:00.000Z'],
    ]);
  });

  it('dates a later development when it was reported', () => {
    const dated = withFeedDates([item('a', '2012-10-08T00:00:00.000Z', '2012-10-04', 1), item('b', '2012-10-08T00:00:00.000Z', '2012-10-05', 2), item('c', '2012-10-09T10:00:00.000Z', '2012-10-01', 3)]);
    expect(dated.find((e) => e.id === 'c')?.published).toBe('2012-10-09T10:00:00.000Z');
  });

  it('gives a corrected item an update date of its own, apart from the correction’s announcement', () => {
    const corrected = item('dev', '2012-10-08T00:00:00.000Z', '2012-10-04', 1, '2012-10-09T00:00:00.000Z');
    const announcement = { ...item('fix', '2012-10-09T00:00:00.000Z', '2012-10-04', 2), kind: 'correction' as const, concerns: 'dev' };
    const dated = withFeedDates([announcement, corrected]);
    const updates = dated.map((e) => e.updated);
    expect(new Set(updates).size).toBe(2);
    expect(dated.find((e) => e.id === 'dev')).toMatchObject({ published: '2012-10-08T00:00:00.000Z' });
    expect(dated.find((e) => e.id === 'fix')?.published).toBe('2012-10-09T00:00:00.000Z');
  });

  it('keeps a fresh burst’s dates from one rendering to the next: they run past now, by at most MAX_LEAD_SECONDS', () => {
    const burst = (n: number) => Array.from({ length: n }, (_, i) => item(`e${i}`, '2026-01-01T00:00:00.000Z', `2012-10-${String(i + 1).padStart(2, '0')}`, i + 1));
    const datesAt = (entries: FeedModelEntry[], now: string) => Object.fromEntries(withFeedDates(entries, now).map((e) => [e.id, e.published]));
    // three items in the second of now: dated :00, :01, :02, and the same a minute later
    expect(datesAt(burst(3), NOW.toISOString())).toEqual({ e0: '2026-01-01T00:00:00.000Z', e1: '2026-01-01T00:00:01.000Z', e2: '2026-01-01T00:00:02.000Z' });
    expect(datesAt(burst(3), '2026-01-01T00:01:00.000Z')).toEqual(datesAt(burst(3), NOW.toISOString()));
    // more items in one second than the lead allows: spaced back from now + the lead, all distinct
    const dated = withFeedDates(burst(MAX_LEAD_SECONDS + 5), NOW.toISOString());
    expect(dated[0]?.published).toBe(new Date(NOW.getTime() + MAX_LEAD_SECONDS * 1000).toISOString());
    expect(new Set(dated.map((e) => e.published)).size).toBe(MAX_LEAD_SECONDS + 5);
  });
});

/** The item dates of a rendered feed, in document order, as each format writes them. */
const datesOf = (format: FeedFormat, body: string): { id: string; published: string; updated: string }[] => {
  if (format === 'json') {
    return (JSON.parse(body) as JsonFeed).items.map((i) => ({ id: i.id, published: i.date_published, updated: i.date_modified }));
  }
  const tag = format === 'rss' ? 'item' : 'entry';
  return [...body.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, 'gs'))].map(([, inner = '']) => {
    const id = /<(?:guid[^>]*|id)>([^<]*)</.exec(inner)?.[1] ?? '';
    const published = /<(?:pubDate|published)>([^<]*)</.exec(inner)?.[1] ?? '';
    const updated = /<(?:atom:)?updated>([^<]*)</.exec(inner)?.[1] ?? published;
    return { id, published: new Date(published).toISOString(), updated: format === 'atom' ? updated : new Date(updated).toISOString() };
  });
};

describe('the seed feeds as readers see them', () => {
  const docs = fold(seedEvents());
  const timeline = docs<TimelineModel>(timelineKey(seedStory.storyId));
  const feeds = [storyFeedKey(seedStory.storyId), ALL_FEED_KEY, topicFeedKey('diplomacy'), topicFeedKey('energy')];

  it.each(feeds.flatMap((key) => (['rss', 'atom', 'json'] as const).map((format) => [key, format] as const)))('%s as %s: distinct dates, in the order the story happened', (key, format) => {
    const body = renderPage(docs<FeedModel>(key), format, 0, NOW)?.body ?? '';
    const dates = datesOf(format, body);
    expect(dates.length).toBeGreaterThan(1);
    // the rule behind the W3C validator's "Two entries with the same value for atom:updated", and the same for pubDate
    expect(new Set(dates.map((d) => d.updated)).size).toBe(dates.length);
    expect(new Set(dates.map((d) => d.published)).size).toBe(dates.length);
    // newest first, and newest-dated is the latest development
    const published = dates.map((d) => d.published);
    expect([...published].sort().reverse()).toEqual(published);
    const occurrenceOrder = timeline.entries.map((e) => `urn:uuid:${e.id}`).filter((id) => dates.some((d) => d.id === id));
    expect(dates.map((d) => d.id).reverse()).toEqual(occurrenceOrder);
  });

  it('dates Postnikov’s visit of May 2011 oldest and the latest development newest, the same in every format', () => {
    const model = docs<FeedModel>(storyFeedKey(seedStory.storyId));
    const [rss, atom, json] = (['rss', 'atom', 'json'] as const).map((format) => datesOf(format, renderPage(model, format, 0, NOW)?.body ?? ''));
    const oldest = rss?.[rss.length - 1];
    expect(timeline.entries[0]?.headline).toMatch(/Postnikov/);
    expect(oldest).toMatchObject({ id: `urn:uuid:${timeline.entries[0]?.id}`, published: '2012-10-08T00:00:00.000Z' });
    expect(rss?.[0]).toMatchObject({ id: `urn:uuid:${timeline.entries[timeline.entries.length - 1]?.id}`, published: '2012-10-08T00:00:27.000Z' });
    const instants = (list: typeof rss) => list?.map((d) => [d.id, new Date(d.published).toISOString()]);
    expect(instants(atom)).toEqual(instants(rss));
    expect(instants(json)).toEqual(instants(rss));
  });

  it.each(['rss', 'atom'] as const)('reads in feedparser without bozo, in the same order (%s)', async (format) => {
    const parsed = await parseWithFeedparser(renderPage(docs<FeedModel>(storyFeedKey(seedStory.storyId)), format, 0, NOW)?.body ?? '');
    expect(parsed.bozo).toBe(false);
    const published = parsed.entries.map((e) => e.published_parsed ?? '');
    expect(new Set(published).size).toBe(parsed.entries.length);
    expect([...published].sort().reverse()).toEqual(published);
  });

  it('dates a correction when it was reported, and gives the corrected item its own update date', () => {
    const log = seedLog();
    const target = timeline.entries[3]!;
    log.record('DevelopmentCorrected', { eventId: target.id, changes: { headline: `${target.headline} (corrected)` }, note: 'headline fixed' }, { reportedAt: 60 * 24 * 2 });
    const model = fold(log.events)<FeedModel>(storyFeedKey(seedStory.storyId));
    const dates = datesOf('atom', renderPage(model, 'atom', 0, NOW)?.body ?? '');
    expect(new Set(dates.map((d) => d.updated)).size).toBe(dates.length);
    expect(dates[0]?.published).toBe('2012-10-10T00:00:00.000Z');
    expect(dates.find((d) => d.id === `urn:uuid:${target.id}`)?.updated).toBe('2012-10-10T00:00:01Z');
  });
});
