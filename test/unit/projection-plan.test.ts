import { digestFeedKey, foldAll, storyFeedKey, timelineKey, visitsKey, type ProjectableEvent, type TimelineModel } from '../../events/projections';
import { assemble, isCollectionKey, storyItems, type CollectionItem } from '../../events/projections/collections';
import { derive, derivedFrom } from '../../events/projections/derived';
import { applyPlan, backlogsOf, groupByStream, planProjection, progressKeysOf, type ProjectionPlan } from '../../functions/projection/plan';
import { dev, digestEvent, summitStory, unreadable } from '../support/projection-fixtures';

/**
 * The projector's plan of a batch, without DynamoDB: which events each stream still needs, which
 * documents each changes, the story before each event, and each document after the batch.
 * Projecting a log batch by batch through plans must give what the reference fold gives.
 */


/** Collections in memory: items by key, then by sort key. */
type Collections = Map<string, Map<string, CollectionItem>>;

/** The documents after projecting `batch` onto `docs` and `collections`, as the projector does it (gaps already filled). */
const projectOnto = (docs: Map<string, unknown>, batch: readonly ProjectableEvent[], collections: Collections = new Map()): ProjectionPlan => {
  const byStream = groupByStream(batch);
  const progress = new Map(progressKeysOf(byStream.keys()).flatMap((key) => (docs.has(key) ? [[key, docs.get(key)] as const] : [])));
  const { backlogs } = backlogsOf(byStream, progress);
  const plan = planProjection(backlogs.map((b) => b.events), progress);
  for (const key of plan.keys) docs.set(key, applyPlan(plan, key, docs.get(key)));
  for (const [key, touch] of plan.touches) {
    for (const write of storyItems(docs.get(key) as TimelineModel, touch)) {
      const items = collections.get(write.key) ?? new Map<string, CollectionItem>();
      collections.set(write.key, items);
      if (write.item) items.set(write.sk, write.item);
      else items.delete(write.sk);
    }
  }
  return plan;
};

/** Documents and collections (when given) as one map, collections assembled; without the bookkeeping collections do not keep. */
const readable = (docs: ReadonlyMap<string, unknown>, collections?: Collections): Record<string, unknown> => {
  const all = new Map([...docs].filter(([key]) => !collections || !isCollectionKey(key)));
  for (const [key, items] of collections ?? []) all.set(key, assemble(key, [...items.values()]));
  // derived documents, as a reader gets them from their source
  if (collections) for (const key of docs.keys()) if (key.endsWith('/timeline')) all.set(key.replace(/timeline$/, 'actors'), derive(key.replace(/timeline$/, 'actors'), docs.get(key)));
  return Object.fromEntries(
    [...all].flatMap(([key, value]) => (value === undefined ? [] : [[key, isCollectionKey(key) || derivedFrom(key) !== undefined ? withoutBookkeeping(value) : value]])),
  );
};
const withoutBookkeeping = (value: unknown) => {
  const { applied: _applied, titleFrom: _titleFrom, passedOver: _passedOver, ...rest } = value as Record<string, unknown>;
  return rest;
};

const story = summitStory();
const timeline = timelineKey('summit');

describe('grouping a batch by stream', () => {
  it('keeps each stream in the order received and leaves out streams that no progress document follows', () => {
    const [a, b, c] = story.events;
    const stray = { ...a!, streamId: 'subscribers/x' };
    const daily = digestEvent('daily', 1);
    const grouped = groupByStream([c!, stray, a!, daily, b!]);
    expect([...grouped.keys()]).toEqual(['story/summit', 'digest/daily']);
    expect(grouped.get('story/summit')?.map((e) => e.version)).toEqual([3, 1, 2]);
    expect(progressKeysOf(grouped.keys())).toEqual([timeline, digestFeedKey('daily')]);
  });
});

