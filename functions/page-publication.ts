import { isUnreadable } from '../events/catalog/unreadable';
import { contentHash } from './content-hash';
import {
  actorKey,
  agreementsKey,
  STORIES_KEY,
  storyActorsKey,
  timelineKey,
  topicFeedKey,
  visitsKey,
  digestFeedKey,
  type ActorModel,
  type AgreementsModel,
  type FeedModel,
  type ProjectableEvent,
  type StoriesModel,
  type StoryActorsModel,
  type TimelineModel,
  type VisitsModel,
} from '../events/projections';
import { everTopics } from '../events/projections/entry';
import { digestItem } from '../events/projections/feed-entries';
import { storyIdOf } from '../events/streams';
import { StaleDocumentError, type ReadModelStore, type StoredDocument } from './adapters/read-model-store';
import type { Publisher } from './projection/publication';
import { inParallel, WRITE_CONCURRENCY } from './projection/worker-pool';
import { renderActorPage } from './render/pages/actor';
import { digestPageContent, renderDigestPage, renderDigestsPage } from './render/pages/digest';
import { renderHomePage } from './render/pages/home';
import { renderDevelopmentPage } from './render/pages/permalink';
import { renderStoryPage } from './render/pages/story';
import { renderTopicPage } from './render/pages/topic';

/**
 * The pages for people are a read model like the feeds: rendered when the projector has changed
 * what they show, and stored ready to serve (one read per request, never a replay of events).
 * After each batch, every story and digest period it touched has its pages rendered again from the
 * read models; a page is written only when its HTML changed. A per-story index records the
 * revisions of the documents its pages were rendered from, so a redelivered batch costs one read
 * and a crash before the index is written is finished by the next delivery.
 */

export const pageKeys = {
  home: 'page/home',
  story: (storyId: string) => `page/story/${storyId}`,
  development: (storyId: string, eventId: string) => `page/story/${storyId}/development/${eventId}`,
  actor: (actorId: string) => `page/actor/${actorId}`,
  topic: (topic: string) => `page/topic/${topic}`,
  digests: (period: string) => `page/digests/${period}`,
  digest: (period: string, digestId: string) => `page/digest/${period}/${digestId}`,
};
const indexKey = (scope: string) => `page-index/${scope}`;

export interface StoredPage {
  html: string;
  /** Strong validator of the HTML. */
  hash: string;
  /** When the page last changed (ISO 8601). */
  lastModified: string;
}

interface PageIndex {
  /** The revision of each source document the pages were rendered from. */
  sources: Record<string, number>;
  /** The hash of each page as stored. */
  pages: Record<string, string>;
}

export const pageHash = contentHash;

/** Shared pages (home, actors, topics) kept rendered, by the revisions of what they show. */
const SHARED_RENDERINGS = 500;

