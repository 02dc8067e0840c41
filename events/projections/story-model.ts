import type * as z from 'zod/mini';
import type { TimelineEntry } from './entry';
import type { StoryActor as StoryActorSchema, Timeline } from './timeline-schema';
import type { Versioned } from './versioned';

/** The timeline document of a story, which the projector hands to every projection as `story` (its projection: ./timeline.ts). */

export type StoryActor = z.infer<typeof StoryActorSchema>;

/**
 * What the whole story holds, kept beside its entries: a batch that reads only the chunks of the
 * timeline it changes (functions/projector.ts) still knows it. Not served (`storyTimeline` leaves it out).
 */
export interface StoryTotals {
  /** How many developments the story has recorded. */
  developments: number;
  /** Every actor a development of the story has involved at any time (its original or a correction), sorted. */
  actors: string[];
}

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

