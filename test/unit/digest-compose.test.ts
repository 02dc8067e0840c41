import * as fc from 'fast-check';
import { isDevelopment, type DevelopmentEvent, type RecordedEvent } from '../../events/catalog/events';
import { carriedBy, composeDigest, digestIdOf, type DigestContent, type DigestWindow } from '../../events/digest/compose';
import { nextFiring, previousFiring, type WallClockSchedule } from '../../events/digest/schedule-time';
import { compareOccurred } from '../../events/projections/entry';
import { timelineKey } from '../../events/projections/keys';
import type { TimelineModel } from '../../events/projections/timeline';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { digestSchedules, type DigestSchedule } from '../../contracts/schedules';
import { cronExpression } from '../../infra/cron';
import { at, deepFreeze, dev, fold, seedEvents, seedLog, StoryLog } from '../support/projection-fixtures';

const storyId = seedStory.storyId;
const seedDevelopments = seedStory.events.filter(isDevelopment) as (DevelopmentEvent & { id: string })[];
const seedById = new Map(seedDevelopments.map((event, index) => [event.id, { event, index }]));
const storyTitle = seedStory.events[0]?.type === 'StoryOpened' ? seedStory.events[0].data.title : '';

/** A story's timeline (the seed story's unless told), as the projections fold it from its recorded events. */
const timelineOf = (events: RecordedEvent[], story = storyId): TimelineModel => fold(events)<TimelineModel>(timelineKey(story));

const weekly = (start: string, end: string): DigestWindow => ({ start, end, timezone: 'UTC' });
const FIRST_WEEK = weekly('2012-10-01T06:00:00.000Z', '2012-10-08T06:00:00.000Z');
const SECOND_WEEK = weekly('2012-10-08T06:00:00.000Z', '2012-10-15T06:00:00.000Z');

/** Minutes after 2012-10-08T00:00Z, the instant the seed story was reported. */
const DAY = 24 * 60;

const developmentsOf = (content: DigestContent) => content.stories.flatMap((s) => s.topics.flatMap((t) => t.developments.map((d) => ({ ...d, storyId: s.storyId, topic: t.topic }))));

const findSeed = (predicate: (event: DevelopmentEvent) => boolean): DevelopmentEvent & { id: string } => {
  const found = seedDevelopments.find(predicate);
  if (!found) throw new Error('no such development in the seed story');
  return found;
};
const putinCancels = findSeed((e) => e.type === 'VisitCancelled' && e.data.visitId === 'putin-quadrilateral-summit-islamabad-2012');
const lavrovVisits = findSeed((e) => e.type === 'VisitTookPlace' && e.data.visitId === 'lavrov-islamabad-2012');
const kayaniVisits = findSeed((e) => e.type === 'VisitTookPlace' && e.data.visitId === 'kayani-moscow-2012-10');
const steelPledge = findSeed((e) => e.type === 'AssistancePledged' && e.data.pledgeId === 'pakistan-steel-mills-modernization');
const tarbela = findSeed((e) => e.type === 'InterestExpressed' && e.data.project.includes('Tarbela'));