describe("a stream's backlog", () => {
  const progressAt = (version: number) => new Map([[timeline, foldAll(story.events.slice(0, version)).get(timeline)]]);

  it('is the versions after its progress, each once (the last copy received), in version order', () => {
    const [, , v3, v4, v5] = story.events;
    const copy = { ...v4!, recordedAt: 'the later copy' };
    const { backlogs } = backlogsOf(new Map([['story/summit', [v5!, v3!, v4!, copy]]]), progressAt(3));
    expect(backlogs).toEqual([{ streamId: 'story/summit', progress: 3, events: [copy, v5] }]);
  });

  it('names the gap to read from the event table when versions in between did not arrive', () => {
    const { backlogs } = backlogsOf(new Map([['story/summit', [story.events[6]!, story.events[9]!]]]), progressAt(2));
    expect(backlogs).toEqual([{ streamId: 'story/summit', progress: 2, events: [story.events[6], story.events[9]], gap: { after: 2, limit: 8 } }]);
  });

  it('is empty for a redelivery; a digest feed with nothing new is listed as settled (its rendering may lag), a timeline is not', () => {
    const daily = [digestEvent('daily', 1), digestEvent('daily', 2)];
    const progress = new Map([...progressAt(5), [digestFeedKey('daily'), foldAll(daily).get(digestFeedKey('daily'))]]);
    const { backlogs, settledFeeds } = backlogsOf(groupByStream([...story.events.slice(0, 5), ...daily]), progress);
    expect(backlogs).toEqual([]);
    expect(settledFeeds).toEqual([digestFeedKey('daily')]);
  });
});

describe('the plan of a batch', () => {
  it('gives each event the story as it was before it: the stored timeline, then as the batch moves it on', () => {
    const stored = foldAll(story.events.slice(0, 6)).get(timeline) as TimelineModel;
    const plan = planProjection([story.events.slice(6, 9)], new Map([[timeline, stored]]));
    expect(plan.events.map((p) => p.event.version)).toEqual([7, 8, 9]);
    expect(plan.events[0]?.story).toBe(stored);
    expect(plan.events[1]?.story).toEqual(foldAll(story.events.slice(0, 7)).get(timeline));
    expect(plan.events[2]?.story).toEqual(foldAll(story.events.slice(0, 8)).get(timeline));
  });

  it('starts a story with no stored timeline from no story, and gives digest events none', () => {
    const plan = planProjection([story.events.slice(0, 1), [digestEvent('weekly', 1)]], new Map());
    expect(plan.events.map((p) => p.story)).toEqual([undefined, undefined]);
  });

  it('lists each document the batch changes once, and for each the changes in plan order', () => {
    const { cancelled, rescheduled } = story;
    const plan = planProjection([[rescheduled, cancelled]], new Map([[timeline, foldAll(story.events.slice(0, rescheduled.version - 1)).get(timeline)]]));
    expect(new Set(plan.keys).size).toBe(plan.keys.length);
    expect(plan.keys).toEqual(expect.arrayContaining([timeline, visitsKey('summit')]));
    // the feeds are collections: their items come from the story as the batch leaves it
    expect(plan.keys).not.toContain(storyFeedKey('summit'));
    expect(plan.touches.get(timeline)?.developments).toEqual(new Set([rescheduled.id, cancelled.id]));
    const visitChanges = plan.touching.get(visitsKey('summit'))!.map(([i]) => plan.events[i]!.event.id);
    expect(visitChanges).toEqual([rescheduled.id, cancelled.id]);
  });

  it('changes only its progress document for an event that cannot be read', () => {
    const broken = unreadable(story.events[7]!);
    const stored = foldAll(story.events.slice(0, 7)).get(timeline);
    const plan = planProjection([[broken]], new Map([[timeline, stored]]));
    expect(plan.keys).toEqual([timeline]);
    expect(applyPlan(plan, timeline, stored)).toMatchObject({ passedOver: [expect.objectContaining({ id: broken.id })] });
  });

  it('leaves a document it does not change as it was (the same value)', () => {
    const plan = planProjection([story.events.slice(0, 2)], new Map());
    const elsewhere = { applied: {} };
    expect(applyPlan(plan, 'story/elsewhere/visits', elsewhere)).toBe(elsewhere);
  });
});

