import type { RecordedEvent } from '../../events/catalog/events';
import { asOf } from '../../events/projections/as-of';
import { timelineKey } from '../../events/projections/keys';
import { storyTimeline } from '../../events/projections/queries';
import { StoryTotals } from '../../events/projections/timeline-schema';
import { entryById, evolveTimeline, initialTimeline, timelineProjection, totalsOf, type TimelineModel } from '../../events/projections/timeline';
import { ValidationError } from '../../events/errors';
import { at, deepFreeze, dev, fold, StoryLog, summitStory } from '../support/projection-fixtures';

const timelineOf = (events: RecordedEvent[], storyId = 'summit'): TimelineModel =>
  events.reduce((model, event) => evolveTimeline(deepFreeze(model), deepFreeze(event), undefined), initialTimeline(storyId));

describe('the timeline projection', () => {
  const story = summitStory();
  const timeline = timelineOf(story.events);

  it('keeps the story, its actors, and the last version applied', () => {
    expect(timeline).toMatchObject({ storyId: 'summit', title: 'The summit story', topics: ['diplomacy', 'summit'], version: story.events.length });
    expect(timeline.updatedAt).toBe(story.retraction.recordedAt);
    expect(timeline.actors.map((actor) => actor.actorId)).toEqual(['putin', 'lavrov', 'russia', 'pakistan', 'gazprom']);
  });

  it('keeps its totals as it goes: how many developments, and every actor a development involved at any time (a correction adds, never removes)', () => {
    const log = new StoryLog('totals').open().actor('putin', 'Vladimir Putin').actor('lavrov', 'Sergei Lavrov').actor('zardari', 'Asif Ali Zardari');
    const first = log.record('CommentaryPublished', { ...dev({ headline: 'First', actors: ['putin'] }), outlet: 'zardari', quote: 'A quote.' });
    log.record('DevelopmentCorrected', { eventId: first.id, changes: { actors: ['lavrov'] }, note: 'Lavrov said it.' });
    log.record('CommentaryPublished', { ...dev({ headline: 'Second', actors: ['lavrov'] }), outlet: 'zardari', quote: 'A quote.' });
    const corrected = timelineOf(log.events, 'totals');
    expect(corrected.totals).toEqual({ developments: 2, actors: ['lavrov', 'putin', 'zardari'] });
    expect(StoryTotals.safeParse(corrected.totals).success).toBe(true);
    // no development involves putin now: the totals keep him
    expect(entryById(corrected, first.id)?.actors).toEqual(['lavrov']);
    // the summit story: 8 developments, and putin from the correction of the pledge as from the visits
    expect(timeline.totals).toEqual(totalsOf(timeline.entries));
    expect(timeline.totals.developments).toBe(8);
    // as known at an instant: the totals of what was known then
    expect(asOf(timeline, at(99)).totals).toEqual(totalsOf(asOf(timeline, at(99)).entries));
  });

  it('takes the title, summary and topics a revision changes, and keeps the others', () => {
    const revised = new StoryLog('revised').open(['energy']);
    revised.record('StoryRevised', { title: 'A revised title' });
    expect(timelineOf(revised.events, 'revised')).toMatchObject({ title: 'A revised title', summary: 'All about revised.', topics: ['energy'], version: 2 });
  });

  it('orders developments by when they occurred, less precise dates first, then by version', () => {
    expect(timeline.entries.map((entry) => [entry.occurred.start, entry.headline])).toEqual([
      ['2012', 'No progress on the pipeline'],
      ['2012-08', 'Putin to attend the summit in Islamabad'],
      ['2012-09', 'Putin visit moved'],
      ['2012-09-10', 'Gazprom wants the pipeline'],
      ['2012-10', 'Putin cancels his visit'],
      ['2012-10', 'MoU on steel signed'],
      ['2012-10', 'Russia pledges $300-500 million for Pakistan Steel Mills'],
      ['2012-10-04', 'Lavrov visits Islamabad'],
    ]);
  });

  it('keeps each development with its type-specific details and when it was reported and recorded', () => {
    const entry = entryById(timeline, story.planned.id);
    expect(entry).toMatchObject({
      id: story.planned.id,
      version: story.planned.version,
      type: 'VisitPlanned',
      details: { visitId: 'putin-summit', visitors: ['putin'], destination: 'Islamabad', scheduled: { start: '2012-10-02', end: '2012-10-03', precision: 'day' } },
      places: ['Islamabad'],
      sources: [{ outlet: 'Dawn', quote: 'A quote.' }],
      confidence: 'reported',
      reportedAt: story.planned.reportedAt,
      recordedAt: story.planned.recordedAt,
      corrections: [],
    });
    expect(entryById(timeline, story.pledge.id)?.details).toMatchObject({ amount: { currency: 'USD', min: 300_000_000, max: 500_000_000 } });
  });

  it('applies a correction to the current fields and keeps the original and the note', () => {
    const entry = entryById(timeline, story.pledge.id);
    expect(entry).toMatchObject({
      headline: 'Russia pledges $300-500 million for Pakistan Steel Mills',
      topics: ['steel', 'energy'],
      actors: ['putin'],
      summary: 'What happened.',
      original: { headline: 'Russia pledges money for steel', topics: ['steel'], actors: [] },
      corrections: [
        {
          eventId: story.correction.id,
          note: 'The amount and who announced it were missing.',
          recordedAt: story.correction.recordedAt,
          reportedAt: story.correction.reportedAt,
        },
      ],
    });
  });

  it('re-sorts a development whose date is corrected', () => {
    const log = new StoryLog('dates').open().actor('x', 'X').actor('o', 'O', [], 'outlet');
    const early = log.record('MeetingHeld', { ...dev({ headline: 'early', occurred: { start: '2012-01-01', precision: 'day' } }), meetingId: 'm1', participants: ['x'], place: 'P', outcome: 'O' });
    log.record('CommentaryPublished', { ...dev({ headline: 'middle', occurred: { start: '2012-06', precision: 'month' } }), outlet: 'o', quote: 'q' });
    log.record('DevelopmentCorrected', { eventId: early.id, changes: { occurred: { start: '2012-12', precision: 'month' } }, note: 'Later than reported.' });
    expect(timelineOf(log.events, 'dates').entries.map((entry) => entry.headline)).toEqual(['middle', 'early']);
  });

  it('marks a retracted development and keeps it in its place', () => {
    expect(entryById(timeline, story.interest.id)?.retracted).toEqual({
      eventId: story.retraction.id,
      version: story.retraction.version,
      reason: 'The report was not confirmed.',
      at: story.retraction.reportedAt,
      recordedAt: story.retraction.recordedAt,
    });
    expect(timeline.entries.filter((entry) => entry.retracted)).toHaveLength(1);
  });

  it('ignores an event it has already applied (a redelivery changes nothing)', () => {
    expect(evolveTimeline(deepFreeze(timeline), story.pledge, undefined)).toBe(timeline);
    expect(evolveTimeline(timeline, story.retraction, undefined)).toBe(timeline);
  });

  it('is the document `story/<id>/timeline` of every event of the story, and of no digest', () => {
    for (const event of story.events) expect(timelineProjection.keysOf(event, undefined)).toEqual([timelineKey('summit')]);
    expect(timelineProjection.initial(timelineKey('summit'))).toEqual(initialTimeline('summit'));
    expect(fold(story.events)<TimelineModel>(timelineKey('summit'))).toEqual(timeline);
  });

  describe('as of an instant', () => {
    it('is empty before the story was opened', () => {
      expect(asOf(timeline, at(0))).toEqual(initialTimeline('summit'));
    });

    it('leaves out what was recorded later', () => {
      const early = asOf(timeline, story.planned.recordedAt);
      expect(early.entries.map((entry) => entry.id)).toEqual([story.planned.id]);
      expect(early.version).toBe(story.planned.version);
      expect(early.updatedAt).toBe(story.planned.recordedAt);
      expect(early.actors).toHaveLength(5);
    });

    it('shows a development as first reported before its correction was recorded, and corrected after', () => {
      const before = entryById(asOf(timeline, at(99)), story.pledge.id);
      expect(before).toMatchObject({ headline: 'Russia pledges money for steel', topics: ['steel'], actors: [], corrections: [] });
      const after = entryById(asOf(timeline, at(100)), story.pledge.id);
      expect(after).toMatchObject({ headline: 'Russia pledges $300-500 million for Pakistan Steel Mills', topics: ['steel', 'energy'] });
      expect(after?.corrections).toHaveLength(1);
    });

    it('shows a retraction only from when it was recorded', () => {
      expect(entryById(asOf(timeline, at(199)), story.interest.id)?.retracted).toBeUndefined();
      expect(entryById(asOf(timeline, at(200)), story.interest.id)?.retracted).toBeDefined();
    });

    it('is the same timeline as a fold of the events recorded until then', () => {
      for (const minutes of [3, 8, 12, 99, 150, 300]) {
        const known = story.events.filter((event) => Date.parse(event.recordedAt) <= Date.parse(at(minutes)));
        expect(asOf(timeline, at(minutes))).toEqual(timelineOf(known));
      }
    });

    it('compares instants, not strings (offsets and missing milliseconds)', () => {
      expect(asOf(timeline, '2012-10-08T02:40:00+01:00').version).toBe(asOf(timeline, at(100)).version);
      expect(asOf(timeline, '2012-10-08T01:40:00Z').entries).toEqual(asOf(timeline, at(100)).entries);
    });

    it('refuses an instant that is not one', () => {
      expect(() => asOf(timeline, 'yesterday')).toThrow(ValidationError);
    });

    it('is what the timeline query answers when asked for an instant', () => {
      const { applied: _applied, totals: _totals, ...expected } = asOf(timeline, at(99));
      expect(storyTimeline(timeline, at(99))).toEqual(expected);
      expect(storyTimeline(timeline)).not.toHaveProperty('applied');
      expect(storyTimeline(timeline)).not.toHaveProperty('totals');
    });
  });
});
