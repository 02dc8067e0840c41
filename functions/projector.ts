import type { RecordedEvent } from '../events/catalog/events';
import type { ProjectableEvent, TimelineModel } from '../events/projections';
import { feedsChangedBy, storyItems, type ItemWrite } from '../events/projections/collections';
import { parseFeedKey } from '../events/projections/keys';
import type { EventStore } from './adapters/event-store';
import { StaleDocumentError, type ReadModelStore, type StoredDocument } from './adapters/read-model-store';
import { readChangedEntries } from './projection/changed-entries';
import { writeGuarded } from './projection/document-writes';
import { notifyHubsOfChangedFeeds } from './projection/feed-publisher';
import { fillGap } from './projection/gap-filling';
import { applyPlan, backlogsOf, groupByStream, planProjection, progressKeysOf, type ProjectionPlan } from './projection/plan';
import { inParallel } from './projection/worker-pool';

/**
 * Applies events to the read models, whatever order or multiplicity they arrive in:
 * per stream, in version order, starting after the version the stream's progress document (the
 * story's timeline, or the digest feed) last applied; a gap is filled from the event table. An
 * event this code cannot read is passed over (events/projections/unreadable.ts).
 * A story's timeline is read in part: its head, and the chunks of the developments the batch
 * records, corrects or retracts (projection/changed-entries.ts), so that a batch reads what it
 * changes whatever the story's length; the timeline's totals stand for the rest.
 * The steps: gap filling, plan (projection/plan.ts, pure), then
 * 1. hubs are told of the feeds the batch changes (projection/feed-publisher.ts);
 * 2. the items of the collections the batch changes (the feeds, the list of stories, the actors:
 *    events/projections/collections.ts), made from each story as the batch leaves it, in
 *    BatchWriteItem, each once, without a read;
 * 3. each other document once, guarded by the revision it was read at, the progress documents last
 *    (their chunks written in the same round as the items, their heads once the items are stored);
 *    a story whose progress document another projector wrote meanwhile has its items written again
 *    from the story as stored, so the last writer of an item is never the older one.
 * Nothing else is published: feeds and pages are rendered on read (functions/handlers/feeds.ts,
 * functions/page-reader.ts), so a batch writes nothing for them.
 * Every document is guarded by the versions it applied, so a replay changes nothing.
 */

export interface ProjectionOutcome {
  /** Per stream, the events applied (after gap filling). */
  applied: number;
  documentsWritten: number;
}

export interface Projector {
  project(events: ProjectableEvent[], options?: { generation?: number }): Promise<ProjectionOutcome>;
}

export interface ProjectorHooks {
  /** A projection failed on an event, which its documents passed over (events/projections/unreadable.ts). */
  onPassedOver?: (event: RecordedEvent, projection: string, error: unknown) => void;
  /** A feed's current page is about to change (functions/websub/feed-changes.ts queues hub pings). */
  onFeedChanged?: (feedKey: string) => Promise<void>;
}

const NOTHING: ProjectionOutcome = { applied: 0, documentsWritten: 0 };
const HEADS = { headsOnly: true };
/** Reads of a batch's stories before it gives up on chunks replaced while being read (the stream delivers it again). */
const READ_ATTEMPTS = 3;

/** The collection items of every story of the plan, from its timeline as given. */
const itemsOf = (plan: ProjectionPlan, timelines: ReadonlyMap<string, unknown>, keys: Iterable<string> = plan.touches.keys()): ItemWrite[] =>
  [...keys].flatMap((key) => {
    const story = timelines.get(key) as TimelineModel | undefined;
    const touch = plan.touches.get(key);
    return story && touch ? storyItems(story, touch) : [];
  });

