import type { ProjectableEvent } from '../../events/projections';
import type { EventStore } from '../adapters/event-store';
import type { StreamBacklog } from './plan';

/**
 * A stream's backlog as a contiguous run: versions that have not arrived (a stream record
 * delivered late, or lost to a bisected batch) are read from the event table, never skipped.
 * What the table holds is the event of record for every version it returns.
 */
export const fillGap = async (eventStore: EventStore, { streamId, events, gap }: StreamBacklog): Promise<ProjectableEvent[]> => {
  if (!gap) return events;
  const byVersion = new Map(events.map((e) => [e.version, e]));
  for (const e of await eventStore.readRecords(streamId, gap)) byVersion.set(e.version, e);
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
};
