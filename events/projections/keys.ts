/**
 * Keys of the read-model documents. The projector stores each document under its key; the HTTP API
 * and the feed function read them by key. One place builds and parses them.
 */

export const timelineKey = (storyId: string): string => `story/${storyId}/timeline`;
export const visitsKey = (storyId: string): string => `story/${storyId}/visits`;
export const agreementsKey = (storyId: string): string => `story/${storyId}/agreements`;
export const storyActorsKey = (storyId: string): string => `story/${storyId}/actors`;
export const actorKey = (actorId: string): string => `actor/${actorId}`;
export const STORIES_KEY = 'stories';
/** A published digest, by its period and id (which the window end determines). */
export const digestKey = (period: string, digestId: string): string => `digest/${period}/${digestId}`;

/** The period and id of a `digest/<period>/<digestId>` key. */
export const parseDigestKey = (key: string): { period: string; digestId: string } | undefined => {
  const [prefix, period, digestId, ...rest] = key.split('/');
  return prefix === 'digest' && period && digestId && rest.length === 0 ? { period, digestId } : undefined;
};

/** A feed, as named by `FeedDocument.key` (the document key without its `feed/` prefix). */
export type FeedRef =
  | { kind: 'all' }
  | { kind: 'story'; storyId: string }
  | { kind: 'topic'; topic: string }
  | { kind: 'actor'; actorId: string }
  | { kind: 'digest'; period: string };

export const ALL_FEED_KEY = 'feed/all';
export const storyFeedKey = (storyId: string): string => `feed/story/${storyId}`;
export const topicFeedKey = (topic: string): string => `feed/topic/${topic}`;
export const actorFeedKey = (actorId: string): string => `feed/actor/${actorId}`;
export const digestFeedKey = (period: string): string => `feed/digest/${period}`;

export const feedKeyOf = (feed: FeedRef): string => {
  switch (feed.kind) {
    case 'all':
      return ALL_FEED_KEY;
    case 'story':
      return storyFeedKey(feed.storyId);
    case 'topic':
      return topicFeedKey(feed.topic);
    case 'actor':
      return actorFeedKey(feed.actorId);
    case 'digest':
      return digestFeedKey(feed.period);
    default: {
      const unreachable: never = feed;
      return unreachable;
    }
  }
};

/** The feed a document key names, or undefined when it names no feed. */
export const parseFeedKey = (key: string): FeedRef | undefined => {
  const [prefix, kind, id, ...rest] = key.split('/');
  if (prefix !== 'feed' || rest.length > 0) return undefined;
  if (kind === 'all' && id === undefined) return { kind: 'all' };
  if (id === undefined || id === '') return undefined;
  switch (kind) {
    case 'story':
      return { kind: 'story', storyId: id };
    case 'topic':
      return { kind: 'topic', topic: id };
    case 'actor':
      return { kind: 'actor', actorId: id };
    case 'digest':
      return { kind: 'digest', period: id };
    default:
      return undefined;
  }
};

/** The story id of a `story/<id>/<model>` key. */
export const storyIdOfKey = (key: string): string | undefined => {
  const [prefix, storyId, model, ...rest] = key.split('/');
  return prefix === 'story' && storyId && model && rest.length === 0 ? storyId : undefined;
};

/** The actor id of an `actor/<id>` key. */
export const actorIdOfKey = (key: string): string | undefined => {
  const [prefix, actorId, ...rest] = key.split('/');
  return prefix === 'actor' && actorId && rest.length === 0 ? actorId : undefined;
};