const createPagePublisher = (readModels: ReadModelStore, now: () => Date = () => new Date()) => {
  /**
   * A page that many stories show (the home page, an actor's, a topic's) is rendered once for the
   * revisions of the documents it shows, not again for each story of a batch or a rebuild.
   */
  const renderings = new Map<string, string>();
  const shared = (key: string, revisions: readonly number[], render: () => string): string => {
    const id = `${key}@${revisions.join('.')}`;
    const known = renderings.get(id);
    if (known !== undefined) return known;
    const html = render();
    if (renderings.size >= SHARED_RENDERINGS) renderings.clear();
    renderings.set(id, html);
    return html;
  };

  /** The pages of one scope (a story, a digest period), rendered from its sources, and its index. */
  interface ScopePages {
    scope: string;
    index: StoredDocument<PageIndex> | undefined;
    sources: Map<string, StoredDocument<unknown>>;
    pages: Map<string, string>;
  }

  /**
   * Writes every page whose HTML differs from what its scope's index recorded, once each (a shared
   * page that several scopes of the batch show is written once), then each scope's index.
   */
  const store = async (scopes: readonly ScopePages[], gen: number) => {
    const hashes = scopes.map((s) => new Map([...s.pages].map(([key, html]) => [key, pageHash(html)])));
    const changed = new Map<string, StoredPage>();
    const lastModified = now().toISOString();
    scopes.forEach((s, i) => {
      const known = s.index?.value.pages ?? {};
      for (const [key, html] of s.pages) {
        const hash = hashes[i]!.get(key)!;
        if (known[key] !== hash) changed.set(key, { html, hash, lastModified });
      }
    });
    const keys = [...changed.keys()];
    for (let i = 0; i < keys.length; i += WRITE_CONCURRENCY) {
      const batch = keys.slice(i, i + WRITE_CONCURRENCY);
      const stored = await readModels.getMany<StoredPage>(batch, gen);
      await Promise.all(
        batch.map(async (key) => {
          const value = changed.get(key)!;
          let current = stored.get(key);
          for (let attempt = 0; current?.value.hash !== value.hash; attempt++) {
            try {
              return await readModels.put({ key, value, rev: current?.rev ?? 0 }, gen);
            } catch (error) {
              // another projector wrote a shared page (home, an actor, a topic): take its revision,
              // or nothing to do if it wrote the same page
              if (!(error instanceof StaleDocumentError) || attempt >= 10) throw error;
              current = await readModels.get<StoredPage>(key, gen);
            }
          }
        }),
      );
    }
    await inParallel(scopes.map((s, i) => [s, hashes[i]!] as const), async ([{ scope, index, sources }, pageHashes]) => {
      const value: PageIndex = { sources: Object.fromEntries([...sources].map(([key, doc]) => [key, doc.rev])), pages: Object.fromEntries(pageHashes) };
      try {
        await readModels.put({ key: indexKey(scope), value, rev: index?.rev ?? 0 }, gen);
      } catch (error) {
        // another projector published this scope meanwhile; its index is as good as ours
        if (!(error instanceof StaleDocumentError)) throw error;
      }
    });
  };

  const upToDate = (index: StoredDocument<PageIndex> | undefined, sources: Map<string, StoredDocument<unknown>>) =>
    index !== undefined && Object.keys(index.value.sources).length === sources.size && [...sources].every(([key, doc]) => index.value.sources[key] === doc.rev);

  /** What a story's pages are rendered from, in two rounds of reads (its actors and topics are known from the first). */
  const storyKeys = (storyId: string) => [timelineKey(storyId), visitsKey(storyId), agreementsKey(storyId), storyActorsKey(storyId), STORIES_KEY, indexKey(`story/${storyId}`)];
  const storyKeysThen = (storyId: string, docs: ReadonlyMap<string, StoredDocument<unknown>>): string[] => {
    const timeline = docs.get(timelineKey(storyId))?.value as TimelineModel | undefined;
    if (!timeline) return [];
    const storyActors = docs.get(storyActorsKey(storyId))?.value as StoryActorsModel | undefined;
    return [...(storyActors?.actors ?? []).map((a) => actorKey(a.actorId)), ...[...new Set(timeline.entries.flatMap(everTopics))].map(topicFeedKey)];
  };

  const storyPages = (storyId: string, docs: ReadonlyMap<string, StoredDocument<unknown>>, gen: number): ScopePages | undefined => {
    const scope = `story/${storyId}`;
    const timeline = docs.get(timelineKey(storyId))?.value as TimelineModel | undefined;
    if (!timeline) return undefined;
    const index = docs.get(indexKey(scope)) as StoredDocument<PageIndex> | undefined;
    const shown = storyKeysThen(storyId, docs);
    const sources = new Map(
      [...storyKeys(storyId), ...shown].filter((key) => key !== indexKey(scope) && docs.has(key)).map((key) => [key, docs.get(key)!] as const),
    );
    if (upToDate(index, sources)) return undefined;

    const storyActors = docs.get(storyActorsKey(storyId))?.value as StoryActorsModel | undefined;
    const visits = docs.get(visitsKey(storyId))?.value as VisitsModel | undefined;
    const agreements = docs.get(agreementsKey(storyId))?.value as AgreementsModel | undefined;
    const stories = docs.get(STORIES_KEY)?.value as StoriesModel | undefined;
    const pages = new Map<string, string>();
    const storiesRev = docs.get(STORIES_KEY)?.rev ?? 0;
    pages.set(pageKeys.home, shared(pageKeys.home, [gen, storiesRev], () => renderHomePage(stories)));
    pages.set(pageKeys.story(storyId), renderStoryPage({ timeline, ...(visits ? { visits } : {}), ...(agreements ? { agreements } : {}), ...(storyActors ? { actors: storyActors } : {}) }));
    timeline.entries.forEach((entry, i) => pages.set(pageKeys.development(storyId, entry.id), renderDevelopmentPage(timeline, i, visits?.visits.find((v) => v.eventIds.includes(entry.id)))));
    for (const key of shown) {
      const doc = docs.get(key);
      if (!doc) continue;
      if (key.startsWith('actor/')) {
        const actor = doc.value as ActorModel;
        pages.set(pageKeys.actor(actor.actorId), shared(pageKeys.actor(actor.actorId), [gen, doc.rev, storiesRev], () => renderActorPage(actor, stories)));
      } else {
        const topic = key.slice(topicFeedKey('').length);
        pages.set(pageKeys.topic(topic), shared(pageKeys.topic(topic), [gen, doc.rev, storiesRev], () => renderTopicPage(topic, doc.value as FeedModel, stories)));
      }
    }
    return { scope, index, sources, pages };
  };

  const digestKeys = (period: string) => [digestFeedKey(period), indexKey(`digest/${period}`)];

  const digestPages = (period: string, published: readonly ProjectableEvent[], docs: ReadonlyMap<string, StoredDocument<unknown>>): ScopePages | undefined => {
    const scope = `digest/${period}`;
    const feed = docs.get(digestFeedKey(period)) as StoredDocument<FeedModel> | undefined;
    if (!feed) return undefined;
    const index = docs.get(indexKey(scope)) as StoredDocument<PageIndex> | undefined;
    const sources = new Map<string, StoredDocument<unknown>>([[digestFeedKey(period), feed]]);
    if (upToDate(index, sources)) return undefined;
    const pages = new Map([[pageKeys.digests(period), renderDigestsPage(period, feed.value)]]);
    for (const entry of feed.value.entries) {
      if (entry.kind === 'digest' && entry.digestRef) pages.set(pageKeys.digest(period, entry.digestRef.digestId), renderDigestPage(period, digestPageContent(entry.digest, entry)));
    }
    // every digest of this batch keeps its page, also one the feed no longer holds (it keeps only its newest items)
    for (const event of published) {
      if (!isUnreadable(event) && event.type === 'DigestPublished' && !pages.has(pageKeys.digest(period, event.data.digestId))) {
        pages.set(pageKeys.digest(period, event.data.digestId), renderDigestPage(period, digestPageContent(event.data.content, digestItem(event), event.data.window)));
      }
    }
    return { scope, index, sources, pages };
  };

  /**
   * The pages of every story and digest period these events belong to, for the whole batch at once:
   * what they are rendered from is read in two rounds (a document several stories show, such as the
   * list of stories, once), and each page is written once.
   */
  const publish = async (events: readonly ProjectableEvent[], gen: number): Promise<void> => {
    const streams = [...new Set(events.map((e) => e.streamId))];
    const storyIds = streams.flatMap((streamId) => storyIdOf(streamId) ?? []);
    const periods = streams.filter((streamId) => storyIdOf(streamId) === undefined && streamId.startsWith('digest/')).map((streamId) => streamId.slice('digest/'.length));
    if (storyIds.length === 0 && periods.length === 0) return;
    const docs = new Map(await readModels.getMany<unknown>([...storyIds.flatMap(storyKeys), ...periods.flatMap(digestKeys)], gen));
    for (const [key, doc] of await readModels.getMany<unknown>(storyIds.flatMap((storyId) => storyKeysThen(storyId, docs)), gen)) docs.set(key, doc);
    const scopes = [
      ...storyIds.map((storyId) => storyPages(storyId, docs, gen)),
      ...periods.map((period) => digestPages(period, events.filter((e) => e.streamId === `digest/${period}`), docs)),
    ].filter((s): s is ScopePages => s !== undefined);
    if (scopes.length > 0) await store(scopes, gen);
  };
  return { publish };
};

/**
 * The pages as a publisher (projection/publication.ts): once a batch is settled, the pages of its
 * stories and digest periods. One per projector or rebuild, so shared pages stay rendered across batches.
 */
export const pagePublisher = (readModels: ReadModelStore, now?: () => Date): Publisher => {
  const pages = createPagePublisher(readModels, now);
  const nothing = async () => undefined;
  return { forBatch: async (_keys, generation) => ({ changed: nothing, unchanged: nothing, settled: (events) => pages.publish(events, generation) }) };
};
