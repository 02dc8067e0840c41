import * as z from 'zod/mini';
import { Confidence, DateSpan, Slug, Source } from '../catalog/development';
import { DigestPeriod, EventId } from '../catalog/events';
import { Instant } from './versioned-schema';

/**
 * A digest as composed when it was published (events/digest/compose.ts), stored in its
 * DigestPublished event and in its document (./digests.ts), so that it renders the same forever.
 */

const reportedEarlier = z.optional(z.literal(true).check(z.describe('reported before the window, recorded in it: carried here as it was in no earlier digest')));

export const DigestWindow = z.object({ start: Instant, end: Instant, timezone: z.string() });

export const DigestDevelopment = z.object({
  eventId: EventId,
  type: z.string(),
  headline: z.string(),
  summary: z.string(),
  occurred: DateSpan,
  confidence: Confidence,
  sources: z.array(Source),
  reportedAt: Instant,
  topics: z.optional(z.array(z.string()).check(z.describe('every topic of the development (listed under the first); absent in digests composed before subscriptions'))),
  reportedEarlier,
});

export const DigestChange = z.object({
  kind: z.enum(['correction', 'retraction']),
  storyId: Slug,
  storyTitle: z.string(),
  eventId: EventId.check(z.describe("the correction's or retraction's event id")),
  correctedEventId: EventId,
  headline: z.string(),
  note: z.string(),
  reportedAt: Instant,
  reportedEarlier,
  topics: z.optional(z.array(z.string()).check(z.describe('the topics of the development it changes; absent in older digests'))),
});

export const DigestContent = z.object({
  title: z.string(),
  summary: z.string(),
  period: DigestPeriod,
  window: DigestWindow,
  stories: z.array(z.object({ storyId: Slug, title: z.string(), topics: z.array(z.object({ topic: z.string(), developments: z.array(DigestDevelopment) })) })),
  changes: z.array(DigestChange),
  counts: z.object({ stories: z.int(), developments: z.int(), reportedEarlier: z.int(), corrections: z.int(), retractions: z.int() }),
  sections: z
    .array(z.object({ title: z.string(), items: z.array(z.object({ title: z.string(), summary: z.optional(z.string()) })) }))
    .check(z.describe('the generic shape feed renderers show: one section per story, then one for the changes')),
});

/** One digest as GET /digests/{period}/{windowEnd} serves it: its id, its event's id, and what was composed. */
export const Digest = z.extend(DigestContent, { digestId: z.string(), eventId: EventId });