describe('a weekly digest of the seed story, recorded now and reported on 8 October 2012', () => {
  // recorded long after it was reported, as `npm start` seeds it: windows go by when it was reported
  const timeline = deepFreeze(timelineOf(seedEvents('2026-11-28T05:00:00.000Z')));
  const digest = composeDigest({ period: 'weekly', window: FIRST_WEEK, timelines: [timeline], carried: new Set() });
  if (!digest) throw new Error('the first week of October 2012 has no digest');
  const listed = developmentsOf(digest);

  it('covers every development of the story, once each', () => {
    expect(seedDevelopments).toHaveLength(28);
    expect(listed).toHaveLength(28);
    expect(new Set(listed.map((d) => d.eventId))).toEqual(new Set(seedDevelopments.map((e) => e.id)));
    expect(digest.counts).toEqual({ stories: 1, developments: 28, reportedEarlier: 0, corrections: 0, retractions: 0 });
    expect(digest.changes).toEqual([]);
  });

  it('includes Putin’s cancellation, Lavrov’s and Kayani’s visits and the $300-500 million pledge', () => {
    const ids = listed.map((d) => d.eventId);
    expect(ids).toEqual(expect.arrayContaining([putinCancels.id, lavrovVisits.id, kayaniVisits.id, steelPledge.id]));
    expect(listed.find((d) => d.eventId === putinCancels.id)).toMatchObject({ type: 'VisitCancelled', headline: expect.stringContaining('Putin cancels'), topic: 'diplomacy' });
    expect(listed.find((d) => d.eventId === lavrovVisits.id)).toMatchObject({ type: 'VisitTookPlace', headline: expect.stringContaining('Lavrov'), topic: 'diplomacy' });
    expect(listed.find((d) => d.eventId === kayaniVisits.id)).toMatchObject({
      type: 'VisitTookPlace',
      headline: expect.stringContaining('Kayani'),
      occurred: { start: '2012-10-04', precision: 'day' },
      topic: 'defense',
    });
    expect(listed.find((d) => d.eventId === steelPledge.id)).toMatchObject({ type: 'AssistancePledged', headline: expect.stringContaining('$300-500 million'), topic: 'steel' });
  });

  it('groups by story, then by topic (each development under its first topic), topics in order', () => {
    expect(digest.stories.map((s) => ({ storyId: s.storyId, title: s.title }))).toEqual([{ storyId, title: storyTitle }]);
    const topics = digest.stories[0]?.topics.map((t) => t.topic) ?? [];
    expect(topics).toEqual(['defense', 'diplomacy', 'energy', 'railways', 'steel']);
    for (const d of listed) expect({ id: d.eventId, topic: d.topic }).toEqual({ id: d.eventId, topic: seedById.get(d.eventId)?.event.data.topics[0] });
  });

  it('orders each topic by when things occurred, and what occurred at the same date in the order it was recorded', () => {
    for (const topic of digest.stories[0]?.topics ?? []) {
      topic.developments.slice(1).forEach((d, i) => {
        const before = topic.developments[i];
        if (!before) throw new Error('unreachable');
        const order = compareOccurred(before.occurred, d.occurred);
        expect(order).toBeLessThanOrEqual(0);
        if (order === 0) expect(seedById.get(before.eventId)?.index).toBeLessThan(seedById.get(d.eventId)?.index ?? -1);
      });
    }
    // the article's order: Putin cancels, then Lavrov's visit is brought forward
    const diplomacy = digest.stories[0]?.topics.find((t) => t.topic === 'diplomacy')?.developments.map((d) => d.type) ?? [];
    expect(diplomacy.indexOf('VisitCancelled')).toBeLessThan(diplomacy.indexOf('VisitRescheduled'));
  });

  it('gives each development its occurred date at the precision reported, its sources, confidence and reported time', () => {
    for (const d of listed) {
      const seed = seedById.get(d.eventId)?.event;
      expect({ id: d.eventId, occurred: d.occurred, sources: d.sources, confidence: d.confidence, headline: d.headline, summary: d.summary }).toEqual({
        id: d.eventId,
        occurred: seed?.data.occurred,
        sources: seed?.data.sources,
        confidence: seed?.data.confidence,
        headline: seed?.data.headline,
        summary: seed?.data.summary,
      });
      expect(d.sources.length).toBeGreaterThan(0);
      expect(d.reportedAt).toBe(seedStory.reportedAt);
    }
    const precisions = new Set(listed.map((d) => d.occurred.precision));
    expect(precisions).toEqual(new Set(['year', 'month', 'day']));
  });

  it('titles and summarises itself, and lists the same things in its generic sections', () => {
    expect(digest.title).toBe(`Weekly digest to 2012-10-08: ${storyTitle}`);
    expect(digest.summary).toBe('28 developments in 1 story, reported 2012-10-01T06:00:00.000Z to 2012-10-08T06:00:00.000Z.');
    expect(digest.period).toBe('weekly');
    expect(digest.window).toEqual(FIRST_WEEK);
    expect(digest.sections).toHaveLength(1);
    expect(digest.sections[0]?.title).toBe(storyTitle);
    expect(digest.sections[0]?.items.map((i) => i.title)).toEqual(listed.map((d) => `[${d.topic}] ${d.headline}`));
  });

  it('records what it carried, for the digests after it', () => {
    const carried = carriedBy(digest);
    expect(carried.developments).toEqual(listed.map((d) => ({ storyId, eventId: d.eventId })));
    expect(carried.corrections).toEqual([]);
  });

  it('is composed the same whatever the order of the timelines given, and from the same input the same', () => {
    const other = timelineOf(seedLog().events);
    expect(composeDigest({ period: 'weekly', window: FIRST_WEEK, timelines: [timeline], carried: new Set() })).toEqual(digest);
    expect(composeDigest({ period: 'weekly', window: FIRST_WEEK, timelines: [other], carried: new Set() })?.stories).toEqual(digest.stories);
  });
});

