import { parseFeedKey, type FeedModel } from '../../events/projections';
import { StaleDocumentError, type ReadModelStore, type StoredDocument } from '../adapters/read-model-store';
import { renderCurrent, renderedKey, type RenderedFeed } from '../feed-publication';
import { logger } from '../logger';
import type { Publisher } from './publication';

/** Writes of a rendering that may meet another projector's before giving up. */
const ATTEMPTS = 20;

/** Another projector kept replacing a feed's rendering with one older than ours: the batch fails, to be retried (or dead-lettered). */
export class FeedNotPublishedError extends Error {
  override readonly name = 'FeedNotPublishedError';
  constructor(
    readonly feedKey: string,
    readonly feedRev: number,
  ) {
    super(`feed ${feedKey}: revision ${feedRev} not published, its rendering was replaced at each of ${ATTEMPTS} attempts`);
  }
}

/**
 * WebSub at least once: the hub ping is queued before the changed rendering is stored. A crash in
 * between leaves the rendering behind the feed, so the redelivered batch renders and queues again (a
 * duplicate ping is harmless: the hub fetches the feed once more); a ping can no longer be lost to a
 * rendering already current. A failed queue write throws, failing the batch item so that it is retried.
 */
const queuePingBeforeStoring = async (onFeedChanged: FeedHooks['onFeedChanged'], feedKey: string): Promise<void> => {
  await onFeedChanged?.(feedKey);
};

/**
 * Stores a feed's current page rendered from revision `feedRev` of the feed, unless a rendering of
 * that revision or a later one is already stored. This is the one place where a feed's current
 * page changes.
 */
const publishCurrentPage = async (
  readModels: ReadModelStore,
  generation: number,
  feed: StoredDocument<unknown>,
  known: StoredDocument<RenderedFeed> | undefined,
  now: Date,
  onFeedChanged: FeedHooks['onFeedChanged'],
): Promise<void> => {
  const key = renderedKey(feed.key);
  const rendered = renderCurrent(feed.value as FeedModel, feed.rev, now);
  let stored = known;
  if (stored && stored.value.feedRev >= feed.rev) return;
  await queuePingBeforeStoring(onFeedChanged, feed.key);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) stored = await readModels.get<RenderedFeed>(key, generation);
    if (stored && stored.value.feedRev >= feed.rev) return;
    try {
      await readModels.put({ key, value: rendered, rev: stored?.rev ?? 0 }, generation);
      return;
    } catch (error) {
      if (!(error instanceof StaleDocumentError)) throw error;
    }
  }
  logger.error('feed publication gave up: its rendering stayed stale', { feedKey: feed.key, feedRev: feed.rev, attempts: ATTEMPTS });
  throw new FeedNotPublishedError(feed.key, feed.rev);
};

/**
 * Feeds are rendered when the projector changes them and stored ready to serve (functions/feed-publication.ts
 * renders them). A crash between a feed's write and its rendering leaves the rendering behind the
 * feed, and the redelivered events change nothing in the feed itself: the redelivery renders it.
 */
export interface FeedHooks {
  /** A feed's current page is about to be stored changed: hub pings are queued here (functions/websub/), before the store. */
  onFeedChanged?: (feedKey: string) => Promise<void>;
}

export const feedPublisher = (readModels: ReadModelStore, now: () => Date, { onFeedChanged }: FeedHooks = {}): Publisher => ({
  forBatch: async (keys, generation) => {
    const feeds = keys.filter((key) => parseFeedKey(key) !== undefined);
    const renderings = feeds.length === 0 ? new Map<string, StoredDocument<RenderedFeed>>() : await readModels.getMany<RenderedFeed>(feeds.map(renderedKey), generation);
    const renderingOf = (doc: StoredDocument<unknown>) => renderings.get(renderedKey(doc.key));
    return {
      changed: async (doc) => {
        if (parseFeedKey(doc.key)) await publishCurrentPage(readModels, generation, doc, renderingOf(doc), now(), onFeedChanged);
      },
      unchanged: async (doc) => {
        if (!doc || !parseFeedKey(doc.key) || (renderingOf(doc)?.value.feedRev ?? 0) >= doc.rev) return;
        await publishCurrentPage(readModels, generation, doc, renderingOf(doc), now(), onFeedChanged);
      },
    };
  },
});
