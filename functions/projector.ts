import type { RecordedEvent } from '../events/catalog/events';
import {
  evolveOrPassOver,
  isUnreadable,
  parseFeedKey,
  passOver,
  progressKey,
  projections,
  timelineKey,
  type FeedModel,
  type ProjectableEvent,
  type TimelineModel,
  type Versioned,
} from '../events/projections';
import { storyIdOf } from '../events/streams';
import type { EventStore } from './adapters/event-store';
import { StaleDocumentError, type ReadModelStore, type StoredDocument } from './adapters/read-model-store';
import { renderCurrent, renderedKey, type RenderedFeed } from './feed-publication';

/**
 * Applies events to the read models, whatever order or multiplicity they arrive in:
 * per stream, in version order, starting after the version the stream's progress document (the
 * story's timeline, or the digest feed) last applied; a gap is filled from the event table. An
 * event this code cannot read is passed over (events/projections/unreadable.ts). Every
 * document is guarded by the versions it applied, so a replay changes nothing. Each touched
 * document is written once, the progress documents last, each on the revision it was read at.
 */

/** Documents written at once: DynamoDB takes them in parallel; the order among them does not matter. */
const WRITE_CONCURRENCY = 16;

const inParallel = async <T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

export interface ProjectionOutcome {
  /** Per stream, the events applied (after gap filling). */
  applied: number;
  documentsWritten: number;
}

const appliedIn = (doc: unknown, streamId: string): number => (doc as Versioned | undefined)?.applied?.[streamId] ?? 0;

export interface Projector {
  project(events: ProjectableEvent[], options?: { generation?: number }): Promise<ProjectionOutcome>;
}

export interface ProjectorHooks {
  /** A projection failed on an event, which its documents passed over (events/projections/unreadable.ts). */
  onPassedOver?: (event: RecordedEvent, projection: string, error: unknown) => void;
  /** A feed's current page was stored changed (functions/websub/feed-changes.ts queues hub pings). */
  onFeedChanged?: (feedKey: string) => Promise<void>;
}

