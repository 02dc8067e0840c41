import { isUnreadable } from '../events/catalog/unreadable';
import { createHash } from 'node:crypto';
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

export const pageHash = (html: string): string => createHash('sha256').update(html).digest('base64url').slice(0, 27);

/** Streams whose pages are published at once. */
const STREAMS_AT_ONCE = 8;

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

  /** Writes the pages whose HTML differs from the index, then the index. */
  const store = async (scope: string, index: StoredDocument<PageIndex> | undefined, sources: Map<string, StoredDocument<unknown>>, pages: Map<string, string>, gen: number) => {
    const known = index?.value.pages ?? {};
    const hashes = new Map([...pages].map(([key, html]) => [key, pageHash(html)]));
    const changed = [...pages.keys()].filter((key) => known[key] !== hashes.get(key));
    const lastModified = now().toISOString();
    for (let i = 0; i < changed.length; i += WRITE_CONCURRENCY) {
      const batch = changed.slice(i, i + WRITE_CONCURRENCY);
      const stored = await readModels.getMany<StoredPage>(batch, gen);
      await Promise.all(
        batch.map(async (key) => {
          const value: StoredPage = { html: pages.get(key)!, hash: hashes.get(key)!, lastModified };
          let current = stored.get(key);
          for (let attempt = 0; current?.value.hash !== value.hash; attempt++) {
            try {
              return await readModels.put({ key, value, rev: current?.rev ?? 0 }, gen);
            } catch (error) {
              // another story (of this batch or another projector's) wrote a shared page (home, an actor,
              // a topic): take its revision, or nothing to do if it wrote the same page
              if (!(error instanceof StaleDocumentError) || attempt >= 10) throw error;
              current = await readModels.get<StoredPage>(key, gen);
            }
          }
        }),
      );
    }
    const value: PageIndex = { sources: Object.fromEntries([...sources].map(([key, doc]) => [key, doc.rev])), pages: Object.fromEntries(hashes) };
    try {
      await readModels.put({ key: indexKey(scope), value, rev: index?.rev ?? 0 }, gen);
    } catch (error) {
      // another projector published this scope meanwhile; its index is as good as ours
      if (!(error instanceof StaleDocumentError)) throw error;
    }
  };

  const upToDate = (index: StoredDocument<PageIndex> | undefined, sources: Map<string, StoredDocument<unknown>>) =>
    index !== undefined && Object.keys(index.value.sources).length === sources.size && [...sources].every(([key, doc]) => index.value.sources[key] === doc.rev);

  const publishStory = async (storyId: string, gen: number) => {
    const scope = `story/${storyId}`;
    const first = await readModels.getMany<unknown>([timelineKey(storyId), visitsKey(storyId), agreementsKey(storyId), storyActorsKey(storyId), STORIES_KEY, indexKey(scope)], gen);
    const timeline = first.get(timelineKey(storyId))?.value as TimelineModel | undefined;
    if (!timeline) return;
    const index = first.get(indexKey(scope)) as StoredDocument<PageIndex> | undefined;
    const storyActors = first.get(storyActorsKey(storyId))?.value as StoryActorsModel | undefined;
    const topics = [...new Set(timeline.entries.flatMap(everTopics))];
    const second = await readModels.getMany<unknown>([...(storyActors?.actors ?? []).map((a) => actorKey(a.actorId)), ...topics.map(topicFeedKey)], gen);
    const sources = new Map([...first, ...second].filter(([key]) => key !== indexKey(scope)));
    if (upToDate(index, sources)) return;

    const visits = first.get(visitsKey(storyId))?.value as VisitsModel | undefined;
    const agreements = first.get(agreementsKey(storyId))?.value as AgreementsModel | undefined;
    const stories = first.get(STORIES_KEY)?.value as StoriesModel | undefined;
    const pages = new Map<string, string>();
    const storiesRev = first.get(STORIES_KEY)?.rev ?? 0;
    pages.set(pageKeys.home, shared(pageKeys.home, [gen, storiesRev], () => renderHomePage(stories)));
    pages.set(pageKeys.story(storyId), renderStoryPage({ timeline, ...(visits ? { visits } : {}), ...(agreements ? { agreements } : {}), ...(storyActors ? { actors: storyActors } : {}) }));
    timeline.entries.forEach((entry, i) => pages.set(pageKeys.development(storyId, entry.id), renderDevelopmentPage(timeline, i, visits?.visits.find((v) => v.eventIds.includes(entry.id)))));
    for (const [key, doc] of second) {
      if (key.startsWith('actor/')) {
        const actor = doc.value as ActorModel;
        pages.set(pageKeys.actor(actor.actorId), shared(pageKeys.actor(actor.actorId), [gen, doc.rev, storiesRev], () => renderActorPage(actor, stories)));
      } else {
        const topic = key.slice(topicFeedKey('').length);
        pages.set(pageKeys.topic(topic), shared(pageKeys.topic(topic), [gen, doc.rev, storiesRev], () => renderTopicPage(topic, doc.value as FeedModel, stories)));
      }
    }
    await store(scope, index, sources, pages, gen);
  };

  const publishDigests = async (period: string, published: readonly ProjectableEvent[], gen: number) => {
    const scope = `digest/${period}`;
    const found = await readModels.getMany<unknown>([digestFeedKey(period), indexKey(scope)], gen);
    const feed = found.get(digestFeedKey(period)) as StoredDocument<FeedModel> | undefined;
    if (!feed) return;
    const index = found.get(indexKey(scope)) as StoredDocument<PageIndex> | undefined;
    const sources = new Map<string, StoredDocument<unknown>>([[digestFeedKey(period), feed]]);
    if (upToDate(index, sources)) return;
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
    await store(scope, index, sources, pages, gen);
  };

  /** The pages of every story and digest period these events belong to. */
  const publish = async (events: readonly ProjectableEvent[], gen: number): Promise<void> => {
    // streams at once: each story's pages take a few round trips, and a batch spans many stories
    await inParallel([...new Set(events.map((e) => e.streamId))], async (streamId) => {
      const storyId = storyIdOf(streamId);
      if (storyId !== undefined) await publishStory(storyId, gen);
      else if (streamId.startsWith('digest/')) await publishDigests(streamId.slice('digest/'.length), events.filter((e) => e.streamId === streamId), gen);
    }, STREAMS_AT_ONCE);
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
