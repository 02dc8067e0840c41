import { NotFoundError } from '../events/errors';
import type { ReadModelStore } from './adapters/read-model-store';

/** A read-model document by key, or a NotFoundError naming what is missing. */
export const requireDocument = async <T>(store: ReadModelStore, key: string, what: string): Promise<T> => {
  const doc = await store.get<T>(key);
  if (!doc) throw new NotFoundError(`${what} does not exist (yet)`);
  return doc.value;
};
