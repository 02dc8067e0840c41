import { FEED_FORMATS } from '../feed-publication';
import { feedOfDocument, feedPath } from '../links';
import { logger } from '../logger';
import type { PingSender } from './ping-queue';

/** The public URLs of a feed's current page, in every format: what a hub is told changed. */
export const feedUrls = (feedKey: string, publicBaseUrl: string): string[] => FEED_FORMATS.map((format) => `${publicBaseUrl}${feedPath(feedOfDocument({ key: feedKey.slice('feed/'.length) }), format)}`);

/**
 * Called when a feed's current page changed: queues one ping per hub and feed URL. Only a queue
 * write: hubs are called by the pinger, off the projection path. A failed queue write is logged, not
 * thrown, so that no hub and no queue can hold projection back.
 */
export const feedChangeNotifier =
  (queue: PingSender, hubs: readonly string[], publicBaseUrl: string) =>
  async (feedKey: string): Promise<void> => {
    if (hubs.length === 0) return;
    const urls = feedUrls(feedKey, publicBaseUrl);
    try {
      await queue.send(hubs.flatMap((hub) => urls.map((url) => ({ hub, url }))));
    } catch (error) {
      logger.error('websub ping not queued', { feedKey, error: error instanceof Error ? error.message : String(error) });
    }
  };
