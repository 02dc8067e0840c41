/**
 * Facts about a feed and its entries that every format shows the same way: identities,
 * links, clamped dates and titles.
 */
import type { FeedEntry } from '../../events/feeds/feed-document';
import type { FeedLinks, LinkedEntry, LinkedFeed } from './linked-feed';
import { entryTitle } from './entry-html';
import { cleanLabel, clampDate, joinUrl, laterOf, safeHttpUrl } from './text';

export const GENERATOR = 'Storyline';
export const FEED_AUTHOR = 'Storyline';
/** RSS `ttl`, in minutes: how long a reader may cache the channel. */
export const FEED_TTL_MINUTES = 15;

export const HISTORY_NAMESPACE = 'http://purl.org/syndication/history/1.0';
export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

/** An entry's id in every format: derived from its event id only. */
function entryId(entry: FeedEntry): string {
  return uuidUrn(entry.id);
}

/** An event id as a URN (RFC 9562 asks for lowercase). */
export function uuidUrn(eventId: string): string {
  return `urn:uuid:${eventId.toLowerCase()}`;
}

/**
 * A feed's Atom id: a tag URI (RFC 4151) from its key, stable across hosts, formats and
 * archive pages of the same logical feed.
 */
export function feedId(key: string): string {
  const specific = key.replace(/[^A-Za-z0-9\-._~/:]/g, (c) => encodeURIComponent(c).replace(/'/g, '%27'));
  return `tag:storyline,2026:feed/${specific}`;
}

export interface ResolvedLinks {
  self?: string;
  current?: string;
  prevArchive?: string;
  nextArchive?: string;
  home?: string;
  archive: boolean;
}

/** Every link as an absolute http(s) URL, or dropped. */
export function resolveLinks(feed: LinkedFeed, links: FeedLinks): ResolvedLinks {
  return {
    self: safeHttpUrl(links.self),
    current: safeHttpUrl(links.current),
    prevArchive: safeHttpUrl(links.prevArchive),
    nextArchive: safeHttpUrl(links.nextArchive),
    home: joinUrl(links.baseUrl, feed.homePath),
    archive: links.archive === true,
  };
}

export interface ResolvedEntry {
  entry: LinkedEntry;
  id: string;
  title: string;
  link?: string;
  published: Date;
  /** Never before `published`, never after `now`. */
  updated: Date;
  categories: string[];
}

export function resolveEntry(entry: LinkedEntry, baseUrl: string, now: Date): ResolvedEntry {
  const published = clampDate(entry.published, now);
  const updated = laterOf(clampDate(entry.updated, now, published), published);
  const categories: string[] = [];
  for (const topic of entry.topics) {
    const term = cleanLabel(topic);
    if (term !== '' && !categories.includes(term)) categories.push(term);
  }
  return { entry, id: entryId(entry), title: entryTitle(entry), link: joinUrl(baseUrl, entry.path), published, updated, categories };
}

/** When the feed last changed: its `updated`, else its newest entry, never after `now`. */
export function feedUpdated(feed: LinkedFeed, entries: ResolvedEntry[], now: Date): Date {
  let newest: Date | undefined;
  for (const e of entries) if (newest === undefined || e.updated.getTime() > newest.getTime()) newest = e.updated;
  const declared = clampDate(feed.updated, now, newest ?? now);
  return newest === undefined ? declared : laterOf(declared, newest);
}