export const createProjector = (eventStore: EventStore, readModels: ReadModelStore, hooks: ProjectorHooks = {}): Projector => {
  const { onPassedOver, onFeedChanged } = hooks;

  /**
   * The batch's progress documents (a story's timeline with the entries of the chunks the batch
   * changes, functions/projection/changed-entries.ts) and its plan; undefined when it is a redelivery.
   * Read again from the heads when a chunk was replaced while being read (another projector wrote the story).
   */
  const readStories = async (byStream: Map<string, ProjectableEvent[]>, progressKeys: string[], generation: number | undefined, attempt = 1): Promise<{ gen: number; docs: Map<string, StoredDocument<unknown>>; plan: ProjectionPlan } | undefined> => {
    // the progress documents of the generation given, else of the current one, read with the generation's item
    const { generation: gen, docs: heads } =
      generation === undefined ? await readModels.getManyCurrent(progressKeys, HEADS) : { generation, docs: await readModels.getMany(progressKeys, generation, HEADS) };
    const { backlogs } = backlogsOf(byStream, valuesOf(heads));
    const streams = await Promise.all(backlogs.map((backlog) => fillGap(eventStore, backlog)));
    if (streams.length === 0) return undefined;
    try {
      const docs = await readChangedEntries(readModels, gen, streams, heads);
      const plan = planProjection(streams, valuesOf(docs));
      return plan.events.length === 0 ? undefined : { gen, docs, plan };
    } catch (error) {
      if (!(error instanceof StaleDocumentError) || attempt >= READ_ATTEMPTS) throw error;
      return readStories(byStream, progressKeys, generation, attempt + 1);
    }
  };

  const project = async (events: ProjectableEvent[], { generation }: { generation?: number } = {}): Promise<ProjectionOutcome> => {
    const byStream = groupByStream(events);
    if (byStream.size === 0) return NOTHING;

    const progressKeys = progressKeysOf(byStream.keys());
    const read = await readStories(byStream, progressKeys, generation);
    if (!read) return NOTHING;
    const { gen, docs, plan } = read;

    // every document the plan touches, read once, and changed once in memory (a progress document
    // the heads' read did not find is a story's first: there is nothing to read again)
    const progress = new Set(progressKeys);
    for (const [key, doc] of await readModels.getMany(plan.keys.filter((k) => !docs.has(k) && !progress.has(k)), gen)) docs.set(key, doc);
    const changed = new Map(plan.keys.map((key) => [key, applyPlan(plan, key, docs.get(key)?.value, onPassedOver)]));
    const items = itemsOf(plan, changed);

    await notifyHubsOfChangedFeeds([...feedsChangedBy(items), ...plan.keys.filter((key) => parseFeedKey(key) && changed.get(key) !== docs.get(key)?.value)], { onFeedChanged });

    let written = 0;
    const raced = new Map<string, unknown>();
    const writeDocument = async (key: string, after?: Promise<unknown>): Promise<void> => {
      const known = docs.get(key);
      const write = await writeGuarded(readModels, gen, key, known, (value) => (value === known?.value ? changed.get(key) : applyPlan(plan, key, value, onPassedOver)), after);
      if (write.written) written++;
      if (write.raced) raced.set(key, write.stored.value);
    };
    // the items and every other document first, the progress documents last: a crash in between is
    // redelivered and resumes. All in one round: a progress document's chunks are written meanwhile, its head after.
    const first = allSucceeded([items.length > 0 ? readModels.writeItems(items, gen) : Promise.resolve(), inParallel(plan.keys.filter((k) => !progress.has(k)), (key) => writeDocument(key))]);
    await allSucceeded([first, inParallel(plan.keys.filter((k) => progress.has(k)), (key) => writeDocument(key, first))]);
    // another projector projected some of these stories at the same time: its items and ours may have
    // landed in any order, so they are written again from the story as it is stored now
    const repairs = itemsOf(plan, raced, [...raced.keys()].filter((key) => progress.has(key)));
    if (repairs.length > 0) await readModels.writeItems(repairs, gen);
    return { applied: plan.events.length, documentsWritten: written };
  };

  return { project };
};

/** Waits for every promise to settle (nothing left running), then fails with the first failure. */
const allSucceeded = async (promises: Promise<unknown>[]): Promise<void> => {
  const failed = (await Promise.allSettled(promises)).find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
};

const valuesOf = (docs: ReadonlyMap<string, StoredDocument<unknown>>): Map<string, unknown> => new Map([...docs].map(([key, doc]) => [key, doc.value]));
