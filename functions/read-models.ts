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
  type TimelineEntry,
  type TimelineModel,
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

export interface TimelinePage {
  /** The page's entries, in timeline order. */
  entries: TimelineEntry[];
  /** 0 is the latest `size` developments; 1, 2... the archives, page 1 the oldest. */
  page: number;
  archives: number;
  older?: number;
  newer?: number;
}

/**
 * One page of a story's timeline, paginated like its feeds (events/projections/queries.ts feedPage):
 * page 0 the latest `size` developments (in timeline order, which is by when they occurred), pages
 * 1, 2... full archives counted from the oldest, so a new development changes no archive (one that
 * occurred before others slots in where it belongs). Undefined for a page that does not exist.
 */
export const timelinePage = (timeline: TimelineModel, page = 0, size = FEED_PAGE_SIZE): TimelinePage | undefined => {
  const { entries } = timeline;
  const archives = Math.floor(entries.length / size);
  if (!Number.isInteger(page) || page < 0 || page > archives || !Number.isInteger(size) || size < 1) return undefined;
  const slice = page === 0 ? entries.slice(-size) : entries.slice((page - 1) * size, page * size);
  const older = page === 0 ? archives : page - 1;
  return { entries: slice, page, archives, ...(older > 0 ? { older } : {}), ...(page > 0 && page < archives ? { newer: page + 1 } : {}) };
};
