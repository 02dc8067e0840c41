import { isUnreadable, type ProjectableEvent, type UnreadableEvent } from '../catalog/unreadable';
import { storyIdOf } from '../streams';
import { feedsProjection } from './feeds';
import { digestFeedKey, timelineKey } from './keys';
import { isApplied, markApplied, type Versioned } from './projection';
import { timelineProjection } from './timeline';

export { isUnreadable, type ProjectableEvent, type UnreadableEvent };

/**
 * Projections pass over an event they cannot read (events/catalog/unreadable.ts) instead of
 * stopping there: its stream's progress document counts it as applied and lists it under
 * `passedOver`, so the events after it are projected (a stream that stopped would fail every later
 * record of its story, and hold up its shard), and a rebuild by code that can read it brings it in.
 */

export interface PassedOver {
  version: number;
  id: string;
  type: string;
  recordedAt: string;
  reason: string;
}

/** The document whose `applied` version tells how far a stream has been projected: a story's timeline, a digest period's feed. */
export const progressKey = (streamId: string): string | undefined => {
  const storyId = storyIdOf(streamId);
  if (storyId !== undefined) return timelineKey(storyId);
  if (streamId.startsWith('digest/')) return digestFeedKey(streamId.slice('digest/'.length));
  return undefined;
};

/** A stream's progress document (`key`, from `progressKey`) after passing over one of its unreadable events. */
export const passOver = (model: unknown, key: string, event: UnreadableEvent): unknown => {
  const timeline = key === progressKey(event.streamId) && storyIdOf(event.streamId) !== undefined;
  const start = (model ?? (timeline ? timelineProjection.initial(key) : feedsProjection.initial(key))) as Versioned & { passedOver?: PassedOver[] };
  if (isApplied(start, event)) return start;
  const { version, id, type, recordedAt, reason } = event;
  const passed = { ...start, passedOver: [...(start.passedOver ?? []), { version, id, type, recordedAt, reason }], applied: markApplied(start.applied, event) };
  // the timeline also says how far its story goes
  return timeline ? { ...passed, version, updatedAt: recordedAt } : passed;
};