export const createProjector = (eventStore: EventStore, readModels: ReadModelStore, now: () => Date = () => new Date(), { onPassedOver, onFeedChanged }: ProjectorHooks = {}): Projector => {
  const project = async (events: ProjectableEvent[], { generation }: { generation?: number } = {}): Promise<ProjectionOutcome> => {
    const gen = generation ?? (await readModels.generation());
    const byStream = new Map<string, ProjectableEvent[]>();
    for (const event of events) {
      if (progressKey(event.streamId) === undefined) continue;
      byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    }
    if (byStream.size === 0) return { applied: 0, documentsWritten: 0 };

    const progressKeys = [...byStream.keys()].map((s) => progressKey(s) ?? '');
    const docs = new Map<string, StoredDocument<unknown>>(await readModels.getMany(progressKeys, gen));

    /** Each stream's events to apply, contiguous from its progress + 1, with the story as it was before each. */
    const plan: { event: ProjectableEvent; story: TimelineModel | undefined }[] = [];
    /** Progress documents that are feeds (a digest stream's) with nothing new: their rendering may still be behind. */
    const settledFeeds: string[] = [];
    for (const [streamId, received] of byStream) {
      const progress = appliedIn(docs.get(progressKey(streamId) ?? '')?.value, streamId);
      const fresh = new Map(received.filter((e) => e.version > progress).map((e) => [e.version, e]));
      if (fresh.size === 0) {
        const key = progressKey(streamId) ?? '';
        if (parseFeedKey(key)) settledFeeds.push(key);
        continue;
      }
      const last = Math.max(...fresh.keys());
      if (fresh.size !== last - progress) {
        // a gap: some version between progress and last has not arrived (yet); read the table
        for (const e of await eventStore.readRecords(streamId, { after: progress, limit: last - progress })) fresh.set(e.version, e);
      }
      const ordered = [...fresh.values()].sort((a, b) => a.version - b.version);
      const storyId = storyIdOf(streamId);
      let story = storyId === undefined ? undefined : ((docs.get(timelineKey(storyId))?.value as TimelineModel | undefined) ?? undefined);
      const timeline = projections.find((p) => p.name === 'timeline');
      for (const event of ordered) {
        plan.push({ event, story });
        if (storyId === undefined || !timeline) continue;
        const key = timelineKey(storyId);
        // the story before the next event, as its timeline document will be written (a failure is reported there)
        story = (isUnreadable(event) ? passOver(story, key, event) : evolveOrPassOver(timeline, key, story, event, story)) as TimelineModel;
      }
    }
    await inParallel(settledFeeds, WRITE_CONCURRENCY, async (key) => renderIfBehind(key, docs.get(key), await readModels.get<RenderedFeed>(renderedKey(key), gen), gen));
    if (plan.length === 0) return { applied: 0, documentsWritten: 0 };

    // every document the plan touches, read once; an unreadable event touches only its stream's progress document
    const touches = plan.map(({ event, story }) => (isUnreadable(event) ? [[progressKey(event.streamId) ?? '']] : projections.map((p) => p.keysOf(event, story))));
    const keys = [...new Set(touches.flat(2))];
    for (const [key, doc] of await readModels.getMany(keys.filter((k) => !docs.has(k)), gen)) docs.set(key, doc);

    // for each document, the (event, projection) pairs that touch it, in plan order
    const touching = new Map<string, [number, number][]>();
    touches.forEach((byProjection, i) =>
      byProjection.forEach((keysOfProjection, p) => {
        for (const key of keysOfProjection) {
          const list = touching.get(key);
          if (list) list.push([i, p]);
          else touching.set(key, [[i, p]]);
        }
      }),
    );
    const applyAll = (key: string, start: unknown): unknown => {
      let value = start;
      for (const [i, p] of touching.get(key) ?? []) {
        const { event, story } = plan[i]!;
        if (isUnreadable(event)) {
          value = passOver(value, key, event);
          continue;
        }
        const projection = projections[p]!;
        value = evolveOrPassOver(projection, key, value, event, story, onPassedOver);
      }
      return value;
    };

    const progress = new Set(progressKeys);
    const feedKeys = keys.filter((k) => parseFeedKey(k) !== undefined);
    const renderedDocs = await readModels.getMany<RenderedFeed>(feedKeys.map(renderedKey), gen);
    let written = 0;
    const writeDocument = async (key: string): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        const stored = docs.get(key);
        const value = applyAll(key, stored?.value);
        if (stored && value === stored.value) return renderIfBehind(key, stored, renderedDocs.get(renderedKey(key)), gen);
        try {
          await readModels.put({ key, value, rev: stored?.rev ?? 0 }, gen);
          written++;
          docs.set(key, { key, value, rev: (stored?.rev ?? 0) + 1 });
          if (parseFeedKey(key)) await publish(key, value as FeedModel, (stored?.rev ?? 0) + 1, renderedDocs.get(renderedKey(key)), gen);
          return;
        } catch (error) {
          if (!(error instanceof StaleDocumentError) || attempt >= 20) throw error;
          // another projector (another shard) wrote it: read it again and re-apply; guards skip what it has
          const fresh = await readModels.get(key, gen);
          if (fresh) docs.set(key, fresh);
          else docs.delete(key);
        }
      }
    };
    // every other document first, the progress documents last: a crash in between is redelivered and resumes
    await inParallel(keys.filter((k) => !progress.has(k)), WRITE_CONCURRENCY, writeDocument);
    await inParallel(keys.filter((k) => progress.has(k)), WRITE_CONCURRENCY, writeDocument);
    return { applied: plan.length, documentsWritten: written };
  };

  /**
   * A crash between a feed's write and its rendering leaves the stored rendering behind the feed, and
   * the redelivered events change nothing in the feed itself: the redelivery finishes the rendering.
   */
  const renderIfBehind = async (key: string, stored: StoredDocument<unknown> | undefined, rendered: StoredDocument<RenderedFeed> | undefined, gen: number): Promise<void> => {
    if (!stored || !parseFeedKey(key) || (rendered?.value.feedRev ?? 0) >= stored.rev) return;
    await publish(key, stored.value as FeedModel, stored.rev, rendered, gen);
  };

  /** Stores the feed's current page rendered, unless a newer rendering is already stored. */
  const publish = async (feedKey: string, model: FeedModel, feedRev: number, known: StoredDocument<RenderedFeed> | undefined, gen: number): Promise<void> => {
    const key = renderedKey(feedKey);
    const rendered = renderCurrent(model, feedRev, now());
    let stored = known;
    for (let attempt = 0; attempt < 20; attempt++) {
      if (attempt > 0) stored = await readModels.get<RenderedFeed>(key, gen);
      if (stored && stored.value.feedRev >= feedRev) return;
      try {
        await readModels.put({ key, value: rendered, rev: stored?.rev ?? 0 }, gen);
        await onFeedChanged?.(feedKey);
        return;
      } catch (error) {
        if (!(error instanceof StaleDocumentError)) throw error;
      }
    }
  };

  return { project };
};
