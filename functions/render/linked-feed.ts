import type { FeedDocument, FeedEntry } from '../../events/feeds/feed-document';

/**
 * A feed as the renderers take it: the domain's feed (ids and refs, no URL) with the paths of the
 * pages it links to, which functions/links.ts builds from the route declaration.
 */

/** An item with its page, relative to the base URL (e.g. `/stories/<id>/timeline#<eventId>`). */
export type LinkedEntry = FeedEntry & { path: string };

export interface LinkedFeed extends Omit<FeedDocument, 'entries'> {
  /** Path of an HTML page about the feed's subject (the alternate link). */
  homePath: string;
  entries: LinkedEntry[];
}

/** Links between the pages of a feed (RFC 5005 archives / JSON Feed next_url), as absolute URLs. */
export interface FeedLinks {
  baseUrl: string;
  /** The URL this document is served at (atom:link rel="self", JSON Feed feed_url). */
  self: string;
  /** The current (newest) page of the feed, in the same format. */
  current: string;
  /** The next older page, when there is one. */
  prevArchive?: string;
  /** The next newer archive page, when this is an archive page. */
  nextArchive?: string;
  /** True for archive pages (RFC 5005 fh:archive). */
  archive?: boolean;
}
