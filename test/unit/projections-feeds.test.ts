import type { RecordedEvent } from '../../events/catalog/events';
import { FEED_PAGE_SIZE } from '../../events/feeds/feed-document';
import { feedsProjection, initialFeed, MAX_FEED_ENTRIES, type FeedModel } from '../../events/projections/feeds';
import { actorFeedKey, ALL_FEED_KEY, digestFeedKey, storyFeedKey, timelineKey, topicFeedKey } from '../../events/projections/keys';
import { feedPage, toFeedDocument } from '../../events/projections/queries';
import { foldAll } from '../../events/projections/fold';
import type { TimelineModel } from '../../events/projections/timeline';
import { entryPath, feedOfDocument, feedPath, linkedFeed } from '../../functions/links';
import { digestEvent, dev, fold, StoryLog, summitStory } from '../support/projection-fixtures';

const ids = (feed: FeedModel) => feed.entries.map((entry) => entry.id);

/** The model with the paths its feed and items are linked at (the model holds ids only; functions/links.ts builds the paths). */
const linked = (feed: FeedModel) => ({
  ...feed,
  path: feedPath(feedOfDocument(feed), 'rss').replace(/\.rss$/, ''),
  homePath: linkedFeed(toFeedDocument(feed)).homePath,
  entries: feed.entries.map((entry) => ({ ...entry, path: entryPath(entry) })),
});

