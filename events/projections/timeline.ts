import { isDevelopment, type RecordedEvent } from '../catalog/events';
import { storyIdOf } from '../streams';
import { compareEntries, correctEntry, entryFromEvent, everActors, retractEntry, type TimelineEntry } from './entry';
import { storyIdOfKey, timelineKey } from './keys';
import { compareStrings, insertSorted, upsertSorted } from './lists';
import { guarded, isApplied, type Projection } from './projection';
import { entryById, initialTimeline, type StoryTotals, type TimelineModel } from './story-model';

export * from './story-model';

/**
 * The timeline of a story: its developments ordered by when they occurred, corrections applied
 * (with the history needed to see the story as it was known at any instant, ./as-of.ts) and
 * retractions marked. The projector hands it to every other projection as `story`.
 */

/** The actors of the totals with those `entry` involves now or ever did: the same array when it adds none. */
const withActorsOf = (actors: string[], entry: TimelineEntry): string[] => {
  const added = everActors(entry).filter((actorId) => !actors.includes(actorId));
  return added.length === 0 ? actors : [...actors, ...added].sort(compareStrings);
};

/** The totals of a story that has these entries (the fold keeps them as it goes: see `addEntry`). */
export const totalsOf = (entries: readonly TimelineEntry[]): StoryTotals => ({
  developments: entries.length,
  actors: [...new Set(entries.flatMap(everActors))].sort(compareStrings),
});

const replaceEntry = (model: TimelineModel, entry: TimelineEntry): TimelineModel => ({
  ...model,
  entries: upsertSorted(model.entries, entry, (existing) => existing.id === entry.id, compareEntries),
  totals: { ...model.totals, actors: withActorsOf(model.totals.actors, entry) },
});

/** A development just recorded is in no list yet: inserted where it belongs, with one copy of the list and no search for an older copy. */
const addEntry = (model: TimelineModel, entry: TimelineEntry): TimelineModel => ({
  ...model,
  entries: insertSorted(model.entries, entry, compareEntries),
  totals: { developments: model.totals.developments + 1, actors: withActorsOf(model.totals.actors, entry) },
});

/** The development a correction or retraction changes, as it stands after it; undefined when the story has no such development. */
const changedEntry = (model: TimelineModel, event: RecordedEvent): TimelineEntry | undefined => {
  if (event.type !== 'DevelopmentCorrected' && event.type !== 'DevelopmentRetracted') return undefined;
  const target = entryById(model, event.data.eventId);
  if (!target) return undefined;
  if (event.type === 'DevelopmentRetracted') return retractEntry(target, { eventId: event.id, version: event.version, reason: event.data.reason, at: event.reportedAt, recordedAt: event.recordedAt });
  const { note, changes } = event.data;
  return correctEntry(target, { eventId: event.id, version: event.version, note, changes, recordedAt: event.recordedAt, reportedAt: event.reportedAt });
};

const apply = (model: TimelineModel, event: RecordedEvent): TimelineModel => {
  const next = { ...model, version: event.version, updatedAt: event.recordedAt };
  if (isDevelopment(event)) return addEntry(next, entryFromEvent(event));
  switch (event.type) {
    case 'StoryOpened':
      return {
        ...next,
        title: event.data.title,
        summary: event.data.summary,
        topics: event.data.topics,
        opened: { eventId: event.id, version: event.version, recordedAt: event.recordedAt, reportedAt: event.reportedAt },
      };
    case 'StoryRevised':
      // a revision of the topics alone renames nothing (the feeds' titles and Last-Modified follow `revised`)
      return { ...next, ...event.data, ...(event.data.title !== undefined || event.data.summary !== undefined ? { revised: { version: event.version, recordedAt: event.recordedAt } } : {}) };
    case 'ActorIdentified':
      return { ...next, actors: [...model.actors, { ...event.data, eventId: event.id, version: event.version, recordedAt: event.recordedAt }] };
    case 'DevelopmentCorrected':
    case 'DevelopmentRetracted': {
      const changed = changedEntry(model, event);
      return changed ? replaceEntry(next, changed) : next;
    }
    default:
      // DigestPublished lives in digest streams; developments were handled above
      return next;
  }
};

export const evolveTimeline = guarded(apply);

/** The id of the development an event adds, corrects or retracts. */
export const concernedEventId = (event: RecordedEvent): string | undefined => {
  if (isDevelopment(event)) return event.id;
  if (event.type === 'DevelopmentCorrected' || event.type === 'DevelopmentRetracted') return event.data.eventId;
  return undefined;
};

/**
 * Every projection asks for the same (story, event) pair: remember the last answer per event, so
 * that the story is evolved once per event, not once per document the event touches.
 */
const affected = new WeakMap<RecordedEvent, { story: TimelineModel | undefined; entry: TimelineEntry | undefined }>();

/** The development an event adds, corrects or retracts, as it stands once the event is applied to `story`. */
export const affectedEntry = (story: TimelineModel | undefined, event: RecordedEvent): TimelineEntry | undefined => {
  const known = affected.get(event);
  if (known && known.story === story) return known.entry;
  const base = story ?? initialTimeline(storyIdOf(event.streamId) ?? '');
  // the entry alone, as the timeline's evolve would make it (an event already applied leaves it as it is)
  const entry = isApplied(base, event)
    ? entryById(base, concernedEventId(event) ?? '')
    : isDevelopment(event)
      ? entryFromEvent(event)
      : changedEntry(base, event);
  affected.set(event, { story, entry });
  return entry;
};

export const timelineProjection: Projection<TimelineModel> = {
  name: 'timeline',
  keysOf: (event) => {
    const storyId = storyIdOf(event.streamId);
    return storyId === undefined ? [] : [timelineKey(storyId)];
  },
  initial: (key) => initialTimeline(storyIdOfKey(key) ?? ''),
  evolve: evolveTimeline,
};
