import type { RecordedEvent } from '../../events/catalog/events';
import { isCollectionKey, type StoryTouch } from '../../events/projections/collections';
import { concernedEventId } from '../../events/projections/timeline';
import { derivedFrom } from '../../events/projections/derived';
import { retitlesStory } from '../../events/projections/feeds';
import {
  evolveOrPassOver,
  isUnreadable,
  parseFeedKey,
  passOver,
  progressKey,
  projections,
  timelineKey,
  type ProjectableEvent,
  type TimelineModel,
  type Versioned,
} from '../../events/projections';
import { storyIdOf } from '../../events/streams';

/**
 * The projection of a batch, planned without any I/O: which events each stream still needs (after
 * the version its progress document applied), which documents each of them changes, with the story
 * as it was before each event, and how a document looks after the batch. The projector reads and
 * writes around it (functions/projector.ts); `foldAll` (events/projections/fold.ts) is what the
 * plan must agree with.
 */

/** A stream's events of the batch its progress document has not applied yet. */
export interface StreamBacklog {
  streamId: string;
  /** The version the stream's progress document applied last. */
  progress: number;
  /** Distinct versions after `progress`, ascending (of a version received twice, the last copy). */
  events: ProjectableEvent[];
  /** Versions in between that did not arrive (yet): read them from the event table. */
  gap?: { after: number; limit: number };
}

/** The events of streams that have a progress document (a story's, a digest period's), by stream, in the order received. */
export const groupByStream = (events: readonly ProjectableEvent[]): Map<string, ProjectableEvent[]> => {
  const byStream = new Map<string, ProjectableEvent[]>();
  for (const event of events) {
    if (progressKey(event.streamId) === undefined) continue;
    const stream = byStream.get(event.streamId);
    if (stream) stream.push(event);
    else byStream.set(event.streamId, [event]);
  }
  return byStream;
};

/** The progress document of each stream (see `progressKey`). */
export const progressKeysOf = (streamIds: Iterable<string>): string[] => [...streamIds].map((streamId) => progressKey(streamId) ?? '');

const appliedIn = (doc: unknown, streamId: string): number => (doc as Versioned | undefined)?.applied?.[streamId] ?? 0;

/**
 * Each stream's backlog, given its progress document as stored; and the progress documents that
 * are feeds (a digest stream's) with nothing new, whose rendering a crash may have left behind.
 */
export const backlogsOf = (byStream: ReadonlyMap<string, readonly ProjectableEvent[]>, progressDocs: ReadonlyMap<string, unknown>): { backlogs: StreamBacklog[]; settledFeeds: string[] } => {
  const backlogs: StreamBacklog[] = [];
  const settledFeeds: string[] = [];
  for (const [streamId, received] of byStream) {
    const key = progressKey(streamId) ?? '';
    const progress = appliedIn(progressDocs.get(key), streamId);
    const fresh = new Map(received.filter((e) => e.version > progress).map((e) => [e.version, e]));
    if (fresh.size === 0) {
      if (parseFeedKey(key)) settledFeeds.push(key);
      continue;
    }
    const last = Math.max(...fresh.keys());
    const events = [...fresh.values()].sort((a, b) => a.version - b.version);
    backlogs.push({ streamId, progress, events, ...(fresh.size !== last - progress ? { gap: { after: progress, limit: last - progress } } : {}) });
  }
  return { backlogs, settledFeeds };
};

/** An event of the plan, with its story as it was before it (undefined for a digest stream). */
export interface PlannedEvent {
  event: ProjectableEvent;
  story: TimelineModel | undefined;
}

/** One projection's change of a document by one planned event: indexes into `events` and `projections`. */
export type Touch = readonly [event: number, projection: number];

export interface ProjectionPlan {
  /** Every stream's events, each stream contiguous and in version order. */
  events: PlannedEvent[];
  /** Each document the batch changes, once, in the order first touched (collections aside: see `touches`). */
  keys: string[];
  /** What the batch does to each story, by its timeline key: the items of collections it changes are made from it. */
  touches: Map<string, StoryTouch>;
  /** For each document, the changes to apply to it, in plan order. */
  touching: Map<string, Touch[]>;
}

const timeline = projections.find((p) => p.name === 'timeline');

/**
 * The plan for streams given as contiguous runs of events after their progress, in version order;
 * `progressDocs` holds the streams' progress documents as stored (a story's is its timeline, which
 * every projection reads as the story before an event).
 */
export const planProjection = (streams: Iterable<readonly ProjectableEvent[]>, progressDocs: ReadonlyMap<string, unknown>): ProjectionPlan => {
  const events: PlannedEvent[] = [];
  for (const ordered of streams) {
    const storyId = ordered[0] === undefined ? undefined : storyIdOf(ordered[0].streamId);
    const key = storyId === undefined ? undefined : timelineKey(storyId);
    let story = key === undefined ? undefined : (progressDocs.get(key) as TimelineModel | undefined);
    for (const event of ordered) {
      events.push({ event, story });
      if (key === undefined || !timeline) continue;
      // the story before the next event, as its timeline document will be written (a failure is reported there)
      story = (isUnreadable(event) ? passOver(story, key, event) : evolveOrPassOver(timeline, key, story, event, story)) as TimelineModel;
    }
  }
  // an unreadable event changes only its stream's progress document
  const touching = new Map<string, Touch[]>();
  const touches = new Map<string, StoryTouch & { developments: Set<string> }>();
  events.forEach(({ event, story }, i) => {
    const storyId = storyIdOf(event.streamId);
    if (storyId !== undefined) {
      const key = timelineKey(storyId);
      // the story as the batch found it says where its entry in the list of stories sits (events/projections/collections.ts)
      const found = story && story.version === event.version - 1 && story.updatedAt !== '' ? { before: { version: story.version, recordedAt: story.updatedAt } } : {};
      const touch = touches.get(key) ?? { after: event.version - 1, developments: new Set<string>(), actorsBefore: story?.totals.actors ?? [], ...found };
      touches.set(key, touch);
      if (!isUnreadable(event)) {
        const concerned = concernedEventId(event);
        if (concerned !== undefined) touch.developments.add(concerned);
        if (retitlesStory(event)) {
          touch.retitled = true;
          touch.retitledFrom ??= story?.revised?.version ?? 0;
        }
        touch.last = { version: event.version, recordedAt: event.recordedAt };
      }
    }
    const byProjection = isUnreadable(event) ? [[progressKey(event.streamId) ?? '']] : projections.map((p) => p.keysOf(event, story));
    byProjection.forEach((keys, p) => {
      for (const key of keys) {
        // collections are written as items, derived documents not at all
        if (isCollectionKey(key) || derivedFrom(key) !== undefined) continue;
        const list = touching.get(key);
        if (list) list.push([i, p]);
        else touching.set(key, [[i, p]]);
      }
    });
  });
  return { events, keys: [...touching.keys()], touching, touches };
};

/** A document after the plan's changes to it, from its stored value (undefined when not stored yet); the value given when nothing changes it. */
export const applyPlan = (
  plan: ProjectionPlan,
  key: string,
  stored: unknown,
  onPassedOver?: (event: RecordedEvent, projection: string, error: unknown) => void,
): unknown => {
  let value = stored;
  for (const [i, p] of plan.touching.get(key) ?? []) {
    const { event, story } = plan.events[i]!;
    value = isUnreadable(event) ? passOver(value, key, event) : evolveOrPassOver(projections[p]!, key, value, event, story, onPassedOver);
  }
  return value;
};
