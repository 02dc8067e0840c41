import { isDevelopment, type DevelopmentEvent } from '../../events/catalog/events';
import type { ActorModel } from '../../events/projections/actors';
import type { AgreementsModel } from '../../events/projections/agreements';
import { asOf } from '../../events/projections/as-of';
import type { FeedModel } from '../../events/projections/feeds';
import { actorFeedKey, actorKey, agreementsKey, ALL_FEED_KEY, STORIES_KEY, storyFeedKey, timelineKey, topicFeedKey, visitsKey } from '../../events/projections/keys';
import { agreementsByStatus } from '../../events/projections/queries';
import { visitById } from '../support/queries';
import type { StoriesModel } from '../../events/projections/stories';
import { entryById, type TimelineModel } from '../../events/projections/timeline';
import type { VisitsModel } from '../../events/projections/visits';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { at, fold, seedEvents, seedLog } from '../support/projection-fixtures';

const storyId = seedStory.storyId;
const developments = seedStory.events.filter(isDevelopment) as (DevelopmentEvent & { id: string })[];
const steelPledge = developments.find((event) => event.type === 'AssistancePledged' && event.data.pledgeId === 'pakistan-steel-mills-modernization')!;

describe('the projections of the seed story (Russia and Pakistan, 2012)', () => {
  const docs = fold(seedEvents());

  it('ends Putin’s summit visit cancelled', () => {
    const visits = docs<VisitsModel>(visitsKey(storyId));
    expect(visitById(visits, 'putin-quadrilateral-summit-islamabad-2012')).toMatchObject({ status: 'cancelled', visitors: expect.arrayContaining(['putin']), withdrawn: false });
    expect(visitById(visits, 'kayani-moscow-2012-10')).toMatchObject({ status: 'took-place', occurred: expect.objectContaining({ start: expect.stringMatching(/^2012-10/) }) });
    expect(visitById(visits, 'lavrov-islamabad-2012')?.status).toBe('took-place');
  });

  it('knows Kayani by both spellings, Kiani and Kayani', () => {
    const kayani = docs<ActorModel>(actorKey('kayani'));
    const names = [kayani.name, ...kayani.aliases].join(' | ');
    expect(names).toContain('Kiani');
    expect(names).toContain('Kayani');
    expect(kayani.developments.length).toBeGreaterThan(0);
    expect(docs<FeedModel>(actorFeedKey('kayani')).title).toContain(kayani.name);
  });

  it('shows the Steel Mills pledge as USD 300,000,000-500,000,000', () => {
    const pledged = agreementsByStatus(docs<AgreementsModel>(agreementsKey(storyId))).pledged;
    expect(pledged.find((item) => item.id === 'pakistan-steel-mills-modernization')).toMatchObject({
      status: 'pledged',
      amount: { currency: 'USD', min: 300_000_000, max: 500_000_000 },
      parties: ['russia', 'pakistan'],
    });
    expect(pledged.find((item) => item.id === 'new-jamshoro-power-plant')).toMatchObject({ capacity: { value: 500, unit: 'MW' } });
  });

  it('puts every development on the timeline, ordered by when it occurred', () => {
    const timeline = docs<TimelineModel>(timelineKey(storyId));
    expect(timeline.title).toBe(seedStory.events[0]?.type === 'StoryOpened' ? seedStory.events[0].data.title : undefined);
    expect(timeline.entries).toHaveLength(developments.length);
    const starts = timeline.entries.map((entry) => entry.occurred.start);
    expect([...starts].sort()).toEqual(starts);
    expect(docs<StoriesModel>(STORIES_KEY).stories).toEqual([expect.objectContaining({ storyId, version: seedStory.events.length })]);
  });

  it('makes one feed item per development, newest first, identified by event ids', () => {
    const feed = docs<FeedModel>(storyFeedKey(storyId));
    expect(feed.entries.map((entry) => entry.id)).toEqual(developments.map((event) => event.id).reverse());
    expect(docs<FeedModel>(ALL_FEED_KEY).entries.map((entry) => entry.id)).toEqual(feed.entries.map((entry) => entry.id));
    expect(docs<FeedModel>(topicFeedKey('steel')).entries.map((entry) => entry.id)).toContain(steelPledge.id);
  });

  describe('with a correction and a retraction appended', () => {
    const log = seedLog();
    const correction = log.record(
      'DevelopmentCorrected',
      { eventId: steelPledge.id, changes: { headline: 'Russia to provide $300-500 million for the Steel Mills, under the MoUs', confidence: 'reported' }, note: 'The pledge is reported, not confirmed.' },
      { recordedAt: 60 },
    );
    const commentary = developments.find((event) => event.type === 'CommentaryPublished' && event.data.confidence === 'speculation')!;
    const retraction = log.record('DevelopmentRetracted', { eventId: commentary.id, reason: 'Speculation withdrawn.' }, { recordedAt: 120 });
    const corrected = fold(log.events);

    it('applies the correction everywhere the pledge appears, and announces it', () => {
      const headline = 'Russia to provide $300-500 million for the Steel Mills, under the MoUs';
      expect(entryById(corrected<TimelineModel>(timelineKey(storyId)), steelPledge.id)).toMatchObject({ headline, confidence: 'reported' });
      expect(agreementsByStatus(corrected<AgreementsModel>(agreementsKey(storyId))).pledged[0]).toMatchObject({ headline, amount: { min: 300_000_000, max: 500_000_000 } });
      for (const key of [storyFeedKey(storyId), ALL_FEED_KEY, topicFeedKey('steel'), actorFeedKey('pakistan-steel-mills')]) {
        const feed = corrected<FeedModel>(key);
        expect(feed.entries.find((entry) => entry.id === steelPledge.id)).toMatchObject({ title: headline, updated: correction.reportedAt });
        expect(feed.entries.find((entry) => entry.id === correction.id)).toMatchObject({ kind: 'correction', title: `Correction: ${headline}`, concerns: steelPledge.id });
      }
      expect(corrected<ActorModel>(actorKey('russia')).developments.find((d) => d.eventId === steelPledge.id)?.headline).toBe(headline);
    });

    it('marks the retracted commentary withdrawn, and announces it first', () => {
      const feed = corrected<FeedModel>(storyFeedKey(storyId));
      expect(feed.entries[0]).toMatchObject({ id: retraction.id, kind: 'retraction', concerns: commentary.id });
      expect(feed.entries.find((entry) => entry.id === commentary.id)?.withdrawn).toEqual({ reason: 'Speculation withdrawn.', at: retraction.reportedAt });
      expect(entryById(corrected<TimelineModel>(timelineKey(storyId)), commentary.id)?.retracted?.reason).toBe('Speculation withdrawn.');
    });

    it('tells the story as known before and after the correction', () => {
      const timeline = corrected<TimelineModel>(timelineKey(storyId));
      expect(entryById(asOf(timeline, at(59)), steelPledge.id)).toMatchObject({ headline: steelPledge.data.headline, confidence: 'confirmed', corrections: [] });
      expect(entryById(asOf(timeline, at(60)), steelPledge.id)?.confidence).toBe('reported');
      expect(entryById(asOf(timeline, at(60)), commentary.id)?.retracted).toBeUndefined();
      expect(asOf(timeline, at(0))).toEqual(fold(log.events.slice(0, seedStory.events.length))<TimelineModel>(timelineKey(storyId)));
    });
  });
});
