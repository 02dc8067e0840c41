import type { RecordedEvent } from '../events/catalog/events';
import type { ProjectableEvent } from '../events/projections';
import type { EventStore } from './adapters/event-store';
import type { ReadModelStore, StoredDocument } from './adapters/read-model-store';
import { writeGuarded } from './projection/document-writes';
import { fillGap } from './projection/gap-filling';
import { applyPlan, backlogsOf, groupByStream, planProjection, progressKeysOf } from './projection/plan';
import { publishAll } from './projection/publication';
import { publishersOf } from './projection/publishers';
import { inParallel } from './projection/worker-pool';

/**
 * Applies events to the read models, whatever order or multiplicity they arrive in:
 * per stream, in version order, starting after the version the stream's progress document (the
 * story's timeline, or the digest feed) last applied; a gap is filled from the event table. An
 * event this code cannot read is passed over (events/projections/unreadable.ts). Every
 * document is guarded by the versions it applied, so a replay changes nothing. Each touched
 * document is written once per batch, the progress documents last, each on the revision it was
 * read at, and then published (a feed's current page rendered); once all are stored, the batch's
 * pages are published.
 * The steps: plan (projection/plan.ts, pure), gap filling, guarded writes, publication.
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
  /** A feed's current page was stored changed (functions/websub/feed-changes.ts queues hub pings); also on a rebuild's publishers. */
  onFeedChanged?: (feedKey: string) => Promise<void>;
}

const NOTHING: ProjectionOutcome = { applied: 0, documentsWritten: 0 };

export const createProjector = (eventStore: EventStore, readModels: ReadModelStore, now: () => Date = () => new Date(), { onPassedOver, onFeedChanged }: ProjectorHooks = {}): Projector => {
  const publishers = publishersOf(readModels, now, { onFeedChanged });

  const project = async (events: ProjectableEvent[], { generation }: { generation?: number } = {}): Promise<ProjectionOutcome> => {
    const gen = generation ?? (await readModels.generation());
    const byStream = groupByStream(events);
    if (byStream.size === 0) return NOTHING;

    const progressKeys = progressKeysOf(byStream.keys());
    const docs = new Map<string, StoredDocument<unknown>>(await readModels.getMany(progressKeys, gen));
    const { backlogs, settledFeeds } = backlogsOf(byStream, valuesOf(docs));
    const plan = planProjection(await Promise.all(backlogs.map((backlog) => fillGap(eventStore, backlog))), valuesOf(docs));

    // every document the plan touches, read once
    for (const [key, doc] of await readModels.getMany(plan.keys.filter((k) => !docs.has(k)), gen)) docs.set(key, doc);
    const publication = await publishAll(publishers, [...settledFeeds, ...plan.keys], gen);
    await inParallel(settledFeeds, (key) => publication.unchanged(docs.get(key)));
    if (plan.events.length === 0) {
      // a redelivery: what a crash left unpublished is published now
      await publication.settled(events);
      return NOTHING;
    }

    let written = 0;
    const writeDocument = async (key: string): Promise<void> => {
      const write = await writeGuarded(readModels, gen, key, docs.get(key), (value) => applyPlan(plan, key, value, onPassedOver));
      if (!write.written) return publication.unchanged(write.stored);
      written++;
      await publication.changed(write.stored);
    };
    // every other document first, the progress documents last: a crash in between is redelivered and resumes
    const progress = new Set(progressKeys);
    await inParallel(plan.keys.filter((k) => !progress.has(k)), writeDocument);
    await inParallel(plan.keys.filter((k) => progress.has(k)), writeDocument);
    await publication.settled(events);
    return { applied: plan.events.length, documentsWritten: written };
  };

  return { project };
};

const valuesOf = (docs: ReadonlyMap<string, StoredDocument<unknown>>): Map<string, unknown> => new Map([...docs].map(([key, doc]) => [key, doc.value]));
