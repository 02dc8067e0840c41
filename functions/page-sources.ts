import {
  actorFeedKey,
  actorKey,
  agreementsKey,
  digestFeedKey,
  digestKey,
  STORIES_KEY,
  timelineKey,
  topicFeedKey,
  visitsKey,
  type ActorDevelopment,
  type ActorProfile,
  type AgreementsModel,
  type DigestModel,
  type FeedModel,
  type FeedModelEntry,
  type StoriesModel,
  type StorySummary,
  type VisitsModel,
} from '../events/projections';
import { storyActorsOf } from '../events/projections/derived';
import { MAX_FEED_ENTRIES } from '../events/projections/feeds';
import type { BoundedReads, ReadModelStore } from './adapters/read-model-store';
import { inParallel } from './projection/worker-pool';
import type { DevelopmentSources } from './render/pages/permalink';
import type { StorySources } from './render/pages/story';
import type { StoryPosition } from './render/pages/story-pagination';
import { readDevelopment, readStoryPage } from './timeline-reads';

/**
 * What each page for people shows, read from the read models when the page is asked for: the one
 * place the pages read from (functions/page-reader.ts renders them). Every read is bounded by what
 * a page shows: a story's page reads its timeline's head and the chunks that hold that page's
 * developments (./timeline-reads.ts), a development's page finds its chunk by its version (one item
 * per development names it), a feed's list is a Query of its newest items, and so are the home page's
 * stories (the list of stories is kept by when each last changed) and an actor's latest developments
 * (its feed's), beside its profile (its identifications alone).
 */

/** A page of a story: the story with the developments that page shows as its entries, and where the page sits. */
export type StoryPageSources = StorySources & { position: StoryPosition };

/** An actor's profile with its latest developments, newest first; `identifiedAt`: when each identification of it was recorded. */
export type ActorPageSources = ActorProfile & { identifiedAt: string[] };

/** The latest items of a feed (newest first), and when the feed last changed. */
export interface FeedItems {
  entries: FeedModelEntry[];
  updated: string;
}

export interface PageSources {
  /** Page `page` of a story (0: its latest developments, else an archive page); undefined when there is no such story or page. */
  storyPage(storyId: string, page: number): Promise<StoryPageSources | undefined>;
  /** A development of a story by its event id, with its neighbours in the story's pages; `version` and `updatedAt`: the story's, as last changed. */
  development(storyId: string, eventId: string): Promise<(DevelopmentSources & { version: number; updatedAt: string }) | undefined>;
  /** The `limit` most recently updated stories. */
  latestStories(limit: number): Promise<StorySummary[]>;
  /** The summaries of these stories (those that exist). */
  storySummaries(storyIds: readonly string[]): Promise<Map<string, StorySummary>>;
  /** An actor's profile with the `limit` developments that involve it reported last, newest first (its feed's: a bounded read however long its history). */
  actor(actorId: string, limit: number): Promise<ActorPageSources | undefined>;
  /** The `limit` newest developments of a topic; undefined for a topic nothing was ever about. */
  topicItems(topic: string, limit: number): Promise<FeedItems | undefined>;
  /** The `limit` newest digests of a period; undefined before the first. */
  digestItems(period: string, limit: number): Promise<FeedItems | undefined>;
  /** One published digest. */
  digest(period: string, digestId: string): Promise<DigestModel | undefined>;
}

/**
 * The `limit` newest items of a feed that `shown` keeps, read newest first: a Query of about `limit`
 * items, more only when items it leaves out (corrections, retractions) are among the newest.
 */
const newestShown = async (readModels: BoundedReads, key: string, shown: (entry: FeedModelEntry) => boolean, limit: number): Promise<FeedItems | undefined> => {
  for (let read = limit; ; read *= 2) {
    const feed = (await readModels.getNewest<FeedModel>(key, read))?.value;
    if (!feed) return undefined;
    const entries = feed.entries.filter(shown);
    if (entries.length >= limit || feed.entries.length < read || read >= MAX_FEED_ENTRIES) return { entries: entries.slice(0, limit), updated: feed.updated };
  }
};

