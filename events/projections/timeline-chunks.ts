import { isDevelopment, type RecordedEvent } from '../catalog/events';
import { compareEntries, type TimelineEntry } from './entry';
import { storyIdOfKey, timelineKey } from './keys';
import type { TimelineModel } from './story-model';

/**
 * A story's timeline is stored in chunks, so that it stays within DynamoDB's item limits however
 * long the story grows and a batch writes only what it changed: a head (everything but the
 * entries) and the entries in chunks of ENTRIES_PER_CHUNK by version (a development's version never
 * changes, so an entry stays in its chunk whatever corrects it). A new development changes the last
 * chunk; a correction, the chunk of the development it corrects.
 */
export const ENTRIES_PER_CHUNK = 100;

export const isChunkedKey = (key: string): boolean => {
  const storyId = storyIdOfKey(key);
  return storyId !== undefined && key === timelineKey(storyId);
};

/** The chunk of the development recorded at `version`. */
export const chunkOfVersion = (version: number): number => Math.floor((version - 1) / ENTRIES_PER_CHUNK);
const chunkOf = (entry: TimelineEntry): number => chunkOfVersion(entry.version);

/**
 * The chunks a run of a story's events changes, so that a batch reads only those: the chunks of the
 * developments it records, and the developments it corrects or retracts, by version when the run
 * recorded them, else by id (`targets`: their versions are looked up).
 */
export const chunksChangedBy = (events: readonly RecordedEvent[]): { indexes: Set<number>; targets: string[] } => {
  const indexes = new Set<number>();
  const recorded = new Set<string>();
  const targets = new Set<string>();
  for (const event of events) {
    if (isDevelopment(event)) {
      indexes.add(chunkOfVersion(event.version));
      recorded.add(event.id);
    } else if ((event.type === 'DevelopmentCorrected' || event.type === 'DevelopmentRetracted') && !recorded.has(event.data.eventId)) targets.add(event.data.eventId);
  }
  return { indexes, targets: [...targets] };
};

/** The head and the chunks (by index, each in timeline order) of a timeline. */
export const splitTimeline = (model: TimelineModel): { head: Omit<TimelineModel, 'entries'>; chunks: Map<number, TimelineEntry[]> } => {
  const { entries, ...head } = model;
  const chunks = new Map<number, TimelineEntry[]>();
  for (const entry of entries) {
    const chunk = chunks.get(chunkOf(entry));
    if (chunk) chunk.push(entry);
    else chunks.set(chunkOf(entry), [entry]);
  }
  return { head, chunks };
};

/** The timeline from its head and its chunks (any order). */
export const joinTimeline = (head: Omit<TimelineModel, 'entries'>, chunks: readonly (readonly TimelineEntry[])[]): TimelineModel => ({ ...head, entries: chunks.flat().sort(compareEntries) });

/** The chunks of `next` that differ from those of `previous` (an entry changed is a new object: projections never mutate). */
export const changedChunks = (next: ReadonlyMap<number, readonly TimelineEntry[]>, previous: ReadonlyMap<number, readonly TimelineEntry[]> | undefined): number[] =>
  [...next].filter(([index, entries]) => {
    const before = previous?.get(index);
    return !before || before.length !== entries.length || entries.some((entry, i) => entry !== before[i]);
  }).map(([index]) => index);
