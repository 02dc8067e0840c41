import type { ItemWrite } from '../../events/projections/collections';
import type { ReadModelStore } from '../adapters/read-model-store';

/**
 * What a rebuild writes to its generation, which nobody else writes to until it is switched to: the
 * documents and collection items of many streams, gathered and written together in full
 * BatchWriteItem batches (`putFresh`, a bounded number in flight), without a read or a guard. One
 * write at a time, while the next streams are read and folded: `add` waits once `flushAt` are
 * gathered, until they are written, so that memory stays bounded whatever the table holds.
 */
export const freshGeneration = (readModels: ReadModelStore, generation: number, { flushAt = 2500 }: { flushAt?: number } = {}) => {
  let documents: { key: string; value: unknown }[] = [];
  let items: ItemWrite[] = [];
  let written: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const gathered = { documents, items };
    documents = [];
    items = [];
    written = written.then(() => readModels.putFresh(gathered.documents, generation, gathered.items));
    return written;
  };
  return {
    /** Gathers a stream's documents and items; waits for a write when enough are gathered. */
    add: async (docs: Iterable<[string, unknown]>, writes: readonly ItemWrite[]): Promise<void> => {
      for (const [key, value] of docs) documents.push({ key, value });
      items.push(...writes);
      if (documents.length + items.length >= flushAt) await flush();
    },
    /** Writes what is gathered, after what is being written. */
    done: (): Promise<void> => flush(),
  };
};
