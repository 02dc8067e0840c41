import { foldAll, type ProjectableEvent } from '../events/projections';
import type { EventStore } from './adapters/event-store';
import type { ReadModelStore } from './adapters/read-model-store';
import { publishAll } from './projection/publication';
import { publishersOf } from './projection/publishers';
import { inParallel } from './projection/worker-pool';
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

  const documents = [...foldAll(log)];
  let written = 0;
  const at = now();
  // the fresh generation holds no publication yet: each document's is its first
  const publication = await publishAll(publishersOf(readModels, () => at), [], generation);
  await inParallel(documents, async ([key, value]) => {
    await readModels.put({ key, value, rev: 0 }, generation);
    await publication.changed({ key, value, rev: 1 });
    written++;
    if (written % 10 === 0 || written === documents.length) onProgress({ phase: 'writing', done: written, total: documents.length });
  });

  await readModels.switchGeneration(generation);

  // appended while we ran: the live projector wrote them to the old generation only
  const folded = new Map<string, number>();
  for (const event of log) folded.set(event.streamId, Math.max(folded.get(event.streamId) ?? 0, event.version));
  let caughtUp = 0;
  const heads = [...(await events.listStreams('story')), ...(await events.listStreams('digest'))];
  for (const { streamId, version } of heads) {
    const after = folded.get(streamId) ?? 0;
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
