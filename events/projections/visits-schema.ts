import * as z from 'zod/mini';
import { DateSpan, Slug } from '../catalog/development';
import { EventId } from '../catalog/events';
import { VISIT_EVENT_TYPES, VISIT_STATUSES } from '../catalog/visit-status';
import { Instant, passedOver, Version } from './versioned-schema';

/** The visits of a story (./visits.ts projects them). */

const Withdrawal = z.object({ reason: z.string(), at: Instant });

export const VisitStep = z.object({
  eventId: EventId,
  version: Version,
  type: z.enum(VISIT_EVENT_TYPES),
  headline: z.string(),
  occurred: DateSpan,
  reportedAt: Instant,
  visitors: z.optional(z.array(z.string())),
  destination: z.optional(z.string()),
  purpose: z.optional(z.string()),
  scheduled: z.optional(DateSpan),
  reason: z.optional(z.string()),
  retracted: z.optional(Withdrawal),
  corrections: z.optional(z.int().check(z.gte(0), z.describe('how many corrections changed this step (a calendar SEQUENCE counts them)'))),
});

export const Visit = z.object({
  visitId: Slug,
  status: z.enum(VISIT_STATUSES),
  visitors: z.array(z.string()),
  destination: z.optional(z.string()),
  purpose: z.optional(z.string()),
  scheduled: z.optional(DateSpan.check(z.describe('the dates it is (or was last) scheduled for'))),
  schedule: z.array(z.object({ scheduled: DateSpan, eventId: EventId, reportedAt: Instant })).check(z.describe('the planned dates, then each reschedule')),
  occurred: z.optional(DateSpan.check(z.describe('when it took place'))),
  reason: z.optional(z.string().check(z.describe('why it was cancelled'))),
  headline: z.string().check(z.describe('the headline of its latest step')),
  withdrawn: z.boolean().check(z.describe('every step about it has been retracted')),
  eventIds: z.array(EventId),
  steps: z.array(VisitStep).check(z.describe('in version order')),
});

export const Visits = z.object({
  storyId: Slug,
  visits: z.array(Visit).check(z.describe('in the order they were first reported')),
  ...passedOver,
});
