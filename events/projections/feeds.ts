import { isDevelopment, type RecordedEvent } from '../catalog/events';
import type { FeedDocument } from '../feeds/feed-document';
import { actorRefs } from '../catalog/actor-refs';
import { storyIdOf } from '../streams';
import { everActors, everTopics } from './entry';
import { compareFeedEntries, correctionItem, developmentItem, digestItem, retractionItem, type FeedModelEntry } from './feed-entries';
import { actorFeedKey, ALL_FEED_KEY, digestFeedKey, parseFeedKey, storyFeedKey, topicFeedKey, type FeedRef } from './keys';
import { insertSorted, unique, upsertSorted } from './lists';
import { guarded, type Projection, type Versioned } from './projection';
import { affectedEntry, entryById, type TimelineModel } from './timeline';

/**
 * Feeds: the latest items of all stories, of a story, a topic, an actor, a digest period, as
 * FeedDocuments ready for the renderers. A development is one item; a correction updates that
 * item in place and is announced as its own item; a retraction marks it withdrawn and is
 * announced too. The announcements reach every feed the development ever appeared in, and the
 * feeds it belongs to now: readers who saw it learn of the change.
 */

/**
 * A feed document keeps only its newest MAX_FEED_ENTRIES items, so that it stays one bounded
 * document: older items drop out of it (they remain in the timeline and the event store).
 */
export const MAX_FEED_ENTRIES = 1000;

/** Before any item, a feed's `updated` is the epoch (a feed is only stored once it has items). */
export const EPOCH = '1970-01-01T00:00:00.000Z';

export interface FeedModel extends FeedDocument, Versioned {
  entries: FeedModelEntry[];
  /** For an actor's feed: which identification named it (the earliest recorded, so the name does not depend on delivery order). */
  titleFrom?: string;
  /** A story feed: when the story's title or summary was last revised (its Last-Modified moves with it). */
  retitledAt?: string;
}

const describe = (feed: FeedRef): Pick<FeedDocument, 'title' | 'description'> => {
  switch (feed.kind) {
    case 'all':
      return { title: 'Storyline: all stories', description: 'Every development of every story on Storyline.' };
    case 'story':
      return { title: feed.storyId, description: `Developments of the story ${feed.storyId}.` };
    case 'topic':
      return { title: `Storyline: ${feed.topic}`, description: `Developments about ${feed.topic}.` };
    case 'actor':
      return { title: `Storyline: ${feed.actorId}`, description: `Developments involving ${feed.actorId}.` };
    case 'digest':
      return { title: `Storyline ${feed.period} digest`, description: `The ${feed.period} digest of Storyline.` };
    default: {
      const unreachable: never = feed;
      return unreachable;
    }
  }
};

export const initialFeed = (key: string): FeedModel => {
  const feed = parseFeedKey(key);
  if (!feed) throw new Error(`${key} is not a feed document key`);
  return { key: key.slice('feed/'.length), ...describe(feed), updated: EPOCH, entries: [], applied: {} };
};

/** `fresh`: the items are new (a development or digest just recorded), so no older copy is looked for. */
const withItems = (model: FeedModel, items: FeedModelEntry[], fresh = false): FeedModel => {
  const upserted = items.reduce(
    (list, item) => (fresh ? insertSorted(list, item, compareFeedEntries) : upsertSorted(list, item, (existing) => existing.id === item.id, compareFeedEntries)),
    model.entries,
  );
  const entries = upserted.length > MAX_FEED_ENTRIES ? upserted.slice(0, MAX_FEED_ENTRIES) : upserted;
  // `updated` only grows while no entry drops out, so the full scan is needed only then
  const newest = (list: readonly FeedModelEntry[], from: string) => list.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), from);
  const updated = entries === upserted ? newest(items, model.updated) : newest(entries, EPOCH);
  return { ...model, entries, updated };
};

/** Titles that come from the story: the story's own title, an actor's name. */
const retitle = (model: FeedModel, story: TimelineModel | undefined): FeedModel => {
  const feed = parseFeedKey(`feed/${model.key}`);
  if (!story?.opened || !feed) return model;
  if (feed.kind === 'story') return { ...model, title: story.title, description: story.summary, ...(story.revisedAt !== undefined ? { retitledAt: story.revisedAt } : {}) };
  if (feed.kind !== 'actor') return model;
  const actor = story.actors.find((a) => a.actorId === feed.actorId);
  if (!actor) return model;
  const from = `${actor.recordedAt}|${story.storyId}`;
  if (model.titleFrom !== undefined && model.titleFrom <= from) return model;
  return { ...model, title: `Storyline: ${actor.name}`, description: `Developments involving ${actor.name}.`, titleFrom: from };
};

/**
 * Whether an event renames the story's feed: a revision of the story's title or summary (the feed's
 * title and description). The projector writes the story feed's title for it (collections.ts).
 */
export const retitlesStory = (event: RecordedEvent): boolean => event.type === 'StoryRevised' && (event.data.title !== undefined || event.data.summary !== undefined);

const apply = (model: FeedModel, event: RecordedEvent, story: TimelineModel | undefined): FeedModel => {
  if (event.type === 'DigestPublished') return withItems(model, [digestItem(event)], true);
  // `story` is the story before the revision: the feed takes its title from the story after it
  if (event.type === 'StoryRevised') return story ? retitle(model, { ...story, ...event.data, revisedAt: event.recordedAt }) : model;
  const storyId = storyIdOf(event.streamId);
  const entry = affectedEntry(story, event);
  if (storyId === undefined || !entry) return model;
  const items = [developmentItem(storyId, entry)];
  if (event.type === 'DevelopmentCorrected') {
    const correction = entry.corrections.find((c) => c.eventId === event.id);
    if (correction) items.push(correctionItem(storyId, entry, correction));
  }
  if (event.type === 'DevelopmentRetracted' && entry.retracted) items.push(retractionItem(storyId, entry, entry.retracted));
  return retitle(withItems(model, items, entry.id === event.id), story);
};

const feedKeysOf = (event: RecordedEvent, story: TimelineModel | undefined): string[] => {
  if (event.type === 'DigestPublished') return [digestFeedKey(event.data.period)];
  const storyId = storyIdOf(event.streamId);
  if (storyId === undefined) return [];
  let topics: string[];
  let actors: string[];
  if (isDevelopment(event)) {
    topics = event.data.topics;
    actors = actorRefs(event);
  } else if (event.type === 'DevelopmentCorrected' || event.type === 'DevelopmentRetracted') {
    const target = story ? entryById(story, event.data.eventId) : undefined;
    topics = [...(target ? everTopics(target) : []), ...(event.type === 'DevelopmentCorrected' ? (event.data.changes.topics ?? []) : [])];
    actors = [...(target ? everActors(target) : []), ...actorRefs(event)];
  } else if (retitlesStory(event)) {
    // a revision is no item, but renames the story's feed once it has one (a feed exists from its first development)
    return story && story.entries.length > 0 ? [storyFeedKey(storyId)] : [];
  } else {
    // StoryOpened, ActorIdentified and a revision of the topics alone are not feed items
    return [];
  }
  return unique([ALL_FEED_KEY, storyFeedKey(storyId), ...topics.map(topicFeedKey), ...actors.map(actorFeedKey)]);
};

export const feedsProjection: Projection<FeedModel> = {
  name: 'feeds',
  keysOf: feedKeysOf,
  initial: initialFeed,
  evolve: guarded(apply),
};
