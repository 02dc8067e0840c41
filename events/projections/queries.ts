import { FEED_PAGE_SIZE, type FeedDocument, type FeedEntry } from '../feeds/feed-document';
import type { AgreementItem, AgreementsModel, AgreementStatus } from './agreements';
import { asOf } from './as-of';
import { EPOCH, type FeedModel } from './feeds';
import type { FeedModelEntry } from './feed-entries';
import type { Versioned } from './projection';
import type { StoriesModel, StorySummary } from './stories';
import type { TimelineModel } from './timeline';

/** Pure reads on the read models, for the HTTP API and the feed function. */

/** A document without the projector's bookkeeping (the versions it applied). */
export const publicView = <T extends Versioned>(doc: T): Omit<T, 'applied'> => {
  const { applied: _applied, ...rest } = doc;
  return rest;
};

/** A story's timeline as it is now, or as it was known at the instant `at` (ISO 8601); without its totals, which are the projector's. */
export const storyTimeline = (model: TimelineModel, at?: string): Omit<TimelineModel, 'applied' | 'totals'> => {
  const { totals: _totals, ...served } = publicView(at === undefined ? model : asOf(model, at));
  return served;
};

export const storyList = (model: StoriesModel): StorySummary[] => model.stories;

/** The agreements, pledges, interests and stalled negotiations of a story, each list in timeline order; retracted ones included and marked. */
export const agreementsByStatus = (model: AgreementsModel): Record<AgreementStatus, AgreementItem[]> => ({
  signed: model.items.filter((item) => item.status === 'signed'),
  pledged: model.items.filter((item) => item.status === 'pledged'),
  interest: model.items.filter((item) => item.status === 'interest'),
  stalled: model.items.filter((item) => item.status === 'stalled'),
});

const feedEntry = ({ recorded: _recorded, ...entry }: FeedModelEntry): FeedEntry => entry;

/** The feed as renderers take it, with the given entries (all by default). */
export const toFeedDocument = (model: FeedModel, entries: readonly FeedModelEntry[] = model.entries): FeedDocument => {
  const { applied: _applied, titleFrom: _titleFrom, retitledAt: _retitledAt, entries: _all, ...feed } = model;
  return { ...feed, entries: entries.map(feedEntry) };
};

export interface FeedPage {
  /** The page's entries only; `updated` is the newest of theirs. */
  document: FeedDocument;
  /** 0 is the feed itself (its newest entries); 1, 2... are its archives, page 1 the oldest. */
  page: number;
  /** How many archive pages the feed has. */
  archives: number;
  /** The next older archive (RFC 5005 prev-archive), when there is one. */
  older?: number;
  /** The next newer archive (RFC 5005 next-archive), for an archive that is not the newest. */
  newer?: number;
}

/**
 * One page of a feed, newest first. Page 0 is the feed itself: its newest `size` entries. Pages 1,
 * 2... are its RFC 5005 archives, counted from the OLDEST entry: page 1 holds the oldest `size`
 * entries, page 2 the next `size`..., and only full pages are archives (the newest entries, not yet
 * a full page, are on page 0). So a new item, the newest, changes no archive. An archive does change
 * when one of its items is corrected or retracted (the item is updated where it is), when an item
 * reported earlier than some of its own is added (it slots in by date), and once the feed holds
 * MAX_FEED_ENTRIES items, as the oldest drop out. Undefined for a page that does not exist (page 0
 * always exists, even for an empty feed).
 */
export const feedPage = (model: FeedModel, page = 0, size: number = FEED_PAGE_SIZE): FeedPage | undefined => {
  const archives = Math.floor(model.entries.length / size);
  if (!Number.isInteger(page) || page < 0 || page > archives || !Number.isInteger(size) || size < 1) return undefined;
  const end = model.entries.length - (page - 1) * size;
  const entries = page === 0 ? model.entries.slice(0, size) : model.entries.slice(end - size, end);
  const updated = page === 0 ? model.updated : entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), EPOCH);
  const older = page === 0 ? archives : page - 1;
  return {
    document: { ...toFeedDocument(model, entries), updated },
    page,
    archives,
    ...(older > 0 ? { older } : {}),
    ...(page > 0 && page < archives ? { newer: page + 1 } : {}),
  };
};
