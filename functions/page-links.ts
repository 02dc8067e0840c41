import { PAGE_PATHS, type PageKind } from '../contracts/routes';
import type { FeedDocument, FeedEntry, FeedFormat } from '../events/feeds/feed-document';
import { parseFeedKey, type FeedRef } from '../events/projections/keys';

/**
 * Paths of the pages for people, built from the one route declaration (contracts/routes.ts):
 * what every page, and every feed's channel and item links, point at.
 */

/** A declared path with its `{parameters}` filled in, each encoded as a path segment. */
export const fillPath = (template: string, params: Record<string, string>): string =>
  // a lone surrogate has no UTF-8 form: it is dropped rather than failing the whole page or feed
  template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent((params[name] ?? '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')));

export const pagePath = (kind: PageKind, params: Record<string, string> = {}): string => fillPath(PAGE_PATHS[kind], params);

export const storyPath = (storyId: string) => pagePath('story', { storyId });
export const developmentPath = (storyId: string, eventId: string) => pagePath('development', { storyId, eventId });
export const actorPath = (actorId: string) => pagePath('actor', { actorId });
export const topicPath = (topic: string) => pagePath('topic', { topic });
export const digestsPath = (period: string) => pagePath('digests', { period });
export const digestPath = (period: string, digestId: string) => pagePath('digest', { period, windowEnd: digestId });

/** The page about a feed's subject: its channel link. */
export const feedPagePath = (feed: FeedRef): string => {
  switch (feed.kind) {
    case 'all':
      return pagePath('home');
    case 'story':
      return storyPath(feed.storyId);
    case 'topic':
      return topicPath(feed.topic);
    case 'actor':
      return actorPath(feed.actorId);
    case 'digest':
      return digestsPath(feed.period);
    default: {
      const unreachable: never = feed;
      return unreachable;
    }
  }
};

/** Where a feed of this subject is served, in a format (the declared feed routes append `/feed.<format>`). */
export const feedPath = (feed: FeedRef, format: FeedFormat): string => {
  const home = feedPagePath(feed);
  return `${feed.kind === 'all' ? '' : home}/feed.${format}`;
};

/** The channel link of a feed document: its subject's page (the document's own `homePath` if its key names no feed). */
export const channelPath = (feed: Pick<FeedDocument, 'key' | 'homePath'>): string => {
  const ref = parseFeedKey(`feed/${feed.key}`);
  return ref ? feedPagePath(ref) : feed.homePath;
};

/** The link of a feed item: the development's permalink page (a correction or retraction links to what it concerns), or the digest's page. */
export const itemPath = (entry: Pick<FeedEntry, 'kind' | 'storyId' | 'id' | 'concerns' | 'path'>): string =>
  entry.kind === 'digest' || entry.storyId === '' ? entry.path : developmentPath(entry.storyId, entry.concerns ?? entry.id);