describe('projecting a log batch by batch through plans', () => {
  const log = [...story.events, digestEvent('daily', 1), digestEvent('daily', 2), digestEvent('weekly', 1)];
  const expected = foldAll(log);

  it.each([1, 3, 7, log.length])('gives what the reference fold gives, in batches of %i', (size) => {
    const docs = new Map<string, unknown>();
    const collections: Collections = new Map();
    for (let i = 0; i < log.length; i += size) projectOnto(docs, log.slice(i, i + size), collections);
    expect(readable(docs, collections)).toEqual(readable(expected));
  });

  describe('with revisions of the story', () => {
    const revised = summitStory();
    revised.log.record('StoryRevised', { summary: 'Revised before the last development.' });
    revised.log.record('CommentaryPublished', { ...dev({ actors: ['putin'] }), outlet: 'putin', quote: 'Later.' });
    revised.log.record('StoryRevised', { title: 'The Islamabad summit', topics: ['diplomacy'] });
    revised.log.record('StoryRevised', { topics: ['summit'] });
    const revisedLog = revised.events;

    it.each([1, 2, 5, revisedLog.length])("renames the story's feed as the fold does, in batches of %i", (size) => {
      const docs = new Map<string, unknown>();
      const collections: Collections = new Map();
      for (let i = 0; i < revisedLog.length; i += size) projectOnto(docs, revisedLog.slice(i, i + size), collections);
      const expectedRevised = readable(foldAll(revisedLog));
      expect(readable(docs, collections)).toEqual(expectedRevised);
      expect(expectedRevised[storyFeedKey('summit')]).toMatchObject({ title: 'The Islamabad summit', description: 'Revised before the last development.' });
    });

    it("keeps the newest title when an older batch's items land late (a retry racing the batch after it)", () => {
      const docs = new Map<string, unknown>();
      const collections: Collections = new Map();
      const beforeRevision = revisedLog.findIndex((event) => event.type === 'StoryRevised' && 'title' in event.data);
      projectOnto(docs, revisedLog.slice(0, beforeRevision - 1), collections);
      const stale = new Map(docs);
      projectOnto(docs, revisedLog.slice(beforeRevision - 1), collections);
      // the retry of the batch before the revision, from the documents it had read, writes its items after
      projectOnto(stale, revisedLog.slice(beforeRevision - 1, beforeRevision), collections);
      expect(readable(docs, collections)).toEqual(readable(foldAll(revisedLog)));
      expect(readable(docs, collections)[storyFeedKey('summit')]).toMatchObject({ title: 'The Islamabad summit' });
    });

    it("a batch of a revision alone writes the story feed's title, and a revision of the topics alone writes nothing of the feed", () => {
      const docs = new Map<string, unknown>();
      const collections: Collections = new Map();
      projectOnto(docs, revisedLog.slice(0, -2), collections);
      const plan = projectOnto(docs, revisedLog.slice(-2, -1), collections);
      const writes = storyItems(docs.get(timeline) as TimelineModel, plan.touches.get(timeline)!);
      expect(writes.filter((w) => w.key === storyFeedKey('summit')).map((w) => w.item)).toEqual([{ t: 'title', from: '', title: 'The Islamabad summit', description: 'Revised before the last development.', at: revisedLog.at(-2)!.recordedAt, v: revisedLog.at(-2)!.version }]);
      // and deletes the title of the revision before (toEqual above passes over a write without an item)
      expect(writes.filter((w) => w.key === storyFeedKey('summit') && !w.item)).toHaveLength(1);
      expect(collections.get(storyFeedKey('summit'))?.size).toBeGreaterThan(0);
      const titles = [...(collections.get(storyFeedKey('summit'))?.values() ?? [])].filter((item) => item.t === 'title');
      expect(titles).toHaveLength(1);
      const topicsOnly = projectOnto(docs, revisedLog.slice(-1), collections);
      expect(storyItems(docs.get(timeline) as TimelineModel, topicsOnly.touches.get(timeline)!).filter((w) => w.key === storyFeedKey('summit'))).toEqual([]);
    });
  });

  it('changes nothing when a batch comes again, however it overlaps', () => {
    const docs = new Map<string, unknown>();
    projectOnto(docs, log);
    const before = new Map(docs);
    const plan = projectOnto(docs, [...log.slice(4, 9), ...log.slice(0, 3)]);
    expect(plan.events).toEqual([]);
    for (const [key, value] of before) expect(docs.get(key)).toBe(value);
  });
});
