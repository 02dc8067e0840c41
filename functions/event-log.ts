import { isUnreadable } from '../events/catalog/unreadable';
import { storyStreamId } from '../events/streams';
import type { EventStore } from './adapters/event-store';
import { eventLogPath } from './links';

/**
 * A page of a story's immutable log, as GET /stories/{storyId}/events shows it: every event,
 * and one this code cannot read as what can be said of it; `next` links the following page.
 */
export const eventLogPage = async (events: EventStore, storyId: string, { after, limit }: { after: number; limit: number }) => {
  const page = await events.readRecords(storyStreamId(storyId), { after, limit: limit + 1 });
  const shown = page
    .slice(0, limit)
    .map((e) =>
      isUnreadable(e)
        ? { version: e.version, id: e.id, type: e.type, recordedAt: e.recordedAt, unreadable: e.reason }
        : { version: e.version, id: e.id, type: e.type, schemaVersion: e.schemaVersion, recordedAt: e.recordedAt, reportedAt: e.reportedAt, data: e.data, metadata: e.metadata },
    );
  const last = shown[shown.length - 1];
  return { storyId, events: shown, ...(page.length > limit && last ? { next: eventLogPath(storyId, { after: last.version, limit }) } : {}) };
};
