import { inParallel } from './worker-pool';

/**
 * Feeds are rendered on read (functions/handlers/feeds.ts, behind its cache) from the items the
 * projector writes: nothing is stored rendered. What the projector publishes of a feed is that it
 * changed: hubs are told of each changed feed URL (one ping per URL, in every format;
 * functions/websub/feed-changes.ts queues them) BEFORE the batch writes the change, so that a crash
 * between the two leaves a redelivery that pings again, never a change no hub heard of.
 */
export interface FeedHooks {
  /** A feed's current page is about to change: hub pings are queued here (functions/websub/). */
  onFeedChanged?: (feedKey: string) => Promise<void>;
}

/** Step one of storing a batch: notify hubs of the changed feed URLs. Run it before the batch's writes. */
export const notifyHubsOfChangedFeeds = async (feedKeys: readonly string[], { onFeedChanged }: FeedHooks): Promise<void> => {
  if (!onFeedChanged) return;
  await inParallel([...new Set(feedKeys)], onFeedChanged);
};
