import { compareEntries, type TimelineEntry } from '../events/projections/entry';
import { ENTRIES_PER_CHUNK } from '../events/projections/timeline-chunks';
import type { TimelineModel } from '../events/projections/story-model';
import { StaleDocumentError, type BoundedReads, type ReadModelStore, type TimelineHead } from './adapters/read-model-store';
import { archivePageCount, neighbourPages, storyPageOf, storyPageSpan, type StoryPosition } from './render/pages/story-pagination';

/**
 * The pages of a story read only what they show from its timeline, however long the story: the
 * head (the story without its entries, and how many entries each chunk holds) and the chunks
 * (events/projections/timeline-chunks.ts) that hold the page's developments. The pages number a
 * story's developments in the order the story recorded them (by version, as the chunks hold them),
 * so the n-th development is found from the head's counts alone; each page lists its developments
 * in the order they happened.
 */

const byVersion = (a: TimelineEntry, b: TimelineEntry) => a.version - b.version;

/** A story's developments by their number in the order recorded, read a chunk at a time and each chunk once. */
const developmentsOf = async (store: BoundedReads, head: TimelineHead) => {
  const loaded = new Map<number, TimelineEntry[]>();
  const load = async (indexes: number[]) => {
    const missing = indexes.filter((index) => !loaded.has(index));
    if (missing.length === 0) return;
    for (const [index, entries] of await store.getTimelineChunks(head, missing)) loaded.set(index, [...entries].sort(byVersion));
  };
  // a head written before heads counted their chunks' entries: the chunks are counted by reading them
  if (head.chunks.some((chunk) => chunk.count === undefined)) await load(head.chunks.map((chunk) => chunk.index));
  let total = 0;
  const spans = head.chunks.map(({ index, count }) => {
    const span = { index, first: total, count: count ?? loaded.get(index)?.length ?? 0 };
    total += span.count;
    return span;
  });

  /** The developments numbered `start` to `end` (exclusive), in the order recorded. */
  const range = async (start: number, end: number): Promise<TimelineEntry[]> => {
    const wanted = spans.filter((span) => span.first < end && span.first + span.count > start);
    await load(wanted.map((span) => span.index));
    return wanted.flatMap((span) => (loaded.get(span.index) ?? []).slice(Math.max(0, start - span.first), end - span.first));
  };

  /** A development's number, found by its version (which names its chunk) and id; undefined when the story has no such development. */
  const numberOf = async (eventId: string, version: number): Promise<number | undefined> => {
    const span = spans.find((s) => s.index === Math.floor((version - 1) / ENTRIES_PER_CHUNK));
    if (!span) return undefined;
    await load([span.index]);
    const at = (loaded.get(span.index) ?? []).findIndex((entry) => entry.id === eventId);
    return at < 0 ? undefined : span.first + at;
  };

  return { total, range, numberOf };
};

/** Reads from a timeline's head, again from a fresh head when a chunk was replaced meanwhile; undefined when there is no such story. */
const fromHead = async <T>(store: BoundedReads, key: string, read: (head: TimelineHead) => Promise<T>): Promise<T | undefined> => {
  for (let attempt = 0; ; attempt++) {
    const head = await store.getTimelineHead(key);
    if (!head) return undefined;
    try {
      return await read(head);
    } catch (error) {
      if (!(error instanceof StaleDocumentError) || attempt >= 3) throw error;
    }
  }
};

/** The developments of page `page` (./render/pages/story-pagination.ts), in the order they happened; undefined when there is no such page. */
const pageEntries = async (developments: Awaited<ReturnType<typeof developmentsOf>>, page: number): Promise<TimelineEntry[] | undefined> => {
  const span = storyPageSpan(developments.total, page);
  return span && (await developments.range(span.start, span.end)).sort(compareEntries);
};

/** The story as its head tells it, with these entries. */
const storyWith = (head: TimelineHead, entries: TimelineEntry[]): TimelineModel => ({ ...head.story, entries });

/** Page `page` of a story (0: its latest developments, else an archive page): the story with that page's developments as its entries, and where the page sits. */
export const readStoryPage = (store: BoundedReads, key: string, page: number): Promise<{ timeline: TimelineModel; position: StoryPosition } | undefined> =>
  fromHead(store, key, async (head) => {
    const developments = await developmentsOf(store, head);
    const entries = await pageEntries(developments, page);
    const span = storyPageSpan(developments.total, page);
    if (!entries || !span) return undefined;
    return { timeline: storyWith(head, entries), position: { page, archivePages: archivePageCount(developments.total), total: developments.total, first: span.start } };
  });

/** A development of a story, found by its id (which names its version, and so its chunk), with the page that shows it and its neighbours as a person reads the pages (from the oldest archive page to the latest). */
export interface DevelopmentRead {
  story: TimelineModel;
  entry: TimelineEntry;
  previous?: TimelineEntry;
  next?: TimelineEntry;
  storyPage: number;
}

export const readDevelopment = async (store: BoundedReads & Pick<ReadModelStore, 'getTimelineVersion'>, key: string, eventId: string): Promise<DevelopmentRead | undefined> => {
  const version = await store.getTimelineVersion(key, eventId);
  if (version === undefined) return undefined;
  return fromHead(store, key, async (head) => {
    const developments = await developmentsOf(store, head);
    const number = await developments.numberOf(eventId, version);
    if (number === undefined) return undefined;
    const storyPage = storyPageOf(number, developments.total);
    const entries = (await pageEntries(developments, storyPage)) ?? [];
    const at = entries.findIndex((entry) => entry.id === eventId);
    const around = neighbourPages({ page: storyPage, archivePages: archivePageCount(developments.total) });
    const previous = at > 0 ? entries[at - 1] : around.prev === undefined ? undefined : (await pageEntries(developments, around.prev))?.at(-1);
    const next = at + 1 < entries.length ? entries[at + 1] : around.next === undefined ? undefined : (await pageEntries(developments, around.next))?.[0];
    return { story: storyWith(head, []), entry: entries[at]!, storyPage, ...(previous ? { previous } : {}), ...(next ? { next } : {}) };
  });
};
