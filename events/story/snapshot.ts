import type { EventType } from '../catalog/events';
import { deciderVersion, type StoryState } from './decider';
import { addEvent, copyFilter, emptyFilter, type EventFilter } from './event-filter';

/**
 * A story's decided state as a snapshot, in parts that do not grow with the story: segments, each the
 * ids, types and content hashes of SEGMENT_EVENTS events in the order the story took them (full ones
 * only, so that a segment, once written, never changes), a filter of the ids and hashes the segments
 * hold (event-filter.ts), given with each new segment, and a small head with the rest: the events after
 * the last segment, which are retracted, the actors, visits and claimed ids, and the version the state
 * was folded to. A head is taken every HEAD_EVENTS events, a segment and its filter every
 * SEGMENT_EVENTS: a cold start reads the head, the filter and the fewer than HEAD_EVENTS events after
 * the head (about what a story of that many events costs to read), whatever the story's length
 * (`restoreHead`); the segments are read only when deciding needs an older event (`restoreState`).
 * Pure data: the snapshot store decides how it is stored.
 */

export const SEGMENT_EVENTS = 100;
/** A head is taken once the story is this many events past the last one: what a cold start reads of the stream. */
export const HEAD_EVENTS = 20;

/** Snapshots are read only by the decider that took them: a changed `deciderVersion` reads none of the old ones. */
export const snapshotTag = (version: number = deciderVersion): string => `story-decider-${version}`;

export type SegmentEvent = [id: string, type: string, hash: string];

type OpenState = Extract<StoryState, { status: 'open' }>;

export interface SnapshotHead {
  /** The stream version the state was folded up to. */
  version: number;
  storyId: string;
  /** What the story says of itself, as last opened or revised. */
  title: string;
  summary: string;
  topics: readonly string[];
  /** How many segments hold the state's first events. */
  segments: number;
  /** The events after them (fewer than SEGMENT_EVENTS). */
  tail: SegmentEvent[];
  retracted: string[];
  actors: OpenState['actors'];
  visits: OpenState['visits'];
  ids: OpenState['ids'];
}

export interface SnapshotParts {
  head: SnapshotHead;
  /** The ids and hashes of every event in the head's segments: given when there are new segments (the stored one covers the head otherwise). */
  filter?: EventFilter;
  /** Segments from the one asked for to the last full one, by index (0-based). */
  segments: { index: number; events: SegmentEvent[] }[];
}

/**
 * The head of a state folded to `version`, and its segments from `fromSegment` on (those before are
 * stored already, and `stored` is the filter of their events; without it, the state must hold them),
 * with the filter of them all when there are any.
 */
export const snapshotParts = (state: OpenState, version: number, fromSegment: number, stored?: EventFilter): SnapshotParts => {
  // the ordinal of the first event the state holds: a state restored from a head holds those after its segments
  const first = state.older?.count ?? 0;
  if (first > fromSegment * SEGMENT_EVENTS || (stored === undefined && first > 0)) throw new Error(`a state that holds events from #${first} cannot give segments from ${fromSegment}`);
  const full = Math.floor((first + state.events.size) / SEGMENT_EVENTS);
  // the stored filter covers the head already when no segment is new (it is not copied: 64 KiB every HEAD_EVENTS events)
  const filter = full <= fromSegment ? undefined : stored ? copyFilter(stored) : emptyFilter();
  const segments: SnapshotParts['segments'] = [];
  const tail: SegmentEvent[] = [];
  const retracted: string[] = [...(state.older?.retracted ?? [])];
  let i = first;
  for (const [id, event] of state.events) {
    if (event.retracted) retracted.push(id);
    const index = Math.floor(i++ / SEGMENT_EVENTS);
    if (index >= full) tail.push([id, event.type, event.hash]);
    else if (filter && (index >= fromSegment || !stored)) addEvent(filter, id, event.hash);
    if (index < full && index >= fromSegment) {
      if (segments.length === 0 || segments[segments.length - 1]!.index !== index) segments.push({ index, events: [] });
      segments[segments.length - 1]!.events.push([id, event.type, event.hash]);
    }
  }
  const { storyId, title, summary, topics, actors, visits, ids } = state;
  return { head: { version, storyId, title, summary, topics, segments: full, tail, retracted, actors, visits, ids }, ...(filter ? { filter } : {}), segments };
};

const held = (head: SnapshotHead, segments: readonly SegmentEvent[][]) => {
  const retracted = new Set(head.retracted);
  const events = new Map<string, { type: EventType; hash: string; retracted: boolean }>();
  const byContent = new Map<string, string>();
  for (const segment of [...segments, head.tail]) {
    for (const [id, type, hash] of segment) {
      events.set(id, { type: type as EventType, hash, retracted: retracted.has(id) });
      byContent.set(hash, id);
    }
  }
  return { status: 'open' as const, storyId: head.storyId, title: head.title, summary: head.summary, topics: [...head.topics], events, byContent, actors: { ...head.actors }, visits: { ...head.visits }, ids: { ...head.ids } };
};

/**
 * The state a head describes without its segments: the story's own facts (title, actors, visits,
 * claimed ids, retractions) and the events after the segments; of the events in them, the filter
 * alone. What it costs to read does not grow with the story.
 */
export const restoreHead = (head: SnapshotHead, filter: EventFilter): StoryState => {
  const state = held(head, []);
  if (head.segments === 0) return state;
  const tail = new Set(state.events.keys());
  return { ...state, older: { count: head.segments * SEGMENT_EVENTS, filter, retracted: head.retracted.filter((id) => !tail.has(id)) } };
};

/** The state a head and all of its segments (in order) describe. */
export const restoreState = (head: SnapshotHead, segments: readonly SegmentEvent[][]): StoryState => {
  if (segments.length !== head.segments) throw new Error(`a snapshot head names ${head.segments} segments, ${segments.length} given`);
  return held(head, segments);
};