describe('the feeds projection', () => {
  const story = summitStory();
  const docs = fold(story.events);
  const storyFeed = docs<FeedModel>(storyFeedKey('summit'));

  it('describes each feed: key, title, paths', () => {
    expect(linked(storyFeed)).toMatchObject({ key: 'story/summit', title: 'The summit story', description: 'All about summit.', path: '/stories/summit/feed', homePath: '/stories/summit' });
    expect(linked(docs<FeedModel>(ALL_FEED_KEY))).toMatchObject({ key: 'all', path: '/feed', homePath: '/' });
    expect(linked(docs<FeedModel>(topicFeedKey('steel')))).toMatchObject({ key: 'topic/steel', path: '/topics/steel/feed', homePath: '/topics/steel' });
    expect(linked(docs<FeedModel>(actorFeedKey('putin')))).toMatchObject({ key: 'actor/putin', title: 'Storyline: Vladimir Putin', path: '/actors/putin/feed', homePath: '/actors/putin' });
  });

  it('lists items newest first (by when reported, then recording order): announcements, then developments', () => {
    expect(ids(storyFeed)).toEqual([
      story.retraction.id,
      story.correction.id,
      story.stalled.id,
      story.interest.id,
      story.pledge.id,
      story.mou.id,
      story.lavrov.id,
      story.cancelled.id,
      story.rescheduled.id,
      story.planned.id,
    ]);
    expect(storyFeed.updated).toBe(story.retraction.reportedAt);
  });

  it('makes one item of each development, identified by its event id, with its path in the timeline', () => {
    expect(linked(storyFeed).entries.find((entry) => entry.id === story.planned.id)).toMatchObject({
      storyId: 'summit',
      kind: 'development',
      eventType: 'VisitPlanned',
      title: 'Putin to attend the summit in Islamabad',
      summary: 'What happened.',
      published: story.planned.reportedAt,
      updated: story.planned.reportedAt,
      occurred: { start: '2012-08', precision: 'month' },
      topics: ['diplomacy', 'summit'],
      actors: ['putin'],
      sources: [{ outlet: 'Dawn', quote: 'A quote.' }],
      confidence: 'reported',
      corrections: [],
      path: `/stories/summit/developments/${story.planned.id}`,
    });
  });

  it('updates a corrected item in place, same id, new `updated`, and announces the correction as its own item', () => {
    const pledge = storyFeed.entries.find((entry) => entry.id === story.pledge.id);
    expect(pledge).toMatchObject({
      title: 'Russia pledges $300-500 million for Pakistan Steel Mills',
      published: story.pledge.reportedAt,
      updated: story.correction.reportedAt,
      topics: ['steel', 'energy'],
      actors: ['putin', 'russia', 'pakistan'],
      corrections: [{ eventId: story.correction.id, note: 'The amount and who announced it were missing.', at: story.correction.reportedAt }],
    });
    expect(linked(storyFeed).entries.find((entry) => entry.id === story.correction.id)).toMatchObject({
      kind: 'correction',
      eventType: 'DevelopmentCorrected',
      title: 'Correction: Russia pledges $300-500 million for Pakistan Steel Mills',
      summary: 'The amount and who announced it were missing.',
      published: story.correction.reportedAt,
      concerns: story.pledge.id,
      path: `/stories/summit/developments/${story.pledge.id}`,
    });
  });

  it('marks a retracted item withdrawn and announces the retraction as its own item', () => {
    expect(storyFeed.entries.find((entry) => entry.id === story.interest.id)).toMatchObject({
      withdrawn: { reason: 'The report was not confirmed.', at: story.retraction.reportedAt },
      updated: story.retraction.reportedAt,
    });
    expect(storyFeed.entries.find((entry) => entry.id === story.retraction.id)).toMatchObject({
      kind: 'retraction',
      title: 'Retraction: Gazprom wants the pipeline',
      summary: 'The report was not confirmed.',
      concerns: story.interest.id,
    });
  });

  it('keeps item ids stable: the same ids before and after corrections', () => {
    const beforeCorrection = fold(story.events.slice(0, story.correction.version - 1))<FeedModel>(storyFeedKey('summit'));
    expect(ids(storyFeed).filter((id) => id !== story.correction.id && id !== story.retraction.id)).toEqual(ids(beforeCorrection));
  });

  it('does not make items of StoryOpened and ActorIdentified', () => {
    expect(feedsProjection.keysOf(story.events[0]!, undefined)).toEqual([]);
    expect(feedsProjection.keysOf(story.events[1]!, undefined)).toEqual([]);
  });

  it('puts a development in the feeds of all stories, its story, each topic and each actor', () => {
    expect(feedsProjection.keysOf(story.mou, undefined)).toEqual([
      ALL_FEED_KEY,
      storyFeedKey('summit'),
      topicFeedKey('steel'),
      actorFeedKey('russia'),
      actorFeedKey('pakistan'),
    ]);
    expect(ids(docs<FeedModel>(topicFeedKey('pipeline')))).toEqual([story.retraction.id, story.stalled.id, story.interest.id]);
    expect(ids(docs<FeedModel>(actorFeedKey('putin')))).toEqual([story.correction.id, story.pledge.id, story.cancelled.id, story.planned.id]);
  });

  it('brings a correction to the feeds that showed the original and to those it now belongs to', () => {
    const before = fold(story.events.slice(0, story.correction.version - 1))<TimelineModel>(timelineKey('summit'));
    expect(feedsProjection.keysOf(story.correction, before)).toEqual([
      ALL_FEED_KEY,
      storyFeedKey('summit'),
      topicFeedKey('steel'),
      topicFeedKey('energy'),
      actorFeedKey('russia'),
      actorFeedKey('pakistan'),
      actorFeedKey('putin'),
    ]);
    expect(ids(docs<FeedModel>(topicFeedKey('energy')))).toEqual([story.correction.id, story.pledge.id]);
  });

  it('keeps a development, corrected, in a feed it no longer belongs to, with the announcement', () => {
    const log = new StoryLog('moved').open().actor('o', 'O', [], 'outlet');
    const moved = log.record('CommentaryPublished', { ...dev({ topics: ['old'] }), outlet: 'o', quote: 'q' }, { id: '00000000-0000-4000-9000-00000000aaaa' });
    const correction = log.record('DevelopmentCorrected', { eventId: moved.id, changes: { topics: ['new'] }, note: 'Wrong topic.' });
    const moveDocs = fold(log.events);
    expect(ids(moveDocs<FeedModel>(topicFeedKey('old')))).toEqual([correction.id, moved.id]);
    expect(moveDocs<FeedModel>(topicFeedKey('old')).entries[1]?.topics).toEqual(['new']);
    expect(linked(moveDocs<FeedModel>(topicFeedKey('new')))).toEqual({ ...linked(moveDocs<FeedModel>(topicFeedKey('old'))), key: 'topic/new', title: 'Storyline: new', description: 'Developments about new.', path: '/topics/new/feed', homePath: '/topics/new' });
  });

  it('merges stories in the feed of all stories, the same whichever story is applied first', () => {
    const other = new StoryLog('other', 5000).open().actor('x', 'X');
    other.record('MeetingHeld', { ...dev(), meetingId: 'm', participants: ['x'], place: 'P', outcome: 'O' }, { reportedAt: 50 });
    const all = fold([...story.events, ...other.events])<FeedModel>(ALL_FEED_KEY);
    expect(ids(all).slice(0, 3)).toEqual([story.retraction.id, story.correction.id, other.events[2]!.id]);
    expect(fold([...other.events, ...story.events])<FeedModel>(ALL_FEED_KEY)).toEqual(all);
  });

  it('publishes digests in the feed of their period, with their content', () => {
    const first = digestEvent('daily', 1);
    const second = digestEvent('daily', 2);
    const daily = fold([first, second, digestEvent('weekly', 1)])<FeedModel>(digestFeedKey('daily'));
    expect(linked(daily)).toMatchObject({ key: 'digest/daily', path: '/digests/daily/feed', homePath: '/digests/daily', updated: second.reportedAt });
    expect(ids(daily)).toEqual([second.id, first.id]);
    expect(linked(daily).entries[1]).toMatchObject({ kind: 'digest', eventType: 'DigestPublished', title: 'The daily digest 1', path: '/digests/daily/daily-1', digest: { title: 'The daily digest 1', sections: [] } });
    expect(feedsProjection.keysOf(first, undefined)).toEqual([digestFeedKey('daily')]);
  });

  describe('a long feed', () => {
    const log = new StoryLog('long').open().actor('o', 'O', [], 'outlet');
    for (let i = 0; i < MAX_FEED_ENTRIES + 5; i++) log.record('CommentaryPublished', { ...dev({ headline: `Comment ${i}` }), outlet: 'o', quote: `q${i}` });
    const oldest = log.events[2]!;
    log.record('DevelopmentCorrected', { eventId: oldest.id, changes: { headline: 'Comment 0, corrected' }, note: 'Typo.' });
    const feed = fold(log.events)<FeedModel>(storyFeedKey('long'));

    it(`keeps only the newest ${MAX_FEED_ENTRIES} items`, () => {
      expect(feed.entries).toHaveLength(MAX_FEED_ENTRIES);
      expect(feed.entries[0]?.title).toBe('Correction: Comment 0, corrected');
      expect(ids(feed)).not.toContain(oldest.id);
      expect(feed.entries[MAX_FEED_ENTRIES - 1]?.title).toBe('Comment 6');
    });

    it(`serves the newest ${FEED_PAGE_SIZE} on page 0 and archives of ${FEED_PAGE_SIZE} counted from the oldest, each newest first, linked both ways`, () => {
      const first = feedPage(feed);
      expect(first?.document.entries).toHaveLength(FEED_PAGE_SIZE);
      expect(first).toMatchObject({ page: 0, archives: 20, older: 20 });
      expect(first?.newer).toBeUndefined();
      expect(first?.document.updated).toBe(feed.updated);
      const oldest = feedPage(feed, 1);
      expect(oldest).toMatchObject({ page: 1, newer: 2 });
      expect(oldest?.older).toBeUndefined();
      expect(oldest?.document.entries.at(-1)?.title).toBe('Comment 6');
      expect(oldest?.document.entries.map((e) => e.title)).toEqual(feed.entries.slice(-FEED_PAGE_SIZE).map((e) => e.title));
      const newest = feedPage(feed, 20);
      expect(newest).toMatchObject({ page: 20, older: 19 });
      expect(newest?.newer).toBeUndefined();
      expect(newest?.document.entries.map((e) => e.title)).toEqual(first?.document.entries.map((e) => e.title));
      expect(feedPage(feed, 21)).toBeUndefined();
      expect(feedPage(feed, -1)).toBeUndefined();
    });

    it('adds no archive and changes none for an item that does not fill a page; a partial page is no archive', () => {
      const partial = { ...feed, entries: feed.entries.slice(0, 75) };
      expect(feedPage(partial)).toMatchObject({ archives: 1, older: 1 });
      expect(feedPage(partial, 1)?.document.entries.map((e) => e.title)).toEqual(feed.entries.slice(25, 75).map((e) => e.title));
      const newer = { ...partial, entries: [{ ...partial.entries[0]!, id: 'urn:uuid:newer' }, ...partial.entries] };
      expect(feedPage(newer, 1)?.document.entries).toEqual(feedPage(partial, 1)?.document.entries);
      expect(feedPage(partial, 2)).toBeUndefined();
    });
  });

  it('serves the first page of an empty feed, and strips the bookkeeping from served documents', () => {
    const empty = initialFeed(topicFeedKey('nothing'));
    expect(feedPage(empty)).toMatchObject({ page: 0, archives: 0, document: { entries: [], updated: '1970-01-01T00:00:00.000Z' } });
    expect(feedPage(empty)?.older).toBeUndefined();
    const served = toFeedDocument(storyFeed);
    expect(served).not.toHaveProperty('applied');
    for (const entry of served.entries) expect(entry).not.toHaveProperty('recorded');
  });

  describe('when the story is revised', () => {
    const revised = summitStory();
    const revision = revised.log.record('StoryRevised', { title: 'The Islamabad summit', summary: 'Who came, who did not.' });
    const after = fold(revised.events);

    it("renames the story's feed, though a revision is no item", () => {
      const feed = after<FeedModel>(storyFeedKey('summit'));
      expect(feed).toMatchObject({ title: 'The Islamabad summit', description: 'Who came, who did not.', retitledAt: revision.recordedAt });
      expect(storyFeed.retitledAt).toBeUndefined();
      expect(ids(feed)).toEqual(ids(storyFeed));
      expect(ids(after<FeedModel>(ALL_FEED_KEY))).not.toContain(revision.id);
    });

    it('keeps the title through later developments, and a revision of the topics alone leaves the feed as it was', () => {
      revised.log.record('StoryRevised', { topics: ['diplomacy'] });
      revised.log.record('CommentaryPublished', { ...dev({ actors: ['putin'] }), outlet: 'putin', quote: 'Later.' });
      // the topics alone rename nothing: the feed still says when its title last changed
      expect(fold(revised.events)<FeedModel>(storyFeedKey('summit'))).toMatchObject({ title: 'The Islamabad summit', description: 'Who came, who did not.', retitledAt: revision.recordedAt });
      expect(feedsProjection.keysOf(revised.events.at(-2)!, after<TimelineModel>(timelineKey('summit')))).toEqual([]);
    });

    it('makes no feed for a story with no development yet; its first development brings the revised title', () => {
      const early = new StoryLog('early', 9000).open().actor('putin', 'Vladimir Putin');
      early.record('StoryRevised', { title: 'Early, revised' });
      expect(foldAll(early.events).has(storyFeedKey('early'))).toBe(false);
      early.record('CommentaryPublished', { ...dev({ actors: ['putin'] }), outlet: 'putin', quote: 'q' });
      expect(fold(early.events)<FeedModel>(storyFeedKey('early'))).toMatchObject({ title: 'Early, revised', retitledAt: early.events.at(-2)!.recordedAt });
    });
  });

  it('names an actor feed from the earliest identification, whatever the order stories arrive in', () => {
    const a = new StoryLog('a', 7000).open().actor('kayani', 'Kayani');
    a.record('CommentaryPublished', { ...dev({ actors: ['kayani'] }), outlet: 'kayani', quote: 'q' });
    const b = new StoryLog('b', 8000).open();
    b.record('ActorIdentified', { actorId: 'kayani', name: 'Kiani', aliases: [], kind: 'person' }, { recordedAt: 0 });
    b.record('CommentaryPublished', { ...dev({ actors: ['kayani'] }), outlet: 'kayani', quote: 'q' });
    const key = actorFeedKey('kayani');
    const ab = fold([...a.events, ...b.events] as RecordedEvent[])<FeedModel>(key);
    expect(ab.title).toBe('Storyline: Kiani');
    expect(fold([...b.events, ...a.events])<FeedModel>(key)).toEqual(ab);
  });
});
