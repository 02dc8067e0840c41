import { advance, initialState, type StoryEvent, type StoryState } from '../events/story/decider';
import { emptyFilter, type EventFilter } from '../events/story/event-filter';
import { HEAD_EVENTS, restoreHead, restoreState, SEGMENT_EVENTS, snapshotParts, snapshotTag, type SegmentEvent } from '../events/story/snapshot';
import type { RecordedEvent } from '../events/catalog/events';
import type { EventLog } from './adapters/event-log';
import { noSnapshots, type SnapshotStore, type StoredHead } from './adapters/snapshot-store';
import { boundedCache } from './bounded-cache';

/**
 * The decided state of stories, kept per instance: a bounded cache of the states of the stories this
 * instance appended to, each changed in place by the events it learns of (its own appends once stored,
 * or the events read after it), and the snapshots that spare a cold instance folding a long story from
 * its first event. A snapshot is written off the append's path, each time the story fills a segment. A
 * cold start reads the latest head alone (the story's own facts, and a filter of the ids and hashes of
 * its older events: the same few kilobytes whatever the story's length) and the events after it; the
 * segments are read once, if ever, when deciding needs an older event (`whole`).
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
  /** As `catchUp`, holding every event of the story (a state restored from a head alone is read whole). */
  whole(streamId: string): Promise<Known>;
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
  /** The ids and hashes of the events in those segments. */
  filter: EventFilter;
  /** The version of the latest head the snapshot store holds (or is being given). */
  head: number;
}

const isPartial = (entry: Entry) => entry.state.status === 'open' && entry.state.older !== undefined;

/** States kept in memory per instance; a story not among them is loaded again. */
const MAX_CACHED_STORIES = 1000;

export const createStoryStates = (
  log: Pick<EventLog, 'readStream'>,
  snapshots: SnapshotStore = noSnapshots,
  { tag = snapshotTag(), maxStories = MAX_CACHED_STORIES }: { tag?: string; maxStories?: number } = {},
): StoryStates => {
  const cache = boundedCache<string, Entry>({ max: maxStories });
  /** The snapshot writes under way, one per story (not a cache: each leaves when done). */
  const writing = new Map<string, Promise<void>>();

  /** Keeps the most recently used stories' states. */
  const remember = (streamId: string, entry: Entry): Entry => {
    cache.set(streamId, entry);
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
   * A snapshot once the story is HEAD_EVENTS events past the store's head or has filled a segment more
   * than the store holds: a head, and the new segments and their filter, written in the background (one
   * write per story at a time). Failing to write one changes no answer: a cold start then reads more events.
   */
  const snapshotIfDue = (streamId: string, entry: Entry) => {
    const { state } = entry;
    if (snapshots === noSnapshots || state.status !== 'open' || writing.has(streamId)) return;
    const filled = Math.floor(((state.older?.count ?? 0) + state.events.size) / SEGMENT_EVENTS) > entry.segments;
    if (!filled && entry.version - entry.head < HEAD_EVENTS) return;
    const parts = snapshotParts(state, entry.version, entry.segments, entry.filter);
    const write = snapshots
      .write(streamId, tag, parts)
      .then(() => {
        entry.head = Math.max(entry.head, parts.head.version);
        if (parts.filter && parts.head.segments > entry.segments) {
          entry.segments = parts.head.segments;
          entry.filter = parts.filter;
        }
        return true;
      })
      .catch(() => false)
      .then((written) => {
        writing.delete(streamId);
        // appends made while it was written may be due another (a failed write waits for the next append)
        if (written) snapshotIfDue(streamId, entry);
      });
    writing.set(streamId, write);
  };

  /** The latest snapshot's head (`whole`: with its segments) and the events after it; a story with no snapshot, from its first event. */
  const load = async (streamId: string, whole: boolean): Promise<Entry> => {
    let entry: Entry = { version: 0, state: initialState, segments: 0, filter: emptyFilter(), head: 0 };
    try {
      const stored: (StoredHead & { segments?: SegmentEvent[][] }) | undefined = await (whole ? snapshots.read(streamId, tag) : snapshots.readHead(streamId, tag));
      if (stored) {
        const { head, filter, segments } = stored;
        const state = segments ? restoreState(head, segments) : restoreHead(head, filter);
        entry = { version: head.version, state, segments: head.segments, filter, head: head.version };
      }
    } catch {
      // no snapshot to be read, or one this code cannot read: the story from its first event
    }
    apply(entry, await log.readStream(streamId, { after: entry.version }));
    snapshotIfDue(streamId, entry);
    const cached = cache.get(streamId);
    // a state read whole replaces one restored from a head; otherwise the entry another request loaded meanwhile stays
    return remember(streamId, cached && !(whole && isPartial(cached)) ? cached : entry);
  };

  const catchUp = async (streamId: string): Promise<Known> => {
    const entry = cache.get(streamId);
    if (!entry) return load(streamId, false);
    apply(entry, await log.readStream(streamId, { after: entry.version }));
    snapshotIfDue(streamId, entry);
    return remember(streamId, entry);
  };

  return {
    known: async (streamId) => cache.get(streamId) ?? load(streamId, false),
    catchUp,
    whole: async (streamId) => {
      const entry = cache.get(streamId);
      return entry && !isPartial(entry) ? catchUp(streamId) : load(streamId, true);
    },
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
