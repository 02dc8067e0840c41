import type { RecordedEvent } from '../catalog/events';
import { storyIdOf } from '../streams';
import { feedsProjection } from './feeds';
import { digestFeedKey, timelineKey } from './keys';
import { isApplied, markApplied, type Versioned } from './projection';
import { timelineProjection } from './timeline';

/**
 * An event in the log that this code cannot read: a type it does not know, or data its schema
 * refuses (written by a newer version, or damaged). The log keeps it, as it keeps everything.
 * Projections pass over it instead of stopping there: its stream's progress document counts it as
 * applied and lists it under `passedOver`, so the events after it are projected (a stream that
 * stopped would fail every later record of its story, and hold up its shard), and a rebuild by
 * code that can read it brings it in.
 */
export interface UnreadableEvent {
  unreadable: true;
  streamId: string;
  version: number;
  id: string;
  type: string;
  recordedAt: string;
  /** Why it cannot be read, naming the field. */
  reason: string;
}

/** What the projector is given: the events, and the unreadable ones in their place. */
export type ProjectableEvent = RecordedEvent | UnreadableEvent;

export const isUnreadable = (event: ProjectableEvent): event is UnreadableEvent => 'unreadable' in event;

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
