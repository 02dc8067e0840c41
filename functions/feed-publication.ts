import { contentHash } from './content-hash';
import type { FeedFormat } from '../events/feeds/feed-document';
import type { FeedRef } from '../events/projections/keys';
import { feedPage, withDatedEntries, type FeedModel } from '../events/projections';
import { feedArchivePath, feedOfDocument, linkedFeed } from './links';
import { renderFeed } from './render';
import type { FeedLinks } from './render/linked-feed';

/**
 * Feeds are rendered on read from their read model (events/projections/collections.ts assembles it),
 * kept in the feed function's cache. Renderings carry a placeholder for the base URL, which the feed
 * function replaces with the request's; the placeholder reads the same in XML and in JSON.
 */
export const BASE_PLACEHOLDER = 'http://storyline-base.invalid';

export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

/**
 * How long a served feed may be kept by a cache (CloudFront, a reader): its `Cache-Control: max-age`.
 * The WebSub pinger relies on it too: this long after a change, no cache holds the copy from before.
 */
export const FEED_MAX_AGE_SECONDS = 60;

export interface RenderedFeed {
  lastModified: string;
  bodies: Record<FeedFormat, { body: string; hash: string }>;
}

/** Links between the pages of a feed. */
const pageLinks = (feed: FeedRef, format: FeedFormat, page: { page: number; older?: number; newer?: number }, base = BASE_PLACEHOLDER): FeedLinks => {
  const url = (n: number) => `${base}${feedArchivePath(feed, format, n)}`;
  return {
    baseUrl: base,
    self: url(page.page),
    current: url(0),
    ...(page.older !== undefined ? { prevArchive: url(page.older) } : {}),
    ...(page.newer !== undefined && page.page > 0 ? { nextArchive: url(page.newer) } : {}),
    ...(page.page > 0 ? { archive: true } : {}),
  };
};


/**
 * When a page of the feed last changed, for Last-Modified: its newest item's `updated`, or the latest
 * recording of any item of the feed when later (a development reported in 2012 but recorded today
 * changes the feed today, may slot into an archive, and a new archive adds a link to the one
 * before it), or the story's last revision of its title or summary, never after `now`.
 * `updated` alone (a reported time) would leave If-Modified-Since answered 304 after such a change.
 */
const changedAt = (model: FeedModel, updated: string, now: Date): string => {
  const latest = model.entries.reduce((at, entry) => Math.max(at, Date.parse(entry.recorded.at) || 0), Math.max(Date.parse(updated) || 0, Date.parse(model.retitledAt ?? '') || 0));
  return new Date(Math.min(latest, now.getTime())).toISOString();
};

/** One page of a feed, its dates computed once (see withDatedEntries), rendered in any format with the placeholder base. */
const datedPage = (model: FeedModel, pageNumber: number, now: Date) => {
  const page = feedPage(withDatedEntries(model, now.toISOString()), pageNumber);
  if (!page) return undefined;
  const lastModified = changedAt(model, page.document.updated, now);
  const document = linkedFeed(page.document);
  return (format: FeedFormat) => {
    const body = renderFeed(format, document, pageLinks(feedOfDocument(model), format, page), now);
    return { body, hash: contentHash(body), lastModified };
  };
};

/** Renders one page of a feed in one format, with the placeholder base. */
export const renderPage = (model: FeedModel, format: FeedFormat, pageNumber: number, now: Date): { body: string; hash: string; lastModified: string } | undefined =>
  datedPage(model, pageNumber, now)?.(format);

/** A feed's current page, its dates computed once, each format rendered on first use: what the feed function caches. */
export const currentPage = (model: FeedModel, now: Date): ((format: FeedFormat) => { body: string; hash: string; lastModified: string } | undefined) => {
  const page = datedPage(model, 0, now);
  // not a bounded cache: one entry per format of this one page, gone with the page
  const rendered = new Map<FeedFormat, { body: string; hash: string; lastModified: string }>();
  return (format) => {
    if (!page) return undefined;
    const known = rendered.get(format) ?? page(format);
    rendered.set(format, known);
    return known;
  };
};

/** The current page of a feed in every format: its dates computed once for all three. */
export const renderCurrent = (model: FeedModel, now: Date): RenderedFeed => {
  const bodies = {} as RenderedFeed['bodies'];
  const page = datedPage(model, 0, now);
  let lastModified = model.updated;
  for (const format of FEED_FORMATS) {
    const rendered = page?.(format);
    if (rendered) {
      bodies[format] = { body: rendered.body, hash: rendered.hash };
      lastModified = rendered.lastModified;
    }
  }
  return { lastModified, bodies };
};
