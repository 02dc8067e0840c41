/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). Older items are reached through
 * `next_url` (our previous archive page). Storyline-specific facts sit in `_storyline`.
 */
import type { FeedLinks, LinkedFeed } from './linked-feed';
import { entryHtml, entrySummary, entryText } from './entry-html';
import { FEED_AUTHOR, feedUpdated, resolveEntry, resolveLinks, uuidUrn } from './feed-meta';
import { cleanLabel, cleanText, clampDate, rfc3339 } from './text';

const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

export interface JsonFeedAuthor {
  name: string;
}

export interface JsonFeedItem {
  id: string;
  url?: string;
  title: string;
  content_html: string;
  content_text: string;
  summary: string;
  date_published: string;
  date_modified: string;
  tags?: string[];
  authors: JsonFeedAuthor[];
  _storyline: {
    kind: string;
    event_type: string;
    story_id: string;
    /** The id (as in `id`) of the item a correction or retraction concerns. */
    concerns?: string;
    withdrawn?: { reason: string; at: string };
    corrections?: { id: string; note: string; at: string }[];
  };
}

export interface JsonFeed {
  version: typeof JSON_FEED_VERSION;
  title: string;
  description?: string;
  home_page_url?: string;
  feed_url?: string;
  next_url?: string;
  authors: JsonFeedAuthor[];
  _storyline: { updated: string; archive: boolean; current?: string; next_archive?: string };
  items: JsonFeedItem[];
}

const authors: JsonFeedAuthor[] = [{ name: FEED_AUTHOR }];

function buildJsonFeed(feed: LinkedFeed, links: FeedLinks, now: Date): JsonFeed {
  const resolved = resolveLinks(feed, links);
  const entries = feed.entries.map((entry) => resolveEntry(entry, links.baseUrl, now));
  const description = cleanLabel(feed.description);

  const items = entries.map((e): JsonFeedItem => {
    const { entry } = e;
    const item: JsonFeedItem = {
      id: e.id,
      ...(e.link === undefined ? {} : { url: e.link }),
      title: e.title,
      content_html: entryHtml(entry),
      content_text: entryText(entry),
      summary: entrySummary(entry),
      date_published: rfc3339(e.published),
      date_modified: rfc3339(e.updated),
      ...(e.categories.length === 0 ? {} : { tags: e.categories }),
      authors,
      _storyline: {
        kind: entry.kind,
        event_type: cleanLabel(entry.eventType),
        story_id: cleanLabel(entry.storyId),
      },
    };
    if (entry.concerns !== undefined) item._storyline.concerns = uuidUrn(entry.concerns);
    if (entry.withdrawn !== undefined) {
      item._storyline.withdrawn = { reason: cleanText(entry.withdrawn.reason), at: rfc3339(clampDate(entry.withdrawn.at, now, e.updated)) };
    }
    if (entry.corrections.length > 0) {
      item._storyline.corrections = entry.corrections.map((c) => ({
        id: uuidUrn(c.eventId),
        note: cleanText(c.note),
        at: rfc3339(clampDate(c.at, now, e.updated)),
      }));
    }
    return item;
  });

  return {
    version: JSON_FEED_VERSION,
    title: cleanLabel(feed.title),
    ...(description === '' ? {} : { description }),
    ...(resolved.home === undefined ? {} : { home_page_url: resolved.home }),
    ...(resolved.self === undefined ? {} : { feed_url: resolved.self }),
    ...(resolved.prevArchive === undefined ? {} : { next_url: resolved.prevArchive }),
    authors,
    _storyline: {
      updated: rfc3339(feedUpdated(feed, entries, now)),
      archive: resolved.archive,
      ...(resolved.current === undefined ? {} : { current: resolved.current }),
      ...(resolved.nextArchive === undefined ? {} : { next_archive: resolved.nextArchive }),
    },
    items,
  };
}

export function renderJsonFeed(feed: LinkedFeed, links: FeedLinks, now: Date): string {
  return JSON.stringify(buildJsonFeed(feed, links, now));
}