describe('windows go by when developments were reported, start included, end excluded', () => {
  const timeline = timelineOf(seedEvents('2026-11-28T05:00:00.000Z'));
  const compose = (window: DigestWindow) => composeDigest({ period: 'weekly', window, timelines: [timeline], carried: new Set() });

  it('is empty (undefined) for a window that does not contain the reported time', () => {
    expect(compose(SECOND_WEEK)).toBeUndefined();
    expect(compose(weekly('2012-09-24T06:00:00.000Z', '2012-10-01T06:00:00.000Z'))).toBeUndefined();
  });

  it('is empty for the window that ends at the reported instant, and full for the one that starts there', () => {
    expect(compose(weekly('2012-10-01T00:00:00.000Z', '2012-10-08T00:00:00.000Z'))).toBeUndefined();
    expect(compose(weekly('2012-10-08T00:00:00.000Z', '2012-10-15T00:00:00.000Z'))?.counts.developments).toBe(28);
  });

  it('carries developments reported before a window in the window they were recorded in, marked as reported earlier, once', () => {
    // the seed story, recorded on 28 November 2026: no digest of 2012 was fired, so the week it was recorded in carries it
    const recordedWeek = weekly('2026-11-23T06:00:00.000Z', '2026-11-30T06:00:00.000Z');
    const late = compose(recordedWeek);
    expect(late?.counts).toEqual({ stories: 1, developments: 28, reportedEarlier: 28, corrections: 0, retractions: 0 });
    expect(developmentsOf(late as DigestContent).every((d) => d.reportedEarlier === true && d.reportedAt === '2012-10-08T00:00:00.000Z')).toBe(true);
    expect(late?.summary).toMatch(/^28 developments in 1 story, 28 of them reported earlier and added since the last digest, reported /);
    // not in the weeks before or after it was recorded
    expect(compose(weekly('2026-11-16T06:00:00.000Z', '2026-11-23T06:00:00.000Z'))).toBeUndefined();
    expect(compose(weekly('2026-11-30T06:00:00.000Z', '2026-12-07T06:00:00.000Z'))).toBeUndefined();
    // and not again once a digest carried them (the 2012 week, fired by hand)
    const carried = new Set(developmentsOf(compose(FIRST_WEEK) as DigestContent).map((d) => d.eventId));
    expect(composeDigest({ period: 'weekly', window: recordedWeek, timelines: [timeline], carried })).toBeUndefined();
  });

  it('lists several stories by story id, each with its own topics', () => {
    const other = new StoryLog('aral-sea').open(['environment']).actor('dawn', 'Dawn', [], 'outlet');
    other.record('CommentaryPublished', { ...dev({ headline: 'The Aral Sea keeps shrinking', topics: ['environment'] }), outlet: 'dawn', quote: 'It shrinks.' }, { reportedAt: 30 });
    other.record('CommentaryPublished', { ...dev({ headline: 'Reported and recorded before the window', topics: ['environment'] }), outlet: 'dawn', quote: 'Old.' }, { reportedAt: -8 * DAY, recordedAt: -8 * DAY });
    const digest = composeDigest({ period: 'weekly', window: weekly('2012-10-08T00:00:00.000Z', '2012-10-15T00:00:00.000Z'), timelines: [timeline, timelineOf(other.events, 'aral-sea')], carried: new Set() });
    expect(digest?.stories.map((s) => [s.storyId, s.topics.map((t) => t.topic)])).toEqual([
      ['aral-sea', ['environment']],
      [storyId, ['defense', 'diplomacy', 'energy', 'railways', 'steel']],
    ]);
    expect(digest?.stories[0]?.topics[0]?.developments.map((d) => d.headline)).toEqual(['The Aral Sea keeps shrinking']);
    expect(digest?.counts).toEqual({ stories: 2, developments: 29, reportedEarlier: 0, corrections: 0, retractions: 0 });
    expect(digest?.summary).toMatch(/^29 developments in 2 stories, reported /);
    expect(digest?.title).toBe(`Weekly digest to 2012-10-15: The aral-sea story; ${storyTitle}`);
  });

  it('is empty without any story', () => {
    expect(composeDigest({ period: 'daily', window: SECOND_WEEK, timelines: [], carried: new Set() })).toBeUndefined();
  });
});

