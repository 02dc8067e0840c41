import type { UnreadableEvent } from '../catalog/unreadable';
import { storyIdOf } from '../streams';
import { initialFeed } from './feeds';
import { digestFeedKey, timelineKey } from './keys';
import { initialTimeline } from './story-model';
import { passedOverIn, type PassingOver } from './unreadable';

/**
 * Which document tells how far a stream is projected, and how an event no projection can read is
 * passed over there. The generic rules of passing over are in ./unreadable.ts; this module names the
 * concrete documents (a story's timeline, a digest period's feed).
 */

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
  return passedOverIn((model ?? (timeline ? initialTimeline(storyIdOf(event.streamId) ?? '') : initialFeed(key))) as PassingOver, event, timeline);
};

