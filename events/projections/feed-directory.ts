import { digestFeedKey, ALL_FEED_KEY, actorFeedKey, parseFeedKey, storyFeedKey, topicFeedKey, type FeedRef } from './keys';
import { everActors, everTopics } from './entry';
import { initialFeed } from './feeds';
import { compareStrings } from './lists';
import type { StoriesModel } from './stories';
import type { TimelineModel } from './timeline';

/**
 * Every feed Storyline serves, once each, grouped for a subscription list (OPML): all stories and
 * each story, each topic and each actor that has a development (the same rule that makes their
 * feeds, events/projections/feeds.ts), and each digest period that has published a digest.
 */

export interface DirectoryFeed {
  /** The feed document key (`feed/story/<id>`). */
  key: string;
  title: string;
  /** Which feed it is: its URLs are built from the route declaration (functions/links.ts). */
  feed: FeedRef;
}

export interface FeedDirectory {
  stories: DirectoryFeed[];
  topics: DirectoryFeed[];
  actors: DirectoryFeed[];
  digests: DirectoryFeed[];
}

const feed = (key: string, title?: string): DirectoryFeed => {
  const ref = parseFeedKey(key);
  if (!ref) throw new Error(`${key} names no feed`);
  return { key, title: title ?? initialFeed(key).title, feed: ref };
};

const byTitle = (a: DirectoryFeed, b: DirectoryFeed) => compareStrings(a.title.toLowerCase(), b.title.toLowerCase()) || compareStrings(a.key, b.key);

/** `timelines`: the stories' timelines (any order); `digestPeriods`: the periods whose digest feed exists. */
export const feedDirectory = (stories: StoriesModel | undefined, timelines: readonly TimelineModel[], digestPeriods: readonly string[]): FeedDirectory => {
  const topics = new Set<string>();
  const actorNames = new Map<string, string>();
  for (const timeline of timelines) {
    for (const entry of timeline.entries) {
      for (const topic of everTopics(entry)) topics.add(topic);
      for (const actorId of everActors(entry)) if (!actorNames.has(actorId)) actorNames.set(actorId, actorId);
    }
  }
  for (const timeline of timelines) for (const actor of timeline.actors) if (actorNames.get(actor.actorId) === actor.actorId) actorNames.set(actor.actorId, actor.name);
  const storyFeeds = (stories?.stories ?? []).filter((story) => story.title !== '').map((story) => feed(storyFeedKey(story.storyId), story.title));
  return {
    stories: storyFeeds.length === 0 ? [] : [feed(ALL_FEED_KEY), ...storyFeeds.sort(byTitle)],
    topics: [...topics].map((topic) => feed(topicFeedKey(topic))).sort(byTitle),
    actors: [...actorNames].map(([actorId, name]) => feed(actorFeedKey(actorId), `Storyline: ${name}`)).sort(byTitle),
    digests: [...digestPeriods].sort().map((period) => feed(digestFeedKey(period))),
  };
};