describe('the digest after one that carried the story', () => {
  const firstDigest = (log = seedLog()) => {
    const first = composeDigest({ period: 'weekly', window: FIRST_WEEK, timelines: [timelineOf(log.events)], carried: new Set() });
    if (!first) throw new Error('no first digest');
    return new Set(carriedBy(first).developments.map((d) => d.eventId));
  };

  it('lists a correction reported in its window in its changes, and does not repeat the corrected development', () => {
    const log = seedLog();
    const carried = firstDigest(log);
    const correction = log.record(
      'DevelopmentCorrected',
      { eventId: steelPledge.id, changes: { headline: 'Russia pledges $300-500 million to modernize Pakistan Steel Mills' }, note: 'The pledge is for modernization.' },
      { recordedAt: 2 * DAY, reportedAt: DAY + 60 },
    );
    const next = composeDigest({ period: 'weekly', window: SECOND_WEEK, timelines: [timelineOf(log.events)], carried });
    expect(next).toBeDefined();
    expect(next?.stories).toEqual([]);
    expect(next?.changes).toEqual([
      {
        kind: 'correction',
        storyId,
        storyTitle,
        eventId: correction.id,
        correctedEventId: steelPledge.id,
        headline: 'Russia pledges $300-500 million to modernize Pakistan Steel Mills',
        note: 'The pledge is for modernization.',
        reportedAt: at(DAY + 60),
        topics: steelPledge.data.topics,
      },
    ]);
    expect(next?.counts).toEqual({ stories: 0, developments: 0, reportedEarlier: 0, corrections: 1, retractions: 0 });
    expect(next?.title).toBe('Weekly digest to 2012-10-15: corrections');
    expect(next?.summary).toBe('1 correction, reported 2012-10-08T06:00:00.000Z to 2012-10-15T06:00:00.000Z.');
    expect(next?.sections).toEqual([{ title: 'Corrections and retractions', items: [{ title: 'Corrected: Russia pledges $300-500 million to modernize Pakistan Steel Mills', summary: 'The pledge is for modernization.' }] }]);
    expect(next && carriedBy(next)).toEqual({ developments: [], corrections: [{ storyId, eventId: correction.id, correctedEventId: steelPledge.id }] });
  });

  it('lists a retraction too, in the order they were reported, with new developments beside them', () => {
    const log = seedLog();
    const carried = firstDigest(log);
    const retraction = log.record('DevelopmentRetracted', { eventId: tarbela.id, reason: 'The ministry denied any interest in Tarbela-4.' }, { recordedAt: 3 * DAY, reportedAt: 2 * DAY });
    const correction = log.record(
      'DevelopmentCorrected',
      { eventId: kayaniVisits.id, changes: { summary: 'General Kayani arrived in Moscow on 4 October.' }, note: 'Arrival date added.' },
      { recordedAt: 3 * DAY, reportedAt: 3 * DAY },
    );
    const fresh = log.record(
      'MeetingHeld',
      { ...dev({ headline: 'Kayani meets Russian defence officials again', occurred: { start: '2012-10-09', precision: 'day' }, topics: ['defense'], actors: ['kayani'] }), meetingId: 'kayani-second-meeting', participants: ['kayani'], place: 'Moscow', outcome: 'More cooperation.' },
      { recordedAt: 3 * DAY, reportedAt: DAY + 120 },
    );
    const next = composeDigest({ period: 'weekly', window: SECOND_WEEK, timelines: [timelineOf(log.events)], carried });
    expect(next?.changes.map((c) => ({ kind: c.kind, eventId: c.eventId, correctedEventId: c.correctedEventId, note: c.note }))).toEqual([
      { kind: 'retraction', eventId: retraction.id, correctedEventId: tarbela.id, note: 'The ministry denied any interest in Tarbela-4.' },
      { kind: 'correction', eventId: correction.id, correctedEventId: kayaniVisits.id, note: 'Arrival date added.' },
    ]);
    expect(next?.counts).toEqual({ stories: 1, developments: 1, reportedEarlier: 0, corrections: 1, retractions: 1 });
    expect(next && developmentsOf(next).map((d) => d.eventId)).toEqual([fresh.id]);
    expect(next?.sections.map((s) => s.title)).toEqual([storyTitle, 'Corrections and retractions']);
    expect(next?.summary).toBe('1 development in 1 story, 1 correction, 1 retraction, reported 2012-10-08T06:00:00.000Z to 2012-10-15T06:00:00.000Z.');
  });

  it('does not list changes to developments no digest carried, nor changes reported outside its window', () => {
    const log = seedLog();
    const carried = firstDigest(log);
    log.record('DevelopmentCorrected', { eventId: steelPledge.id, changes: { confidence: 'confirmed' }, note: 'Confirmed later.' }, { recordedAt: 20 * DAY, reportedAt: 10 * DAY });
    const timeline = timelineOf(log.events);
    expect(composeDigest({ period: 'weekly', window: SECOND_WEEK, timelines: [timeline], carried })).toBeUndefined();
    const third = weekly('2012-10-15T06:00:00.000Z', '2012-10-22T06:00:00.000Z');
    expect(composeDigest({ period: 'weekly', window: third, timelines: [timeline], carried })?.counts.corrections).toBe(1);
    expect(composeDigest({ period: 'weekly', window: third, timelines: [timeline], carried: new Set() })).toBeUndefined();
  });

  it('carries a correction and a retraction reported before its window but recorded in it, marked as reported earlier, once', () => {
    const log = seedLog();
    const carried = firstDigest(log);
    // reported during the first week, recorded only after its digest was composed
    const correction = log.record('DevelopmentCorrected', { eventId: steelPledge.id, changes: { confidence: 'confirmed' }, note: 'Confirmed by the ministry.' }, { reportedAt: 60, recordedAt: 2 * DAY });
    const retraction = log.record('DevelopmentRetracted', { eventId: tarbela.id, reason: 'Denied.' }, { reportedAt: 120, recordedAt: 2 * DAY + 1 });
    const timeline = timelineOf(log.events);
    const next = composeDigest({ period: 'weekly', window: SECOND_WEEK, timelines: [timeline], carried });
    expect(next?.changes.map((c) => [c.kind, c.eventId, c.reportedAt, c.reportedEarlier])).toEqual([
      ['correction', correction.id, at(60), true],
      ['retraction', retraction.id, at(120), true],
    ]);
    expect(next?.counts).toMatchObject({ corrections: 1, retractions: 1 });
    // not in the week after the one it was recorded in
    const third = weekly('2012-10-15T06:00:00.000Z', '2012-10-22T06:00:00.000Z');
    expect(composeDigest({ period: 'weekly', window: third, timelines: [timeline], carried })).toBeUndefined();
    // and not again once a digest carried it (the first week's digest, fired late, after they were recorded)
    const alreadyCarried = new Set([...carried, correction.id, retraction.id]);
    expect(composeDigest({ period: 'weekly', window: SECOND_WEEK, timelines: [timeline], carried: alreadyCarried })).toBeUndefined();
  });

  it('does not repeat developments an earlier digest carried', () => {
    const log = seedLog();
    const carried = firstDigest(log);
    const timeline = timelineOf(log.events);
    expect(composeDigest({ period: 'weekly', window: FIRST_WEEK, timelines: [timeline], carried })).toBeUndefined();
    const half = new Set([...carried].slice(0, 10));
    const rest = composeDigest({ period: 'weekly', window: FIRST_WEEK, timelines: [timeline], carried: half });
    expect(rest?.counts.developments).toBe(18);
    expect(rest && developmentsOf(rest).filter((d) => half.has(d.eventId))).toEqual([]);
  });

  it('leaves out a development that was retracted before any digest carried it', () => {
    const log = seedLog();
    log.record('DevelopmentRetracted', { eventId: tarbela.id, reason: 'Withdrawn before the digest.' }, { recordedAt: 60, reportedAt: 60 });
    const digest = composeDigest({ period: 'weekly', window: FIRST_WEEK, timelines: [timelineOf(log.events)], carried: new Set() });
    expect(digest?.counts).toEqual({ stories: 1, developments: 27, reportedEarlier: 0, corrections: 0, retractions: 0 });
    expect(digest && developmentsOf(digest).map((d) => d.eventId)).not.toContain(tarbela.id);
  });
});

