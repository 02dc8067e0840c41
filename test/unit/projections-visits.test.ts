import { timelineKey, visitsKey } from '../../events/projections/keys';
import type { TimelineModel } from '../../events/projections/timeline';
import { visitById } from '../support/queries';
import { initialVisits, visitsProjection, type VisitsModel } from '../../events/projections/visits';
import { dev, fold, StoryLog, summitStory } from '../support/projection-fixtures';

const visitsOf = (log: { events: Parameters<typeof fold>[0] }, storyId = 'summit') => fold(log.events)<VisitsModel>(visitsKey(storyId));

describe('the visits projection', () => {
  const story = summitStory();
  const visits = visitsOf(story);

  it('follows a planned visit through its reschedule to its cancellation', () => {
    expect(visitById(visits, 'putin-summit')).toMatchObject({
      status: 'cancelled',
      visitors: ['putin'],
      destination: 'Islamabad',
      purpose: 'The Quadrilateral Summit',
      scheduled: { start: '2012-10-05', precision: 'day' },
      schedule: [
        { scheduled: { start: '2012-10-02', end: '2012-10-03', precision: 'day' }, eventId: story.planned.id },
        { scheduled: { start: '2012-10-05', precision: 'day' }, eventId: story.rescheduled.id },
      ],
      reason: 'Not given',
      headline: 'Putin cancels his visit',
      withdrawn: false,
      eventIds: [story.planned.id, story.rescheduled.id, story.cancelled.id],
    });
    expect(visitById(visits, 'putin-summit')?.occurred).toBeUndefined();
  });

  it('records an unplanned visit that took place, with when it occurred', () => {
    expect(visitById(visits, 'lavrov-islamabad')).toMatchObject({
      status: 'took-place',
      visitors: ['lavrov'],
      destination: 'Islamabad',
      occurred: { start: '2012-10-04', precision: 'day' },
      schedule: [],
      eventIds: [story.lavrov.id],
    });
  });

  it('lists visits in the order they were first reported', () => {
    expect(visits.visits.map((visit) => visit.visitId)).toEqual(['putin-summit', 'lavrov-islamabad']);
  });

  describe('when a visit event is corrected or retracted', () => {
    const visitStory = () => {
      const log = new StoryLog('visit').open().actor('putin', 'Vladimir Putin');
      const planned = log.record('VisitPlanned', {
        ...dev({ headline: 'Putin will come' }),
        visitId: 'v',
        visitors: ['putin'],
        destination: 'Islamabad',
        scheduled: { start: '2012-10-02', precision: 'day' },
      });
      const cancelled = log.record('VisitCancelled', { ...dev({ headline: 'Putin will not come' }), visitId: 'v', reason: 'Unknown' });
      log.record('DevelopmentCorrected', { eventId: cancelled.id, changes: { headline: 'Putin calls off his visit', occurred: { start: '2012-09', precision: 'month' } }, note: 'Wording.' });
      return { log, planned, cancelled };
    };

    it('applies the correction to the step', () => {
      const { log, cancelled } = visitStory();
      const visit = visitById(visitsOf(log, 'visit'), 'v');
      expect(visit).toMatchObject({ status: 'cancelled', headline: 'Putin calls off his visit' });
      expect(visit?.steps[1]).toMatchObject({ eventId: cancelled.id, occurred: { start: '2012-09', precision: 'month' } });
    });

    it('goes back to planned when the cancellation is retracted', () => {
      const { log, planned, cancelled } = visitStory();
      const retraction = log.record('DevelopmentRetracted', { eventId: cancelled.id, reason: 'Wrong.' });
      const visit = visitById(visitsOf(log, 'visit'), 'v');
      expect(visit).toMatchObject({ status: 'planned', headline: 'Putin will come', withdrawn: false, eventIds: [planned.id, cancelled.id] });
      expect(visit?.reason).toBeUndefined();
      expect(visit?.steps[1]?.retracted).toEqual({ reason: 'Wrong.', at: retraction.reportedAt });
    });

    it('is withdrawn when every step is retracted', () => {
      const { log, planned, cancelled } = visitStory();
      log.record('DevelopmentRetracted', { eventId: cancelled.id, reason: 'Wrong.' });
      log.record('DevelopmentRetracted', { eventId: planned.id, reason: 'Never planned.' });
      expect(visitById(visitsOf(log, 'visit'), 'v')).toMatchObject({ withdrawn: true });
    });
  });

  it('asks for the visits document only for visit events and corrections of them', () => {
    const keys = (event: (typeof story.events)[number]) => visitsProjection.keysOf(event, undefined);
    expect(keys(story.planned)).toEqual([visitsKey('summit')]);
    expect(keys(story.mou)).toEqual([]);
    const before = fold(story.events.slice(0, story.correction.version - 1))<TimelineModel>(timelineKey('summit'));
    expect(visitsProjection.keysOf(story.correction, before)).toEqual([]);
    expect(visitsProjection.keysOf(story.correction, undefined)).toEqual([visitsKey('summit')]);
    expect(visitsProjection.initial(visitsKey('summit'))).toEqual(initialVisits('summit'));
  });
});
