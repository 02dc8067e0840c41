import { storyIdOf } from '../streams';
import { projections } from './registry';
import { timelineKey } from './keys';
import type { TimelineModel } from './timeline';
import { passOver, progressKey } from './progress';
import { evolveOrPassOver, isUnreadable, type ProjectableEvent } from './unreadable';

/**
 * The reference fold: every read-model document, by key, from an event log. Each stream is
 * applied in version order (a repeated version counts once); streams are interleaved in the
 * order given, i.e. the n-th event given of a stream is replaced by that stream's n-th version.
 * An unreadable event is passed over (see unreadable.ts).
 * The projector, whatever the redelivery or replay order it normalises, must arrive at the same
 * documents. `keep` leaves out the documents it refuses (a rebuild folds only what it stores).
 */
export const foldAll = (events: readonly ProjectableEvent[], keep: (key: string) => boolean = () => true): Map<string, unknown> => {
  const docs = new Map<string, unknown>();
  for (const event of inStreamOrder(events)) {
    if (isUnreadable(event)) {
      const key = progressKey(event.streamId);
      if (key !== undefined) docs.set(key, passOver(docs.get(key), key, event));
      continue;
    }
    const storyId = storyIdOf(event.streamId);
    // every projection sees the story as it was before this event
    const story = storyId === undefined ? undefined : (docs.get(timelineKey(storyId)) as TimelineModel | undefined);
    for (const projection of projections) {
      for (const key of projection.keysOf(event, story)) {
        if (keep(key)) docs.set(key, evolveOrPassOver(projection, key, docs.get(key), event, story));
      }
    }
  }
  return docs;
};

/** The events with each stream's slots filled by its distinct versions in ascending order. */
const inStreamOrder = <E extends ProjectableEvent>(events: readonly E[]): E[] => {
  const byStream = new Map<string, E[]>();
  const seen = new Set<string>();
  for (const event of events) {
    const stream = byStream.get(event.streamId) ?? [];
    const slotKey = `${event.streamId}\n${event.version}`;
    if (!seen.has(slotKey)) stream.push(event);
    seen.add(slotKey);
    byStream.set(event.streamId, stream);
  }
  for (const stream of byStream.values()) stream.sort((a, b) => a.version - b.version);
  const taken = new Map<string, number>();
  const ordered: E[] = [];
  for (const event of events) {
    const stream = byStream.get(event.streamId) ?? [];
    const next = taken.get(event.streamId) ?? 0;
    const slot = stream[next];
    if (slot) ordered.push(slot);
    taken.set(event.streamId, next + 1);
  }
  return ordered;
};