describe('digest ids', () => {
  it('derive from the period and the window end, with or without milliseconds', () => {
    expect(digestIdOf('weekly', '2012-10-08T06:00:00.000Z')).toBe('weekly-2012-10-08t06-00-00z');
    expect(digestIdOf('weekly', '2012-10-08T06:00:00Z')).toBe('weekly-2012-10-08t06-00-00z');
    expect(digestIdOf('daily', '2026-10-25T05:00:00.000Z')).toBe('daily-2026-10-25t05-00-00z');
  });
});

describe('schedule arithmetic', () => {
  const ms = Date.parse;
  const iso = (instant: number) => new Date(instant).toISOString();
  const scheduleOf = (period: string): DigestSchedule => {
    const schedule = digestSchedules.find((s) => s.period === period);
    if (!schedule) throw new Error(`no ${period} schedule`);
    return schedule;
  };
  const localWallClock = (instant: number, timeZone: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));

  describe('the schedules the stack and the local runtime share', () => {
    it('declare a daily and a weekly schedule, as EventBridge Scheduler cron expressions', () => {
      expect(digestSchedules.map((s) => s.period).sort()).toEqual(['daily', 'weekly']);
      expect(cronExpression(scheduleOf('daily'))).toBe('cron(0 6 * * ? *)');
      expect(cronExpression(scheduleOf('weekly'))).toBe('cron(0 6 ? * MON *)');
    });

    it('write any day of the week and time', () => {
      expect(cronExpression({ period: 'weekly', timezone: 'Europe/Berlin', hour: 23, minute: 30, isoWeekday: 7 })).toBe('cron(30 23 ? * SUN *)');
      expect(cronExpression({ period: 'weekly', timezone: 'UTC', hour: 0, minute: 5, isoWeekday: 3 })).toBe('cron(5 0 ? * WED *)');
      expect(cronExpression({ period: 'daily', timezone: 'Asia/Tokyo', hour: 18, minute: 45 })).toBe('cron(45 18 * * ? *)');
    });

    it('close the window of 1-8 October 2012 with the weekly firing at 2012-10-08T06:00:00Z', () => {
      const weeklySchedule = scheduleOf('weekly');
      expect(iso(nextFiring(weeklySchedule, ms('2012-10-03T12:00:00Z')))).toBe('2012-10-08T06:00:00.000Z');
      expect(iso(previousFiring(weeklySchedule, ms('2012-10-08T06:00:00Z')))).toBe('2012-10-01T06:00:00.000Z');
    });
  });

  describe('in UTC', () => {
    const daily: WallClockSchedule = { timezone: 'UTC', hour: 6, minute: 0 };
    const weeklyMonday: WallClockSchedule = { ...daily, isoWeekday: 1 };

    it('fires daily at 06:00, strictly after the instant given', () => {
      expect(iso(nextFiring(daily, ms('2012-10-08T05:59:59.999Z')))).toBe('2012-10-08T06:00:00.000Z');
      expect(iso(nextFiring(daily, ms('2012-10-08T06:00:00.000Z')))).toBe('2012-10-09T06:00:00.000Z');
      expect(iso(nextFiring(daily, ms('2012-12-31T23:00:00.000Z')))).toBe('2013-01-01T06:00:00.000Z');
      expect(iso(previousFiring(daily, ms('2012-10-08T06:00:00.000Z')))).toBe('2012-10-07T06:00:00.000Z');
      expect(iso(previousFiring(daily, ms('2012-03-01T06:00:00.000Z')))).toBe('2012-02-29T06:00:00.000Z');
    });

    it('fires weekly on Mondays at 06:00', () => {
      expect(iso(nextFiring(weeklyMonday, ms('2012-10-08T06:00:00.000Z')))).toBe('2012-10-15T06:00:00.000Z');
      expect(iso(nextFiring(weeklyMonday, ms('2012-10-07T23:59:00.000Z')))).toBe('2012-10-08T06:00:00.000Z');
      expect(iso(nextFiring(weeklyMonday, ms('2012-12-28T00:00:00.000Z')))).toBe('2012-12-31T06:00:00.000Z');
      expect(iso(previousFiring(weeklyMonday, ms('2013-01-07T06:00:00.000Z')))).toBe('2012-12-31T06:00:00.000Z');
    });
  });

  describe('in Europe/Berlin, across the end of summer time on 25 October 2026', () => {
    const daily: WallClockSchedule = { timezone: 'Europe/Berlin', hour: 6, minute: 0 };
    const weeklyMonday: WallClockSchedule = { ...daily, isoWeekday: 1 };

    it('fires daily at 06:00 local time on both sides of the change, so one window lasts 25 hours', () => {
      expect(iso(nextFiring(daily, ms('2026-10-23T12:00:00Z')))).toBe('2026-10-24T04:00:00.000Z'); // 06:00 CEST
      expect(iso(nextFiring(daily, ms('2026-10-24T04:00:00Z')))).toBe('2026-10-25T05:00:00.000Z'); // 06:00 CET
      expect(iso(nextFiring(daily, ms('2026-10-25T05:00:00Z')))).toBe('2026-10-26T05:00:00.000Z');
      expect(iso(previousFiring(daily, ms('2026-10-25T05:00:00Z')))).toBe('2026-10-24T04:00:00.000Z');
      expect(iso(previousFiring(daily, ms('2026-10-26T05:00:00Z')))).toBe('2026-10-25T05:00:00.000Z');
      expect(localWallClock(ms('2026-10-24T04:00:00Z'), 'Europe/Berlin')).toBe('Sat 06:00');
      expect(localWallClock(ms('2026-10-25T05:00:00Z'), 'Europe/Berlin')).toBe('Sun 06:00');
    });

    it('fires weekly on Mondays at 06:00 local time: the week across the change lasts 7 days and an hour', () => {
      expect(iso(nextFiring(weeklyMonday, ms('2026-10-19T04:00:00Z')))).toBe('2026-10-26T05:00:00.000Z');
      expect(iso(nextFiring(weeklyMonday, ms('2026-10-19T03:59:00Z')))).toBe('2026-10-19T04:00:00.000Z');
      expect(iso(previousFiring(weeklyMonday, ms('2026-10-26T05:00:00Z')))).toBe('2026-10-19T04:00:00.000Z');
      expect(localWallClock(ms('2026-10-26T05:00:00Z'), 'Europe/Berlin')).toBe('Mon 06:00');
    });

    it('skips a firing whose local time does not exist when the clocks go forward, as EventBridge Scheduler does', () => {
      const halfPastTwo: WallClockSchedule = { timezone: 'Europe/Berlin', hour: 2, minute: 30 };
      // 02:30 on 29 March 2026 does not exist in Berlin (02:00 CET becomes 03:00 CEST)
      expect(iso(nextFiring(halfPastTwo, ms('2026-03-28T12:00:00Z')))).toBe('2026-03-30T00:30:00.000Z');
      expect(iso(previousFiring(halfPastTwo, ms('2026-03-30T00:30:00Z')))).toBe('2026-03-28T01:30:00.000Z');
    });

    it('fires once at a local time that occurs twice when the clocks go back', () => {
      const halfPastOne: WallClockSchedule = { timezone: 'America/New_York', hour: 1, minute: 30 };
      expect(iso(nextFiring(halfPastOne, ms('2026-11-01T00:00:00Z')))).toBe('2026-11-01T05:30:00.000Z');
      expect(iso(nextFiring(halfPastOne, ms('2026-11-01T05:30:00Z')))).toBe('2026-11-02T06:30:00.000Z');
    });

    it('always closes a window that the previous firing opened (property)', () => {
      const schedules: WallClockSchedule[] = [daily, weeklyMonday, { timezone: 'America/New_York', hour: 1, minute: 30, isoWeekday: 7 }, { timezone: 'Australia/Lord_Howe', hour: 2, minute: 15 }];
      fc.assert(
        fc.property(fc.constantFrom(...schedules), fc.integer({ min: ms('2025-01-01T00:00:00Z'), max: ms('2028-01-01T00:00:00Z') }), (schedule, instant) => {
          const firing = nextFiring(schedule, instant);
          const previous = previousFiring(schedule, firing);
          expect(firing).toBeGreaterThan(instant);
          expect(previous).toBeLessThanOrEqual(instant);
          expect(nextFiring(schedule, previous)).toBe(firing);
        }),
        { numRuns: 300 },
      );
    });
  });
});
