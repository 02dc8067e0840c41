import { FEED_PAGE_SIZE, type FeedDocument, type FeedEntry } from '../feeds/feed-document';
import type { ActorDevelopment, ActorModel } from './actors';
import type { AgreementItem, AgreementsModel, AgreementStatus } from './agreements';
import { asOf } from './as-of';
import { EPOCH, type FeedModel } from './feeds';
import type { FeedModelEntry } from './feed-entries';
import type { Versioned } from './projection';
import type { StoriesModel, StorySummary } from './stories';
import type { TimelineModel } from './timeline';
import type { Visit, VisitsModel } from './visits';

/** Pure reads on the read models, for the HTTP API and the feed function. */

/** A document without the projector's bookkeeping (the versions it applied). */
export const publicView = <T extends Versioned>(doc: T): Omit<T, 'applied'> => {
  const { applied: _applied, ...rest } = doc;
  return rest;
};

/** A story's timeline as it is now, or as it was known at the instant `at` (ISO 8601). */
export const storyTimeline = (model: TimelineModel, at?: string): Omit<TimelineModel, 'applied'> => publicView(at === undefined ? model : asOf(model, at));

export const storyList = (model: StoriesModel): StorySummary[] => model.stories;

export const visitById = (model: VisitsModel, visitId: string): Visit | undefined => model.visits.find((visit) => visit.visitId === visitId);

/** The agreements, pledges, interests and stalled negotiations of a story, each list in timeline order; retracted ones included and marked. */
export const agreementsByStatus = (model: AgreementsModel): Record<AgreementStatus, AgreementItem[]> => ({
  signed: model.items.filter((item) => item.status === 'signed'),
  pledged: model.items.filter((item) => item.status === 'pledged'),
  interest: model.items.filter((item) => item.status === 'interest'),
  stalled: model.items.filter((item) => item.status === 'stalled'),
});

/** An actor's developments, optionally in one story only. */
export const actorDevelopments = (model: ActorModel, storyId?: string): ActorDevelopment[] =>
  storyId === undefined ? model.developments : model.developments.filter((d) => d.storyId === storyId);

const feedEntry = ({ recorded: _recorded, ...entry }: FeedModelEntry): FeedEntry => entry;

/** The feed as renderers take it, with the given entries (all by default). */
export const toFeedDocument = (model: FeedModel, entries: readonly FeedModelEntry[] = model.entries): FeedDocument => {
  const { applied: _applied, titleFrom: _titleFrom, entries: _all, ...feed } = model;
  return { ...feed, entries: entries.map(feedEntry) };
};

export interface FeedPage {
  /** The page's entries only; `updated` is the newest of theirs. */
  document: FeedDocument;
  /** 0 is the newest page (the feed itself); 1, 2... are older pages (archives). */
  page: number;
  pageCount: number;
  /** The next older page, when there is one. */
  older?: number;
  /** The next newer page, for an archive page. */
  newer?: number;
}

/**
 * One page of a feed, newest first: page 0 holds the latest `size` entries, page n the n-th
 * older ones. Pages are counted from the newest, so an archive page's content shifts as new
 * entries arrive; readers recognise entries by id. Undefined for a page that does not exist
 * (page 0 always exists, even for an empty feed).
 */
export const feedPage = (model: FeedModel, page = 0, size: number = FEED_PAGE_SIZE): FeedPage | undefined => {
  const pageCount = Math.max(1, Math.ceil(model.entries.length / size));
  if (!Number.isInteger(page) || page < 0 || page >= pageCount || !Number.isInteger(size) || size < 1) return undefined;
  const entries = model.entries.slice(page * size, (page + 1) * size);
  const updated = page === 0 ? model.updated : entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), EPOCH);
  return {
    document: { ...toFeedDocument(model, entries), updated },
    page,
    pageCount,
    ...(page + 1 < pageCount ? { older: page + 1 } : {}),
    ...(page > 0 ? { newer: page - 1 } : {}),
  };
};
