import type * as z from 'zod/mini';
import type { TimelineEntry } from './entry';
import type { StoryActor as StoryActorSchema, StoryTotals as StoryTotalsSchema, Timeline } from './timeline-schema';
import type { Versioned } from './versioned';

/** The timeline document of a story, which the projector hands to every projection as `story` (its projection: ./timeline.ts). */

export type StoryActor = z.infer<typeof StoryActorSchema>;

export type StoryTotals = z.infer<typeof StoryTotalsSchema>;

/** The stored timeline: what the API serves (./timeline-schema.ts), its totals and the versions it applied. */
export type TimelineModel = z.infer<typeof Timeline> & Versioned & { totals: StoryTotals };

export const initialTimeline = (storyId: string): TimelineModel => ({
  storyId,
  title: '',
  summary: '',
  topics: [],
  actors: [],
  entries: [],
  totals: { developments: 0, actors: [] },
  version: 0,
  updatedAt: '',
  applied: {},
});

export const entryById = (model: TimelineModel, eventId: string): TimelineEntry | undefined => model.entries.find((entry) => entry.id === eventId);

