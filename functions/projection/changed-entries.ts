import { isUnreadable, timelineKey, totalsOf, type ProjectableEvent, type TimelineModel } from '../../events/projections';
import { chunkOfVersion, chunksChangedBy } from '../../events/projections/timeline-chunks';
import type { RecordedEvent } from '../../events/catalog/events';
import { storyIdOf } from '../../events/streams';
import type { ReadModelStore, StoredDocument } from '../adapters/read-model-store';

/**
 * What a batch reads of its stories' timelines, whatever their length: the timelines come as heads
 * (ReadModelStore `headsOnly`), and this reads the entries of the chunks the batch changes, those of
 * the developments it records, corrects or retracts (events/projections/timeline-chunks.ts). A
 * development the batch did not record is found by its id (one GetItem each, in parallel). A timeline
 * stored before timelines kept their totals (READ_MODEL_SCHEMA 5) is read whole, once: the batch
 * writes it back with them.
 */
export const readChangedEntries = async (
  readModels: ReadModelStore,
  generation: number,
  streams: readonly (readonly ProjectableEvent[])[],
  heads: ReadonlyMap<string, StoredDocument<unknown>>,
): Promise<Map<string, StoredDocument<unknown>>> => {
  const wanted = new Map<string, number[]>();
  await Promise.all(
    streams.map(async (events) => {
      const storyId = events[0] === undefined ? undefined : storyIdOf(events[0].streamId);
      if (storyId === undefined) return;
      const key = timelineKey(storyId);
      const { indexes, targets } = chunksChangedBy(events.filter((event): event is RecordedEvent => !isUnreadable(event)));
      for (const version of await Promise.all(targets.map((eventId) => readModels.getTimelineVersion(key, eventId, generation)))) {
        if (version !== undefined) indexes.add(chunkOfVersion(version));
      }
      const head = heads.get(key);
      wanted.set(key, hasTotals(head) ? [...indexes] : Object.keys(head?.chunks ?? {}).map(Number));
    }),
  );
  const docs = await readModels.readEntries([...heads.values()], wanted, generation);
  for (const [key, doc] of docs) {
    if (doc.chunks !== undefined && !hasTotals(doc)) docs.set(key, { ...doc, value: { ...(doc.value as TimelineModel), totals: totalsOf((doc.value as TimelineModel).entries) } });
  }
  return docs;
};

const hasTotals = (doc: StoredDocument<unknown> | undefined): boolean => (doc?.value as Partial<TimelineModel> | undefined)?.totals !== undefined;
