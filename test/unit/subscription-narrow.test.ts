import { isDevelopment, type DevelopmentEvent } from '../../events/catalog/events';
import { carriedBy, composeDigest, type DigestContent } from '../../events/digest/compose';
import { timelineKey } from '../../events/projections/keys';
import type { TimelineModel } from '../../events/projections/timeline';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { narrowDigest } from '../../functions/subscriptions/narrow';
import { fold, seedLog } from '../support/projection-fixtures';

/** A subscriber's part of a digest: subscribers who follow only topics get the corrections and retractions of what they follow. */

const FIRST_WEEK = { start: '2012-10-01T06:00:00.000Z', end: '2012-10-08T06:00:00.000Z', timezone: 'UTC' };
const SECOND_WEEK = { start: '2012-10-08T06:00:00.000Z', end: '2012-10-15T06:00:00.000Z', timezone: 'UTC' };
const DAY = 24 * 60;
const developments = seedStory.events.filter(isDevelopment) as (DevelopmentEvent & { id: string })[];
const steelPledge = developments.find((e) => e.type === 'AssistancePledged' && e.data.pledgeId === 'pakistan-steel-mills-modernization')!;

/** The second week's digest of the seed story: only a correction of the steel pledge. */
const correctionDigest = (): DigestContent => {
  const log = seedLog();
  const timeline = () => fold(log.events)<TimelineModel>(timelineKey(seedStory.storyId));
  const first = composeDigest({ period: 'weekly', window: FIRST_WEEK, timelines: [timeline()], carried: new Set() })!;
  log.record('DevelopmentCorrected', { eventId: steelPledge.id, changes: { summary: 'The pledge is for modernization.' }, note: 'Purpose added.' }, { recordedAt: 2 * DAY, reportedAt: DAY + 60 });
  return composeDigest({ period: 'weekly', window: SECOND_WEEK, timelines: [timeline()], carried: new Set(carriedBy(first).developments.map((d) => d.eventId)) })!;
};

it('a subscriber who follows only a topic of the corrected development gets the correction', () => {
  const digest = correctionDigest();
  const [topic] = steelPledge.data.topics;
  const part = narrowDigest(digest, { stories: [], topics: [topic!] });
  expect(part?.changes.map((c) => c.correctedEventId)).toEqual([steelPledge.id]);
  expect(part?.counts.corrections).toBe(1);
  expect(narrowDigest(digest, { stories: [], topics: ['no-such-topic'] })).toBeUndefined();
});

it('a digest composed before changes carried topics still matches by the development it lists', () => {
  const grid: DigestContent['stories'] = [
    { storyId: 'grid', title: 'The grid', topics: [{ topic: 'energy', developments: [{ eventId: 'e1', type: 'MeetingHeld', headline: 'Grid talks', summary: '', occurred: { start: '2012-10-02', precision: 'day' }, confidence: 'confirmed', sources: [], reportedAt: '2012-10-02T10:00:00.000Z' }] }] },
  ];
  const change = { kind: 'retraction' as const, storyId: 'grid', storyTitle: 'The grid', eventId: 'e2', correctedEventId: 'e1', headline: 'Grid talks', note: 'Not so.', reportedAt: '2012-10-03T10:00:00.000Z' };
  const digest = { ...correctionDigest(), stories: grid, changes: [change] };
  expect(narrowDigest(digest, { stories: [], topics: ['energy'] })?.changes).toEqual([change]);
});
