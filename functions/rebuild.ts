import { foldAll, isUnreadable, timelineKey, type ProjectableEvent, type TimelineModel } from '../events/projections';
import { isCollectionKey, storyItems, type ItemWrite } from '../events/projections/collections';
import { derivedFrom } from '../events/projections/derived';
import { storyIdOf } from '../events/streams';
import type { EventStore } from './adapters/event-store';
import type { ReadModelStore } from './adapters/read-model-store';
import { freshGeneration } from './projection/fresh-generation';
import { inParallel } from './projection/worker-pool';
import type { Projector } from './projector';

/**
 * A rebuild replays the event table (not the stream, which only keeps 24 hours) into a fresh
 * generation of read models, switches readers to it only once it is complete, then projects into
 * it whatever was appended while it ran. Last, it deletes the generations before the one it
 * replaced: that one stays, for readers that still hold the old pointer (they re-read it within a
 * second) and to switch back to by hand.
 *
 * A pipeline: the streams are listed once (their ids, from the index: no Query per stream), then
 * read STREAMS_IN_FLIGHT at a time; each is folded in memory on its own (no read model is made from
 * two streams any more: what stories share is a collection of items, each a function of one story,
 * events/projections/collections.ts), and the documents and items of several streams are written
 * together in full BatchWriteItem batches, a bounded number in flight, while the next streams are
 * read; nothing is read back. Nobody else writes the fresh generation before the switch, so nothing
 * is guarded. Nothing is published: feeds and pages are rendered on read.
 */

export interface RebuildProgress {
  /** `dropping`: readers are switched and caught up; the generations before the one replaced are being deleted. */
  phase: 'reading' | 'writing' | 'catching-up' | 'dropping' | 'done';
  /** Reading: streams read of those listed; then events. */
  done: number;
  total: number;
}

export interface RebuildResult {
  generation: number;
  previousGeneration: number;
  events: number;
  documents: number;
  caughtUp: number;
  /** Items of older generations deleted. */
  dropped: number;
}

/** Streams read, folded and written at once. */
const STREAMS_IN_FLIGHT = 16;

export const rebuildReadModels = async (
  { events, readModels, projector, now = () => new Date() }: { events: EventStore; readModels: ReadModelStore; projector: Projector; now?: () => Date },
  onProgress: (progress: RebuildProgress) => void = () => undefined,
): Promise<RebuildResult> => {
  const previousGeneration = await readModels.generation();
  const generation = Math.max(previousGeneration + 1, now().getTime());

  const streams = [...(await events.streamIds('story')), ...(await events.streamIds('digest'))];
  const fresh = freshGeneration(readModels, generation);
  const folded = new Map<string, number>();
  let read = 0;
  let streamsRead = 0;
  let documents = 0;
  await inParallel(
    streams,
    async (streamId) => {
      const log = await events.readRecords(streamId);
      read += log.length;
      onProgress({ phase: 'reading', done: ++streamsRead, total: streams.length });
      // the documents stored as such: collections are written as items, derived documents not at all
      const docs = foldAll(log, (key) => !isCollectionKey(key) && derivedFrom(key) === undefined);
      documents += docs.size;
      folded.set(streamId, log.at(-1)?.version ?? 0);
      await fresh.add(docs, collectionItems(docs, log));
    },
    STREAMS_IN_FLIGHT,
  );
  onProgress({ phase: 'writing', done: read, total: read });
  await fresh.done();

  await readModels.switchGeneration(generation);

  // appended while we ran: the live projector wrote them to the old generation only
  let caughtUp = 0;
  await inParallel(
    [...(await events.streamIds('story')), ...(await events.streamIds('digest'))],
    async (streamId) => {
      const tail = await events.readRecords(streamId, { after: folded.get(streamId) ?? 0 });
      if (tail.length === 0) return;
      await projector.project(tail, { generation });
      caughtUp += tail.length;
      onProgress({ phase: 'catching-up', done: caughtUp, total: caughtUp });
    },
    STREAMS_IN_FLIGHT,
  );
  onProgress({ phase: 'dropping', done: read, total: read });
  const dropped = await readModels.dropGenerationsBefore(previousGeneration);
  onProgress({ phase: 'done', done: read, total: read });
  return { generation, previousGeneration, events: read, documents, caughtUp, dropped };
};

/** A story's collection items (events/projections/collections.ts), from its folded timeline: what a live projection of all its events writes. */
const collectionItems = (folded: ReadonlyMap<string, unknown>, log: readonly ProjectableEvent[]): ItemWrite[] => {
  const storyId = log[0] === undefined ? undefined : storyIdOf(log[0].streamId);
  const story = storyId === undefined ? undefined : (folded.get(timelineKey(storyId)) as TimelineModel | undefined);
  if (!story) return [];
  const last = log.filter((event) => !isUnreadable(event)).at(-1);
  return storyItems(story, { after: 0, developments: new Set(story.entries.map((entry) => entry.id)), ...(last ? { last: { version: last.version, recordedAt: last.recordedAt } } : {}) });
};
