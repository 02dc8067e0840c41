import { advance, initialState, type StoryEvent, type StoryState } from '../events/story/decider';
import { restoreState, SEGMENT_EVENTS, snapshotParts, snapshotTag } from '../events/story/snapshot';
import type { RecordedEvent } from '../events/catalog/events';
import type { EventLog } from './adapters/event-log';
import { noSnapshots, type SnapshotStore } from './adapters/snapshot-store';

/**
 * The decided state of stories, kept per instance: a bounded cache of the states of the stories this
 * instance appended to, each changed in place by the events it learns of (its own appends once stored,
 * or the events read after it), and the snapshots that spare a cold instance folding a long story from
 * its first event. A snapshot is written off the append's path, each time the story fills a segment; a
 * cold start reads the latest one whole (its head and segments) and the events after it.
 */

export interface Known {
  /** The stream version the state is folded up to. */
  readonly version: number;
  /** The cache's own state: read it there and then; never keep it or change it. */
  readonly state: StoryState;
}

export interface StoryStates {
  /** The cached state of a stream, or (nothing cached) its latest snapshot and the events after it. */
  known(streamId: string): Promise<Known>;
  /** As `known`, read to the head: the events after what is cached, applied. */
  catchUp(streamId: string): Promise<Known>;
  /** Events this instance stored right after version `from`: applied to the cached state, with no read. */
  appended(streamId: string, from: number, events: readonly StoryEvent[], version: number): void;
  /** Resolves once the snapshot writes under way are done (a test's way to wait for them; appends never do). */
  snapshotsWritten(): Promise<void>;
}

interface Entry {
  version: number;
  state: StoryState;
  /** Segments of this state the snapshot store holds (or is being given). */
  segments: number;
}

/** States kept in memory per instance; a story not among them is loaded again. */
const MAX_CACHED_STORIES = 1000;

export const createStoryStates = (
  log: Pick<EventLog, 'readStream'>,
  snapshots: SnapshotStore = noSnapshots,
  { tag = snapshotTag(), maxStories = MAX_CACHED_STORIES }: { tag?: string; maxStories?: number } = {},
): StoryStates => {
  const cache = new Map<string, Entry>();
  const writing = new Map<string, Promise<void>>();

  /** Keeps the most recently used stories' states (a Map iterates oldest first). */
  const remember = (streamId: string, entry: Entry): Entry => {
    cache.delete(streamId);
    cache.set(streamId, entry);
    if (cache.size > maxStories) cache.delete(cache.keys().next().value as string);
    return entry;
  };

  /** Applies events read from the stream; those the entry already has (applied while they were read) are passed over. */
  const apply = (entry: Entry, events: readonly RecordedEvent[]) => {
    const fresh = events.filter((event) => event.version > entry.version);
    if (fresh.length === 0) return;
    entry.state = advance(entry.state, fresh);
    entry.version = fresh[fresh.length - 1]!.version;
  };

  /**
   * A snapshot once the story has filled a segment more than the store holds: its new segments and a
   * head, written in the background (one write per story at a time). Failing to write one changes no
   * answer: a cold start then reads more events.
   */
  const snapshotIfDue = (streamId: string, entry: Entry) => {
    const { state } = entry;
    if (state.status !== 'open' || writing.has(streamId)) return;
    if (Math.floor(state.events.size / SEGMENT_EVENTS) <= entry.segments) return;
    const parts = snapshotParts(state, entry.version, entry.segments);
    const write = snapshots
      .write(streamId, tag, parts)
      .then(() => {
        entry.segments = Math.max(entry.segments, parts.head.segments);
      })
      .catch(() => undefined)
      .finally(() => writing.delete(streamId));
    writing.set(streamId, write);
  };

  const load = async (streamId: string): Promise<Entry> => {
    const stored = await snapshots.read(streamId, tag).catch(() => undefined);
    let entry: Entry = { version: 0, state: initialState, segments: 0 };
    if (stored) {
      try {
        entry = { version: stored.head.version, state: restoreState(stored.head, stored.segments), segments: stored.head.segments };
      } catch {
        // a snapshot this code cannot read: the story from its first event
      }
    }
    apply(entry, await log.readStream(streamId, { after: entry.version }));
    snapshotIfDue(streamId, entry);
    return remember(streamId, cache.get(streamId) ?? entry);
  };

  const catchUp = async (streamId: string): Promise<Known> => {
    const entry = cache.get(streamId);
    if (!entry) return load(streamId);
    apply(entry, await log.readStream(streamId, { after: entry.version }));
    snapshotIfDue(streamId, entry);
    return remember(streamId, entry);
  };

  return {
    known: async (streamId) => cache.get(streamId) ?? load(streamId),
    catchUp,
    appended: (streamId, from, events, version) => {
      const entry = cache.get(streamId);
      // an entry already past `from` learnt of these events by reading them; one behind it reads the gap first
      if (!entry || entry.version !== from) return;
      entry.state = advance(entry.state, events);
      entry.version = version;
      snapshotIfDue(streamId, entry);
    },
    snapshotsWritten: async () => {
      while (writing.size) await Promise.all([...writing.values()]);
    },
  };
};
