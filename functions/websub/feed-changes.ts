import { FEED_FORMATS } from '../feed-publication';
import { feedOfKey, feedPath } from '../links';
import { errorMessage, logger } from '../logger';
import type { PingSender } from './ping-queue';

/** The public URLs of a feed's current page, in every format: what a hub is told changed. */
export const feedUrls = (feedKey: string, publicBaseUrl: string): string[] => FEED_FORMATS.map((format) => `${publicBaseUrl}${feedPath(feedOfKey(feedKey), format)}`);

/**
 * Called before a feed's changed current page is stored (functions/projection/feed-publisher.ts):
 * queues one ping per hub and feed URL. Only a queue write: hubs are called by the pinger, off the
 * projection path, so no hub can hold projection back. A failed queue write is logged and thrown: the
 * batch item fails and is retried, so the ping is queued at least once.
 */
export const feedChangeNotifier =
  (queue: PingSender, hubs: readonly string[], publicBaseUrl: string) =>
  async (feedKey: string): Promise<void> => {
    if (hubs.length === 0) return;
    const urls = feedUrls(feedKey, publicBaseUrl);
    try {
      await queue.send(hubs.flatMap((hub) => urls.map((url) => ({ hub, url }))));
    } catch (error) {
      logger.error('websub ping not queued: the batch is retried', { feedKey, error: errorMessage(error) });
      throw error;
    }
  };
