import { digestIdOf, type DigestContent, type DigestPeriod } from '../events/digest/compose';
import { NotFoundError } from '../events/errors';
import { parseInstant } from '../events/instant';
import { digestKey, type DigestModel } from '../events/projections';
import type { ReadModelStore } from './adapters/read-model-store';

/** A read-model document by key, or a NotFoundError naming what is missing. */
export const requireDocument = async <T>(store: ReadModelStore, key: string, what: string): Promise<T> => {
  const doc = await store.get<T>(key);
  if (!doc) throw new NotFoundError(`${what} does not exist (yet)`);
  return doc.value;
};

/** A published digest, named by the end of its window (an ISO 8601 instant) or by its id. */
export const requireDigest = async (store: ReadModelStore, period: string, windowEndOrId: string): Promise<{ digestId: string; eventId: string; content: DigestContent }> => {
  const windowEnd = parseInstant(windowEndOrId);
  const digestId = windowEnd ? digestIdOf(period as DigestPeriod, windowEnd) : windowEndOrId;
  const doc = await store.get<DigestModel>(digestKey(period, digestId));
  if (!doc?.value.eventId) throw new NotFoundError(`there is no ${period} digest ${windowEndOrId}`);
  return { digestId, eventId: doc.value.eventId, content: doc.value.content as DigestContent };
};
