import { foldAll, timelineKey, type TimelineModel } from '../../events/projections';
import { timelinePage } from '../../functions/read-models';
import { summitStory } from '../support/projection-fixtures';

/** A long story's page is paginated like its feeds: the latest developments, then full archives from the oldest. */
describe('a page of a timeline', () => {
  const timeline = foldAll(summitStory().events).get(timelineKey('summit')) as TimelineModel;
  const ids = timeline.entries.map((e) => e.id);

  it('is the latest developments first, then archives counted from the oldest, linked both ways', () => {
    const size = 3;
    const archives = Math.floor(ids.length / size);
    expect(timelinePage(timeline, 0, size)).toEqual({ entries: timeline.entries.slice(-size), page: 0, archives, older: archives });
    expect(timelinePage(timeline, 1, size)?.entries.map((e) => e.id)).toEqual(ids.slice(0, size));
    expect(timelinePage(timeline, 1, size)).not.toHaveProperty('older');
    expect(timelinePage(timeline, 1, size)?.newer).toBe(2);
    expect(timelinePage(timeline, archives, size)?.entries.map((e) => e.id)).toEqual(ids.slice((archives - 1) * size, archives * size));
  });

  it('does not exist past the archives', () => {
    expect(timelinePage(timeline, Math.floor(ids.length / 3) + 1, 3)).toBeUndefined();
    expect(timelinePage(timeline, -1, 3)).toBeUndefined();
  });
});
