/** One entry point for the feed handler: a LinkedFeed in any of the three formats. */
import type { FeedFormat } from '../../events/feeds/feed-document';
import type { FeedLinks, LinkedFeed } from './linked-feed';
import { renderAtom } from './atom';
import { renderJsonFeed } from './json-feed';
import { renderRss } from './rss';

export const contentTypes = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const satisfies Record<FeedFormat, string>;

export function renderFeed(format: FeedFormat, feed: LinkedFeed, links: FeedLinks, now: Date): string {
  switch (format) {
    case 'rss':
      return renderRss(feed, links, now);
    case 'atom':
      return renderAtom(feed, links, now);
    case 'json':
      return renderJsonFeed(feed, links, now);
    default: {
      const unknown: never = format;
      throw new Error(`unknown feed format: ${String(unknown)}`);
    }
  }
}

export { renderAtom, renderJsonFeed, renderRss };
