import { foldAll, isUnreadable, timelineKey, type ProjectableEvent, type TimelineModel } from '../events/projections';
import { isCollectionKey, storyItems, type ItemWrite } from '../events/projections/collections';
import { storyIdOf } from '../events/streams';
import type { EventStore } from './adapters/event-store';
import type { ReadModelStore } from './adapters/read-model-store';
import { publishAll } from './projection/publication';
import { publishersOf } from './projection/publishers';
import { freshGeneration } from './projection/fresh-generation';
import { groupByStream } from './projection/plan';
import type { Projector } from './projector';

/**
 * A rebuild replays the event table (not the stream, which only keeps 24 hours) into a fresh
 * generation of read models, switches readers to it only once it is complete, then projects into
 * it whatever was appended while it ran. Last, it deletes the generations before the one it
 * replaced: that one stays, for readers that still hold the old pointer (they re-read it within a
 * second) and to switch back to by hand.
 */

export interface RebuildProgress {
  phase: 'reading' | 'writing' | 'catching-up' | 'done';
  done: number;
  total: number;
}

export interface RebuildResult {
  generation: number;
  previousGeneration: number;
  events: number;
  documents: number;
  caughtUp: number;
  /** Items of older generations deleted. */
  dropped: number;
}

export const rebuildReadModels = async (
  { events, readModels, projector, now = () => new Date() }: { events: EventStore; readModels: ReadModelStore; projector: Projector; now?: () => Date },
  onProgress: (progress: RebuildProgress) => void = () => undefined,
): Promise<RebuildResult> => {
  const previousGeneration = await readModels.generation();
  const generation = Math.max(previousGeneration + 1, now().getTime());

  const streams = [...(await events.listStreams('story')), ...(await events.listStreams('digest'))];
  const total = streams.reduce((sum, s) => sum + s.version, 0);
  const log: ProjectableEvent[] = [];
  await events.scanAll((page) => {
    log.push(...page);
    onProgress({ phase: 'reading', done: log.length, total: Math.max(total, log.length) });
  });

  const folded = foldAll(log);
  const documents = [...folded].filter(([key]) => !isCollectionKey(key));
  await readModels.writeItems(collectionItems(folded, log), generation);
  const at = now();
  // nobody writes the fresh generation but us until it is switched to: its documents, their
  // publications (feed renderings) and pages are kept and written in batches, not one guarded write each
  const fresh = freshGeneration(readModels, generation);
  const publication = await publishAll(publishersOf(fresh.store, () => at), [], generation);
  for (const [key, value] of documents) {
    await fresh.store.put({ key, value, rev: 0 }, generation);
    await publication.changed({ key, value, rev: 1 });
  }
  await fresh.flush((done) => onProgress({ phase: 'writing', done: Math.min(done, documents.length), total: documents.length }));
  // what is published from several documents (the pages), a few streams' at a time in memory
  for (const streamEvents of groupByStream(log).values()) {
    await publication.settled(streamEvents);
    if (fresh.size() >= 500) await fresh.flush();
  }
  await fresh.flush();

  await readModels.switchGeneration(generation);

  // appended while we ran: the live projector wrote them to the old generation only
  const projected = new Map<string, number>();
  for (const event of log) projected.set(event.streamId, Math.max(projected.get(event.streamId) ?? 0, event.version));
  let caughtUp = 0;
  const heads = [...(await events.listStreams('story')), ...(await events.listStreams('digest'))];
  for (const { streamId, version } of heads) {
    const after = projected.get(streamId) ?? 0;
    if (version <= after) continue;
    const tail = await events.readRecords(streamId, { after });
    await projector.project(tail, { generation });
    caughtUp += tail.length;
    onProgress({ phase: 'catching-up', done: caughtUp, total: caughtUp });
  }
  const dropped = await readModels.dropGenerationsBefore(previousGeneration);
  onProgress({ phase: 'done', done: log.length, total: log.length });
  return { generation, previousGeneration, events: log.length, documents: documents.length, caughtUp, dropped };
};

/** Every story's collection items (events/projections/collections.ts), from its folded timeline. */
const collectionItems = (folded: ReadonlyMap<string, unknown>, log: readonly ProjectableEvent[]): ItemWrite[] => {
  const last = new Map<string, { version: number; recordedAt: string }>();
  for (const event of log) {
    const storyId = storyIdOf(event.streamId);
    if (storyId !== undefined && !isUnreadable(event) && event.version > (last.get(storyId)?.version ?? 0)) last.set(storyId, { version: event.version, recordedAt: event.recordedAt });
  }
  return [...last.keys()].flatMap((storyId) => {
    const story = folded.get(timelineKey(storyId)) as TimelineModel | undefined;
    const latest = last.get(storyId);
    return story ? storyItems(story, { after: 0, developments: new Set(story.entries.map((entry) => entry.id)), ...(latest ? { last: latest } : {}) }) : [];
  });
};
