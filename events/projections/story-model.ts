import type { EventData } from '../catalog/events';
import type { TimelineEntry } from './entry';
import type { PassedOver, Versioned } from './versioned';

/** The timeline document of a story, which the projector hands to every projection as `story` (its projection: ./timeline.ts). */

export type StoryActor = EventData<'ActorIdentified'> & { eventId: string; version: number; recordedAt: string };

export interface TimelineModel extends Versioned {
  storyId: string;
  /** Empty until the story is opened. */
  title: string;
  summary: string;
  topics: string[];
  opened?: { eventId: string; version: number; recordedAt: string; reportedAt: string };
  /** The actors identified in this story, in the order they were identified. */
  actors: StoryActor[];
  /** Ordered by when they occurred (start, precision), then version. */
  entries: TimelineEntry[];
  /** Events of the story this code could not read, passed over (see unreadable.ts); absent when none. */
  passedOver?: PassedOver[];
  /** The last version applied, and when it was recorded. */
  version: number;
  updatedAt: string;
}

export const initialTimeline = (storyId: string): TimelineModel => ({
  storyId,
  title: '',
  summary: '',
  topics: [],
  actors: [],
  entries: [],
  version: 0,
  updatedAt: '',
  applied: {},
});

export const entryById = (model: TimelineModel, eventId: string): TimelineEntry | undefined => model.entries.find((entry) => entry.id === eventId);

