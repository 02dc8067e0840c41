import { StaleDocumentError, type ReadModelStore, type StoredDocument } from '../adapters/read-model-store';

/** Writes of one document that may meet another projector's (another shard's) before giving up. */
const ATTEMPTS = 21;

export interface GuardedWrite {
  /** The document as stored after the write (or as found, when the change left it as it was). */
  stored: StoredDocument<unknown>;
  /** Whether this write stored it. */
  written: boolean;
  /** Whether another projector wrote the document between our read and our write. */
  raced: boolean;
}

/**
 * Stores `change` of a document on the revision it was read at, once `after` (writes that must be
 * stored first) succeeded. When another projector wrote it in
 * between, reads it again and re-applies the change: the documents' version guards skip what the
 * other one already applied. Nothing is written when the change leaves the document as it was.
 */
export const writeGuarded = async (
  readModels: ReadModelStore,
  generation: number,
  key: string,
  known: StoredDocument<unknown> | undefined,
  change: (value: unknown) => unknown,
  after?: Promise<unknown>,
): Promise<GuardedWrite> => {
  let stored = known;
  for (let attempt = 1; ; attempt++) {
    const value = change(stored?.value);
    const raced = attempt > 1;
    if (stored && value === stored.value) return { stored, written: false, raced };
    const rev = stored?.rev ?? 0;
    try {
      await readModels.put({ key, value, rev, previous: stored, ...(after ? { after } : {}) }, generation);
      return { stored: { key, value, rev: rev + 1 }, written: true, raced };
    } catch (error) {
      if (!(error instanceof StaleDocumentError) || attempt >= ATTEMPTS) throw error;
      stored = await readModels.get(key, generation);
    }
  }
};
