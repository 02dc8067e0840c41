import { createHash } from 'node:crypto';
import { EPOCH } from '../events/projections';
import { storyTitle } from '../events/story/title';
import type { BoundedReads, ReadModelStore } from './adapters/read-model-store';
import { createFeedCache, type FeedCache } from './feed-cache';
import { createPageSources, type PageSources } from './page-sources';
import { renderActorPage } from './render/pages/actor';
import { digestPageContent, renderDigestPage, renderDigestsPage } from './render/pages/digest';
import { renderHomePage } from './render/pages/home';
import { renderDevelopmentPage } from './render/pages/permalink';
import { renderStoryPage } from './render/pages/story';
import { renderTopicPage } from './render/pages/topic';

/**
 * The pages for people are rendered when they are read, from the read models (functions/page-sources.ts),
 * never stored: the projector writes nothing for them, so they never hold a read model back. Each
 * page is kept in memory like a feed (functions/feed-cache.ts): a busy page is read and rendered
 * about once a second per instance, by one read that concurrent requests share, and served from
 * memory while that read runs.
 */

/** A page, named by what it shows. */
export type PageRef =
  /** `editor`: the variant for a signed-in editor, with a link to the desk (never cached outside this function). */
  | { kind: 'home'; editor?: boolean }
  | { kind: 'story'; storyId: string; page: number }
  | { kind: 'development'; storyId: string; eventId: string }
  | { kind: 'actor'; actorId: string }
  | { kind: 'topic'; topic: string }
  | { kind: 'digests'; period: string }
  | { kind: 'digest'; period: string; digestId: string };

export interface RenderedPage {
  html: string;
  /** Strong validator of the HTML. */
  hash: string;
  /** When what the page shows last changed (ISO 8601). */
  lastModified: string;
}

/** How many items a list page shows (the home page's stories; an actor's, a topic's, a period's latest items). */
export const PAGE_LIST_LIMIT = 50;

export const pageHash = (html: string): string => createHash('sha256').update(html).digest('base64url').slice(0, 27);

/** The latest of some instants (ISO 8601, so they sort as strings); the epoch when there are none. */
const latest = (instants: Iterable<string | undefined>): string => {
  let found = EPOCH;
  for (const instant of instants) if (instant && instant > found) found = instant;
  return found;
};

const rendered = (html: string, lastModified: string): RenderedPage => ({ html, hash: pageHash(html), lastModified });

/** The titles of the stories some items belong to, and when the latest of those stories changed. */
const storiesOf = async (sources: PageSources, storyIds: Iterable<string>) => {
  const summaries = await sources.storySummaries([...new Set(storyIds)]);
  const titles = new Map([...summaries.values()].map((s) => [s.storyId, storyTitle(s)]));
  return { titles, changed: latest([...summaries.values()].map((s) => s.updatedAt)) };
};

/**
 * What a page shows, read, and how to render it; `tag`, when what was read says all the page shows:
 * a story's pages are a function of the story's version (every document they show changes with it).
 */
interface LoadedPage {
  tag?: string;
  render(): RenderedPage;
}

/** Reads what a page shows; undefined when there is nothing at that name. */
const loadPage = async (sources: PageSources, ref: PageRef): Promise<LoadedPage | undefined> => {
  switch (ref.kind) {
    case 'home': {
      const stories = await sources.latestStories(PAGE_LIST_LIMIT);
      return { render: () => rendered(renderHomePage(stories, { editor: ref.editor === true }), latest(stories.map((s) => s.updatedAt))) };
    }
    case 'story': {
      const story = await sources.storyPage(ref.storyId, ref.page);
      return story && { tag: String(story.timeline.version), render: () => rendered(renderStoryPage(story), latest([story.timeline.updatedAt])) };
    }
    case 'development': {
      const development = await sources.development(ref.storyId, ref.eventId);
      return development && { tag: String(development.version), render: () => rendered(renderDevelopmentPage(development), latest([development.updatedAt])) };
    }
    case 'actor': {
      const actor = await sources.actor(ref.actorId, PAGE_LIST_LIMIT);
      if (!actor) return undefined;
      const { titles, changed } = await storiesOf(sources, actor.developments.map((d) => d.storyId));
      return { render: () => rendered(renderActorPage(actor, titles), latest([changed, ...actor.identifiedAt])) };
    }
    case 'topic': {
      const items = await sources.topicItems(ref.topic, PAGE_LIST_LIMIT);
      if (!items) return undefined;
      const { titles, changed } = await storiesOf(sources, items.entries.map((e) => e.storyId));
      return { render: () => rendered(renderTopicPage(ref.topic, items.entries, titles), latest([changed, items.updated])) };
    }
    case 'digests': {
      const items = await sources.digestItems(ref.period, PAGE_LIST_LIMIT);
      return items && { render: () => rendered(renderDigestsPage(ref.period, items.entries), latest([items.updated])) };
    }
    case 'digest': {
      const digest = await sources.digest(ref.period, ref.digestId);
      if (!digest) return undefined;
      const fallback = { title: `The ${ref.period} digest of ${digest.publishedAt.slice(0, 10)}`, summary: '' };
      return { render: () => rendered(renderDigestPage(ref.period, digestPageContent(digest.content, fallback)), latest([digest.publishedAt])) };
    }
    default: {
      const unreachable: never = ref;
      return unreachable;
    }
  }
};

export interface PageReader {
  /** The page, from memory when fresh enough, else read and rendered once for every request that waits for it. */
  read(ref: PageRef): RenderedPage | undefined | Promise<RenderedPage | undefined>;
}

export const createPageReader = (sources: PageSources, options: { maxEntries?: number; now?: () => number } = {}): PageReader => {
  const maxEntries = options.maxEntries ?? 500;
  // a page refreshed from unchanged sources (its tag) is not rendered again: a busy story's page costs a read a second, not a render
  const byTag = new Map<string, { tag: string; page: RenderedPage }>();
  const read = async (key: string): Promise<RenderedPage | undefined> => {
    const loaded = await loadPage(sources, JSON.parse(key) as PageRef);
    const known = byTag.get(key);
    if (loaded?.tag !== undefined && known?.tag === loaded.tag) return known.page;
    byTag.delete(key);
    const page = loaded?.render();
    if (page && loaded?.tag !== undefined) {
      if (byTag.size >= maxEntries) byTag.delete(byTag.keys().next().value as string);
      byTag.set(key, { tag: loaded.tag, page });
    }
    return page;
  };
  const cache: FeedCache<RenderedPage> = createFeedCache(read, { maxEntries, freshMs: 1000, serveWhileRefreshingMs: 2000, ...(options.now ? { now: options.now } : {}) });
  return { read: (ref) => cache.get(JSON.stringify(ref)) };
};

/** One reader (and so one cache) per read-model store: the pages and the read API share nothing else (a WeakMap, not a bounded cache: an entry goes with its store). */
const readers = new WeakMap<ReadModelStore, PageReader>();
export const pageReaderOf = (readModels: ReadModelStore & BoundedReads): PageReader => {
  let reader = readers.get(readModels);
  if (!reader) readers.set(readModels, (reader = createPageReader(createPageSources(readModels))));
  return reader;
};