/** A development as an actor's page lists it, from its item in the actor's feed. */
const developmentOfItem = (entry: FeedModelEntry): ActorDevelopment => ({
  storyId: entry.storyId,
  eventId: entry.id,
  version: entry.recorded.version,
  type: entry.eventType as ActorDevelopment['type'],
  headline: entry.title,
  occurred: entry.occurred ?? { start: entry.published.slice(0, 10), precision: 'day' },
  reportedAt: entry.published,
  retracted: entry.withdrawn !== undefined,
});

export const createPageSources = (readModels: ReadModelStore & BoundedReads): PageSources => {
  const value = async <T>(key: string): Promise<T | undefined> => (await readModels.get<T>(key))?.value;

  const storyPage: PageSources['storyPage'] = async (storyId, page) => {
    // the panels (visits, agreements, actors) are on the latest page only
    const [story, visits, agreements] = await Promise.all([
      readStoryPage(readModels, timelineKey(storyId), page),
      page === 0 ? value<VisitsModel>(visitsKey(storyId)) : undefined,
      page === 0 ? value<AgreementsModel>(agreementsKey(storyId)) : undefined,
    ]);
    if (!story) return undefined;
    // the actors panel shows who the story identified, which its head holds
    const actors = page === 0 ? storyActorsOf({ ...story.timeline, entries: [] }) : undefined;
    return { ...story, ...(visits ? { visits } : {}), ...(agreements ? { agreements } : {}), ...(actors ? { actors } : {}) };
  };

  const development: PageSources['development'] = async (storyId, eventId) => {
    const [found, visits] = await Promise.all([readDevelopment(readModels, timelineKey(storyId), eventId), value<VisitsModel>(visitsKey(storyId))]);
    if (!found) return undefined;
    const visit = visits?.visits.find((v) => v.eventIds.includes(eventId));
    return { ...found, ...(visit ? { visit } : {}), version: found.story.version, updatedAt: found.story.updatedAt };
  };

  // a story's summary is its timeline's head: each read alone, so that a list reads only the stories it names
  const storySummaries: PageSources['storySummaries'] = async (storyIds) => {
    const found = new Map<string, StorySummary>();
    await inParallel([...new Set(storyIds)], async (storyId) => {
      const head = await readModels.getTimelineHead(timelineKey(storyId));
      if (head) found.set(storyId, { storyId, title: head.story.title, summary: head.story.summary, topics: head.story.topics, version: head.story.version, updatedAt: head.story.updatedAt });
    });
    return found;
  };

  const actor: PageSources['actor'] = async (actorId, limit) => {
    // the developments that involve the actor now (its feed also announces those a correction took it out of)
    const involving = (e: FeedModelEntry) => e.kind === 'development' && e.actors.includes(actorId);
    const [model, items] = await Promise.all([readModels.getActorProfile(actorKey(actorId)), newestShown(readModels, actorFeedKey(actorId), involving, limit)]);
    if (!model) return undefined;
    const { actorId: id, name, aliases, kind, role, country, identifications } = model;
    return {
      actorId: id,
      name,
      aliases,
      ...(kind ? { kind } : {}),
      ...(role ? { role } : {}),
      ...(country ? { country } : {}),
      developments: (items?.entries ?? []).map(developmentOfItem),
      identifiedAt: identifications.map((i) => i.recordedAt),
    };
  };

  return {
    storyPage,
    development,
    latestStories: async (limit) => ((await readModels.getNewest<StoriesModel>(STORIES_KEY, limit))?.value.stories ?? []).slice(0, limit),
    storySummaries,
    actor,
    topicItems: (topic, limit) => newestShown(readModels, topicFeedKey(topic), (e) => e.kind === 'development', limit),
    digestItems: (period, limit) => newestShown(readModels, digestFeedKey(period), (e) => e.kind === 'digest', limit),
    digest: async (period, digestId) => {
      const model = await value<DigestModel>(digestKey(period, digestId));
      return model?.eventId ? model : undefined;
    },
  };
};
