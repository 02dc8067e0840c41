import type * as z from 'zod/mini';
import type { TimelineEntry } from './entry';
import type { StoryActor as StoryActorSchema, Timeline } from './timeline-schema';
import type { Versioned } from './versioned';

/** The timeline document of a story, which the projector hands to every projection as `story` (its projection: ./timeline.ts). */

export type StoryActor = z.infer<typeof StoryActorSchema>;

/** The stored timeline: what the API serves (./timeline-schema.ts) and the versions it applied. */
export type TimelineModel = z.infer<typeof Timeline> & Versioned;

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

