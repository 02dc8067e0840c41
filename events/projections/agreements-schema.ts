import * as z from 'zod/mini';
import { Amount, Capacity, developmentShape, Slug } from '../catalog/development';
import { agreementTypes, EventId } from '../catalog/events';
import { Instant, passedOver, Version } from './versioned-schema';

/** The agreements and pledges of a story (./agreements.ts projects them). */

export const AgreementItem = z.object({
  ...developmentShape,
  id: z.string().check(z.describe('the agreement, pledge or interest id; a stalled negotiation has none, so its event id')),
  kind: z.enum(['mou', 'agreement', 'pledge', 'interest', 'stalled']),
  status: z.enum(['signed', 'pledged', 'interest', 'stalled']),
  title: z.string().check(z.describe("the agreement's title, the pledge's purpose, the project of an interest or a stalled negotiation")),
  parties: z.array(z.string()),
  sector: z.optional(z.string()),
  purpose: z.optional(z.string()),
  project: z.optional(z.string()),
  terms: z.optional(z.string()),
  amount: z.optional(Amount),
  capacity: z.optional(Capacity),
  agreementId: z.optional(z.string().check(z.describe('the agreement a pledge was made under'))),
  eventId: EventId,
  eventType: z.enum(agreementTypes),
  version: Version,
  reportedAt: Instant,
  corrections: z.array(z.object({ eventId: EventId, note: z.string(), at: Instant })).check(z.describe('oldest first')),
  retracted: z.optional(z.object({ reason: z.string(), at: Instant })),
});

/** As stored: every item in timeline order (when they occurred, then version). */
export const Agreements = z.object({ storyId: Slug, items: z.array(AgreementItem), ...passedOver });

const byStatus = z.array(AgreementItem).check(z.describe('in timeline order; retracted ones included and marked'));

/** As GET /stories/{storyId}/agreements serves them: by status. */
export const AgreementsByStatus = z.object({ storyId: Slug, signed: byStatus, pledged: byStatus, interest: byStatus, stalled: byStatus });
