import * as z from 'zod/mini';
import { developmentShape, Slug } from '../catalog/development';
import { ActorIdentified, CorrectableFields, developmentTypes, EventId } from '../catalog/events';
import { Instant, passedOver, Version } from './versioned-schema';

/** The timeline of a story as the API serves it (./timeline.ts projects it; the stored document adds `applied`). */

const DevelopmentFields = z.object(developmentShape);

export const AppliedCorrection = z.object({ eventId: EventId, version: Version, note: z.string(), changes: CorrectableFields, recordedAt: Instant, reportedAt: Instant });

export const Retraction = z.object({
  eventId: EventId,
  version: Version,
  reason: z.string(),
  at: Instant.check(z.describe('when the retraction was reported')),
  recordedAt: Instant,
});

/** A development as the timeline keeps it: its fields now, as first recorded, and every correction. */
export const TimelineEntry = z.object({
  ...developmentShape,
  id: EventId,
  version: Version,
  type: z.enum(developmentTypes),
  details: z.record(z.string(), z.unknown()).check(z.describe('what only this type of development says (visit id, amount, parties...)')),
  reportedAt: Instant,
  recordedAt: Instant,
  original: DevelopmentFields,
  corrections: z.array(AppliedCorrection).check(z.describe('oldest first')),
  retracted: z.optional(Retraction),
});

export const StoryActor = z.extend(ActorIdentified, { eventId: EventId, version: Version, recordedAt: Instant });

/**
 * What the whole story holds, kept beside its entries in the stored timeline (not served): a batch
 * that reads only the chunks of the timeline it changes (functions/projector.ts) still knows it.
 */
export const StoryTotals = z.object({
  developments: z.int().check(z.gte(0), z.describe('how many developments the story has recorded')),
  actors: z.array(Slug).check(z.describe('every actor a development of the story involved at any time (its original or a correction), sorted')),
});

export const Timeline = z.object({
  storyId: Slug,
  title: z.string().check(z.describe('empty until the story is opened')),
  summary: z.string(),
  topics: z.array(z.string()),
  opened: z.optional(z.object({ eventId: EventId, version: Version, recordedAt: Instant, reportedAt: Instant })),
  revised: z.optional(z.object({ version: Version, recordedAt: Instant }).check(z.describe('the last revision of the title or summary'))),
  actors: z.array(StoryActor).check(z.describe('in the order they were identified')),
  entries: z.array(TimelineEntry).check(z.describe('ordered by when they occurred (start, precision), then version')),
  ...passedOver,
  version: Version.check(z.describe('the last version applied')),
  updatedAt: z.string().check(z.describe('when the last version applied was recorded')),
});
