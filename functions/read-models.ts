import { digestIdOf, type DigestContent, type DigestPeriod } from '../events/digest/compose';
import { NotFoundError } from '../events/errors';
import { parseInstant } from '../events/instant';
import { FEED_PAGE_SIZE } from '../events/feeds/feed-document';
import {
  actorKey,
  digestKey,
  STORIES_KEY,
  type ActorDevelopment,
  type ActorModel,
  type DigestModel,
  type StoriesModel,
  type StorySummary,
} from '../events/projections';
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

/**
 * The reads the pages and feeds are made from (functions/render/pages/*, functions/handlers/feeds.ts).
 * Each is one document of the store as the projection defines it: a collection (the list of stories,
 * an actor, a feed: events/projections/collections.ts) assembled from its items with a Query, a
 * timeline joined from its chunks, a story's actors derived from its timeline. Undefined when the
 * projector has not written it (yet).
 */
export const readStoryList = async (store: ReadModelStore): Promise<StorySummary[]> => (await store.get<StoriesModel>(STORIES_KEY))?.value.stories ?? [];

export const readActor = async (store: ReadModelStore, actorId: string): Promise<ActorModel | undefined> => (await store.get<ActorModel>(actorKey(actorId)))?.value;

/** An actor's most recent developments, across stories, latest occurred first. */
export const recentActorDevelopments = (actor: ActorModel, limit = FEED_PAGE_SIZE): ActorDevelopment[] => actor.developments.slice(-limit).reverse();
