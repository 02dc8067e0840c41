import type { RecordedEvent } from '../../events/catalog/events';
import { asOf } from '../../events/projections/as-of';
import type { FeedModel } from '../../events/projections/feeds';
import { foldAll } from '../../events/projections/fold';
import { digestFeedKey, timelineKey } from '../../events/projections/keys';
import type { TimelineModel } from '../../events/projections/timeline';
import { passOver } from '../../events/projections/progress';
import type { ProjectableEvent, UnreadableEvent } from '../../events/projections/unreadable';
import { digestEvent, summitStory, unreadable } from '../support/projection-fixtures';

/**
 * An event this code cannot read is passed over, not stopped at: its stream's progress document
 * counts it as applied and lists it, every event after it is applied, and passing over it twice
 * changes nothing.
 */


/** The story with one of its developments (one no later event refers to) replaced by an unreadable event. */
const storyWithUnreadable = () => {
  const events = summitStory().events;
  const index = events.findIndex((e, i) => 'headline' in e.data && i < events.length - 2 && !events.slice(i + 1).some((later) => JSON.stringify(later.data).includes(e.id)));
  const replaced = events[index] as RecordedEvent;
  const log: ProjectableEvent[] = events.map((e, i) => (i === index ? unreadable(replaced) : e));
  return { events, log, replaced, storyId: 'summit' };
};

describe('passing over unreadable events', () => {
  it('lists the event in the timeline, counts it as applied, and applies every event after it', () => {
    const { events, log, replaced } = storyWithUnreadable();
    const key = timelineKey(events[0]?.streamId.split('/')[1] ?? '');
    const timeline = foldAll(log).get(key) as TimelineModel;
    const complete = foldAll(events).get(key) as TimelineModel;

    expect(timeline.passedOver).toEqual([{ version: replaced.version, id: replaced.id, type: 'MartiansLanded', recordedAt: replaced.recordedAt, reason: expect.stringContaining('MartiansLanded') }]);
    expect(timeline.version).toBe(complete.version);
    expect(timeline.applied).toEqual(complete.applied);
    expect(timeline.entries.map((e) => e.id)).toEqual(complete.entries.map((e) => e.id).filter((id) => id !== replaced.id));
    expect(complete.passedOver).toBeUndefined();
  });

  it('changes nothing when the same unreadable event comes again, before or after what follows it', () => {
    const { log } = storyWithUnreadable();
    const once = foldAll(log);
    const twice = foldAll([...log, ...log.filter((e) => 'unreadable' in e)]);
    expect(twice).toEqual(once);
    const key = [...once.keys()].find((k) => k.endsWith('/timeline')) ?? '';
    const timeline = once.get(key);
    const [again] = log.filter((e): e is UnreadableEvent => 'unreadable' in e);
    expect(passOver(timeline, key, again as UnreadableEvent)).toBe(timeline);
  });

  it('leaves it out of the story as known before it was recorded', () => {
    const { log, replaced } = storyWithUnreadable();
    const timeline = [...foldAll(log).entries()].find(([k]) => k.endsWith('/timeline'))?.[1] as TimelineModel;
    const before = asOf(timeline, new Date(Date.parse(replaced.recordedAt) - 1).toISOString());
    expect(before.passedOver).toEqual([]);
    expect(asOf(timeline, replaced.recordedAt).passedOver).toHaveLength(1);
  });

  it('passes over an unreadable digest in its period feed, and the digests after it are applied', () => {
    const first = digestEvent('daily', 1);
    const second = digestEvent('daily', 2);
    const third = digestEvent('daily', 3);
    const feed = foldAll([first, unreadable(second), third]).get(digestFeedKey('daily')) as FeedModel & { passedOver?: unknown[] };
    const complete = foldAll([first, second, third]).get(digestFeedKey('daily')) as FeedModel;
    expect(feed.passedOver).toHaveLength(1);
    expect(feed.applied).toEqual(complete.applied);
    expect(feed.entries.map((entry) => entry.recorded.version)).toEqual(complete.entries.map((entry) => entry.recorded.version).filter((version) => version !== second.version));
    expect(feed.entries).toHaveLength(2);
  });
});
