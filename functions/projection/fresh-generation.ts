import { isCollectionKey } from '../../events/projections/collections';
import { derive, derivedFrom } from '../../events/projections/derived';
import { StaleDocumentError, type ReadModelStore, type StoredDocument } from '../adapters/read-model-store';

/**
 * A rebuild's generation, which nobody else writes to until it is switched to: its documents are
 * kept in memory and written in batches (`putFresh`) rather than one guarded write each. The store
 * it hands out reads what is kept as if stored and keeps writes to that generation, guarded by
 * revision as the real store guards them; a document already flushed goes to the real store.
 */
export const freshGeneration = (readModels: ReadModelStore, generation: number) => {
  const pending = new Map<string, StoredDocument<unknown>>();
  const flushed = new Set<string>();
  const store: ReadModelStore = {
    ...readModels,
    get: async <T>(key: string, gen?: number) => (gen === generation && pending.has(key) ? (pending.get(key) as StoredDocument<T>) : readModels.get<T>(key, gen)),
    getMany: async <T>(keys: string[], gen?: number) => {
      if (gen !== generation) return readModels.getMany<T>(keys, gen);
      // a derived document from its source as kept (events/projections/derived.ts)
      const derivable = keys.filter((key) => derivedFrom(key) !== undefined && pending.has(derivedFrom(key) ?? ''));
      if (derivable.length > 0) {
        const found = await store.getMany<T>(keys.filter((key) => !derivable.includes(key)), gen);
        for (const key of derivable) {
          const source = pending.get(derivedFrom(key) ?? '');
          const value = derive(key, source?.value);
          if (source && value !== undefined) found.set(key, { key, value: value as T, rev: source.rev });
        }
        return found;
      }
      // collections are written straight to the store (writeItems)
      const found = await readModels.getMany<T>(keys.filter((key) => isCollectionKey(key) || (!pending.has(key) && flushed.has(derivedFrom(key) ?? key))), gen);
      for (const key of keys) if (pending.has(key)) found.set(key, pending.get(key) as StoredDocument<T>);
      return found;
    },
    put: async (write, gen) => {
      if (gen !== generation || (flushed.has(write.key) && !pending.has(write.key))) return readModels.put(write, gen);
      if (write.rev !== (pending.get(write.key)?.rev ?? 0)) throw new StaleDocumentError(`document ${write.key} changed since revision ${write.rev}`);
      pending.set(write.key, { key: write.key, value: write.value, rev: write.rev + 1 });
    },
  };
  return {
    store,
    /** Writes what is kept, `size` documents at a time. */
    flush: async (onWritten: (written: number, total: number) => void = () => undefined, size = 500): Promise<void> => {
      const documents = [...pending.values()];
      for (let i = 0; i < documents.length; i += size) {
        await readModels.putFresh(documents.slice(i, i + size).map(({ key, value }) => ({ key, value })), generation);
        onWritten(Math.min(i + size, documents.length), documents.length);
      }
      // stored at revision 1 each (putFresh): from now on they are read from the store; a document
      // kept again while these were written (the rebuild writes several streams at once) stays kept
      for (const doc of documents) {
        flushed.add(doc.key);
        if (pending.get(doc.key) === doc) pending.delete(doc.key);
      }
    },
    /** Documents kept and not yet written. */
    size: () => pending.size,
  };
};
