import {
  actorKey,
  agreementsKey,
  digestFeedKey,
  digestKey,
  STORIES_KEY,
  storyActorsKey,
  storyList,
  timelineKey,
  topicFeedKey,
  visitsKey,
  type ActorModel,
  type ActorProfile,
  type AgreementsModel,
  type DigestModel,
  type FeedModel,
  type FeedModelEntry,
  type StoriesModel,
  type StoryActorsModel,
  type StorySummary,
  type TimelineModel,
  type VisitsModel,
} from '../events/projections';
import type { ReadModelStore } from './adapters/read-model-store';
import { developmentAt, type DevelopmentSources } from './render/pages/permalink';
import type { StorySources } from './render/pages/story';
import { archivePageCount, storyPageSpan, type StoryPosition } from './render/pages/story-pagination';

/**
 * What each page for people shows, read from the read models when the page is asked for: the one
 * place the pages read from (functions/page-reader.ts renders them). Every read is bounded by what
 * a page shows: a story's page holds one page of its developments, a list its latest `limit` items.
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
  /** A development of a story by its event id, with its neighbours in the timeline; `version` and `updatedAt`: the story's, as last changed. */
  development(storyId: string, eventId: string): Promise<(DevelopmentSources & { version: number; updatedAt: string }) | undefined>;
  /** The `limit` most recently updated stories. */
  latestStories(limit: number): Promise<StorySummary[]>;
  /** The summaries of these stories (those that exist). */
  storySummaries(storyIds: readonly string[]): Promise<Map<string, StorySummary>>;
  /** An actor with its `limit` latest developments (by when they occurred), newest first. */
  actor(actorId: string, limit: number): Promise<ActorPageSources | undefined>;
  /** The `limit` newest developments of a topic; undefined for a topic nothing was ever about. */
  topicItems(topic: string, limit: number): Promise<FeedItems | undefined>;
  /** The `limit` newest digests of a period; undefined before the first. */
  digestItems(period: string, limit: number): Promise<FeedItems | undefined>;
  /** One published digest. */
  digest(period: string, digestId: string): Promise<DigestModel | undefined>;
}

/** The story a timeline document tells, with only the entries from `start` to `end`. */
const withEntries = (timeline: TimelineModel, start: number, end: number): TimelineModel => ({ ...timeline, entries: timeline.entries.slice(start, end) });

const latestItems = (feed: FeedModel | undefined, limit: number, kind: FeedModelEntry['kind']): FeedItems | undefined =>
  feed && { entries: feed.entries.filter((e) => e.kind === kind).slice(0, limit), updated: feed.updated };

export const createPageSources = (readModels: ReadModelStore): PageSources => {
  const value = async <T>(key: string): Promise<T | undefined> => (await readModels.get<T>(key))?.value;

  const storyPage: PageSources['storyPage'] = async (storyId, page) => {
    // the panels (visits, agreements, actors) are on the latest page only
    const keys = [timelineKey(storyId), ...(page === 0 ? [visitsKey(storyId), agreementsKey(storyId), storyActorsKey(storyId)] : [])];
    const docs = await readModels.getMany<unknown>(keys);
    const timeline = docs.get(timelineKey(storyId))?.value as TimelineModel | undefined;
    if (!timeline) return undefined;
    const total = timeline.entries.length;
    const span = storyPageSpan(total, page);
    if (!span) return undefined;
    const visits = docs.get(visitsKey(storyId))?.value as VisitsModel | undefined;
    const agreements = docs.get(agreementsKey(storyId))?.value as AgreementsModel | undefined;
    const actors = docs.get(storyActorsKey(storyId))?.value as StoryActorsModel | undefined;
    return {
      timeline: withEntries(timeline, span.start, span.end),
      position: { page, archivePages: archivePageCount(total), total, first: span.start },
      ...(visits ? { visits } : {}),
      ...(agreements ? { agreements } : {}),
      ...(actors ? { actors } : {}),
    };
  };

  const development: PageSources['development'] = async (storyId, eventId) => {
    const docs = await readModels.getMany<unknown>([timelineKey(storyId), visitsKey(storyId)]);
    const timeline = docs.get(timelineKey(storyId))?.value as TimelineModel | undefined;
    const index = timeline?.entries.findIndex((entry) => entry.id === eventId) ?? -1;
    if (!timeline || index < 0) return undefined;
    const visit = (docs.get(visitsKey(storyId))?.value as VisitsModel | undefined)?.visits.find((v) => v.eventIds.includes(eventId));
    return { ...developmentAt(timeline, index, visit), version: timeline.version, updatedAt: timeline.updatedAt };
  };

  const stories = async (): Promise<StorySummary[]> => {
    const model = await value<StoriesModel>(STORIES_KEY);
    return model ? storyList(model) : [];
  };

  const storySummaries: PageSources['storySummaries'] = async (storyIds) => {
    const wanted = new Set(storyIds);
    return new Map((await stories()).filter((s) => wanted.has(s.storyId)).map((s) => [s.storyId, s]));
  };

  const actor: PageSources['actor'] = async (actorId, limit) => {
    const model = await value<ActorModel>(actorKey(actorId));
    if (!model) return undefined;
    const { actorId: id, name, aliases, kind, role, country, developments, identifications } = model;
    return {
      actorId: id,
      name,
      aliases,
      ...(kind ? { kind } : {}),
      ...(role ? { role } : {}),
      ...(country ? { country } : {}),
      developments: developments.slice(-limit).reverse(),
      identifiedAt: identifications.map((i) => i.recordedAt),
    };
  };

  return {
    storyPage,
    development,
    latestStories: async (limit) => (await stories()).slice(0, limit),
    storySummaries,
    actor,
    topicItems: async (topic, limit) => latestItems(await value<FeedModel>(topicFeedKey(topic)), limit, 'development'),
    digestItems: async (period, limit) => latestItems(await value<FeedModel>(digestFeedKey(period)), limit, 'digest'),
    digest: async (period, digestId) => {
      const model = await value<DigestModel>(digestKey(period, digestId));
      return model?.eventId ? model : undefined;
    },
  };
};
