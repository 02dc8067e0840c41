import { Amount, Capacity, Confidence, DateSpan, developmentShape, Slug, Source } from '../../events/catalog/development';
import { ActorIdentified, CorrectableFields, DigestPeriod, EventId, StoryOpened } from '../../events/catalog/events';
import { VISIT_EVENT_TYPES, VISIT_STATUSES } from '../../events/catalog/visit-status';
import * as z from 'zod/mini';

/**
 * Request and response bodies of the HTTP API; /openapi.json is generated from these and
 * contracts/routes.ts (each route names its schemas). A response schema lists every field a response
 * can have (no others are allowed) and requires only those every response has: the e2e tests check
 * each response they get against the generated document (test/support/openapi-check.ts).
 */

export const OpenStory = z.omit(StoryOpened, { storyId: true });

export const ProposedEventBody = z.strictObject({
  id: z.optional(EventId),
  type: z.string().check(z.minLength(1), z.maxLength(100)),
  data: z.unknown(),
  reportedAt: z.optional(z.string().check(z.maxLength(40))),
});

export const AppendRequest = z.strictObject({
  expectedVersion: z.optional(z.int().check(z.gte(0))),
  events: z.array(ProposedEventBody).check(z.minLength(1)),
});

export const AppendResult = z.object({
  storyId: Slug,
  version: z.int(),
  events: z.array(z.object({ id: EventId, version: z.int(), type: z.string() })),
});

export const Health = z.object({ status: z.literal('ok') });

export const StoryList = z.object({
  stories: z.array(z.object({ storyId: Slug, title: z.string(), version: z.int(), updatedAt: z.string() })),
});

/** An ISO 8601 instant, in UTC. */
const Instant = z.string().check(z.describe('ISO 8601 instant (UTC)'));
const Version = z.int().check(z.gte(0));

/** An event of the log as this version reads it. */
const ReadableEvent = z.object({
  version: Version,
  id: EventId,
  type: z.string(),
  schemaVersion: z.int(),
  recordedAt: Instant,
  reportedAt: Instant,
  data: z.unknown(),
  metadata: z.object({ subject: z.string(), correlationId: z.string(), idempotencyKey: z.optional(z.string()) }),
});

/** An event this version cannot read (a newer writer's type, or damaged data): what can be said of it. */
const UnreadableEvent = z.object({
  version: Version,
  id: z.string(),
  type: z.string(),
  recordedAt: Instant,
  unreadable: z.string().check(z.describe('why this version cannot read the event')),
});

export const EventPage = z.object({
  storyId: Slug,
  events: z.array(z.union([ReadableEvent, UnreadableEvent])),
  next: z.optional(z.string()),
});

/** An event a projection passed over (unreadable, or one it failed on). */
const PassedOver = z.object({ version: Version, id: z.string(), type: z.string(), recordedAt: Instant, reason: z.string() });
const passedOver = { passedOver: z.optional(z.array(PassedOver)) };

const DevelopmentFields = z.object(developmentShape);

const TimelineEntry = z.object({
  ...developmentShape,
  id: EventId,
  version: Version,
  type: z.string(),
  /** What only this type of development says (visit id, amount, parties...). */
  details: z.record(z.string(), z.unknown()),
  reportedAt: Instant,
  recordedAt: Instant,
  original: DevelopmentFields,
  corrections: z.array(z.object({ eventId: EventId, version: Version, note: z.string(), changes: CorrectableFields, recordedAt: Instant, reportedAt: Instant })),
  retracted: z.optional(z.object({ eventId: EventId, version: Version, reason: z.string(), at: Instant, recordedAt: Instant })),
});

export const Timeline = z.object({
  storyId: Slug,
  title: z.string().check(z.describe('empty until the story is opened')),
  summary: z.string(),
  topics: z.array(z.string()),
  opened: z.optional(z.object({ eventId: EventId, version: Version, recordedAt: Instant, reportedAt: Instant })),
  actors: z.array(z.extend(ActorIdentified, { eventId: EventId, version: Version, recordedAt: Instant })),
  entries: z.array(TimelineEntry),
  ...passedOver,
  version: Version,
  updatedAt: z.string(),
});

const VisitType = z.enum(VISIT_EVENT_TYPES);
const Withdrawal = z.object({ reason: z.string(), at: Instant });

export const Visits = z.object({
  storyId: Slug,
  visits: z.array(
    z.object({
      visitId: Slug,
      status: z.enum(VISIT_STATUSES),
      visitors: z.array(z.string()),
      destination: z.optional(z.string()),
      purpose: z.optional(z.string()),
      scheduled: z.optional(DateSpan),
      schedule: z.array(z.object({ scheduled: DateSpan, eventId: EventId, reportedAt: Instant })),
      occurred: z.optional(DateSpan),
      reason: z.optional(z.string()),
      headline: z.string(),
      withdrawn: z.boolean(),
      eventIds: z.array(EventId),
      steps: z.array(
        z.object({
          eventId: EventId,
          version: Version,
          type: VisitType,
          headline: z.string(),
          occurred: DateSpan,
          reportedAt: Instant,
          visitors: z.optional(z.array(z.string())),
          destination: z.optional(z.string()),
          purpose: z.optional(z.string()),
          scheduled: z.optional(DateSpan),
          reason: z.optional(z.string()),
          retracted: z.optional(Withdrawal),
        }),
      ),
    }),
  ),
  ...passedOver,
});

const AgreementItem = z.object({
  ...developmentShape,
  id: z.string(),
  kind: z.enum(['mou', 'agreement', 'pledge', 'interest', 'stalled']),
  status: z.enum(['signed', 'pledged', 'interest', 'stalled']),
  title: z.string(),
  parties: z.array(z.string()),
  sector: z.optional(z.string()),
  purpose: z.optional(z.string()),
  project: z.optional(z.string()),
  terms: z.optional(z.string()),
  amount: z.optional(Amount),
  capacity: z.optional(Capacity),
  agreementId: z.optional(z.string()),
  eventId: EventId,
  eventType: z.enum(['AgreementSigned', 'AssistancePledged', 'InterestExpressed', 'NegotiationStalled']),
  version: Version,
  reportedAt: Instant,
  corrections: z.array(z.object({ eventId: EventId, note: z.string(), at: Instant })),
  retracted: z.optional(Withdrawal),
});

/** A story's agreements, pledges, interests and stalled negotiations, by status. */
export const Agreements = z.object({
  storyId: Slug,
  signed: z.array(AgreementItem),
  pledged: z.array(AgreementItem),
  interest: z.array(AgreementItem),
  stalled: z.array(AgreementItem),
});

const ActorKind = ActorIdentified.shape.kind;
const actorProfile = {
  actorId: Slug,
  name: z.string(),
  aliases: z.array(z.string()),
  kind: z.optional(ActorKind),
  role: z.optional(z.string()),
  country: z.optional(z.string()),
  developments: z.array(
    z.object({ storyId: Slug, eventId: EventId, version: Version, type: z.string(), headline: z.string(), occurred: DateSpan, reportedAt: Instant, retracted: z.boolean() }),
  ),
};

export const StoryActors = z.object({ doc: z.literal('story-actors'), storyId: Slug, actors: z.array(z.object(actorProfile)), ...passedOver });

export const Actor = z.object({
  doc: z.literal('actor'),
  ...actorProfile,
  identifications: z.array(
    z.object({
      storyId: Slug,
      eventId: EventId,
      version: Version,
      recordedAt: Instant,
      name: z.string(),
      aliases: z.array(z.string()),
      kind: ActorKind,
      role: z.optional(z.string()),
      country: z.optional(z.string()),
    }),
  ),
  stories: z.array(Slug),
  ...passedOver,
});

const DigestDevelopment = z.object({
  eventId: EventId,
  type: z.string(),
  headline: z.string(),
  summary: z.string(),
  occurred: DateSpan,
  confidence: Confidence,
  sources: z.array(Source),
  reportedAt: Instant,
  /** Every topic of the development (listed under the first); absent in digests published before subscriptions. */
  topics: z.optional(z.array(z.string())),
  reportedEarlier: z.optional(z.literal(true)),
});

/** One digest as composed when it was published (events/digest/compose.ts). */
export const Digest = z.object({
  digestId: z.string(),
  eventId: EventId,
  title: z.string(),
  summary: z.string(),
  period: DigestPeriod,
  window: z.object({ start: Instant, end: Instant, timezone: z.string() }),
  stories: z.array(z.object({ storyId: Slug, title: z.string(), topics: z.array(z.object({ topic: z.string(), developments: z.array(DigestDevelopment) })) })),
  changes: z.array(
    z.object({
      kind: z.enum(['correction', 'retraction']),
      storyId: Slug,
      storyTitle: z.string(),
      eventId: EventId,
      correctedEventId: EventId,
      headline: z.string(),
      note: z.string(),
      reportedAt: Instant,
    }),
  ),
  counts: z.object({ stories: z.int(), developments: z.int(), reportedEarlier: z.int(), corrections: z.int(), retractions: z.int() }),
  sections: z.array(z.object({ title: z.string(), items: z.array(z.object({ title: z.string(), summary: z.optional(z.string()) })) })),
});

/** This API's own description (OpenAPI 3.1). */
export const OpenApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) });

/** RFC 9457: a problem document; members beyond these are extensions a client may ignore. */
export const Problem = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  errors: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
  currentVersion: z.optional(z.int()),
  rule: z.optional(z.string()),
  requestId: z.optional(z.string()),
});

/** Digest subscriptions (functions/handlers/subscriptions.ts): what a JSON client gets back; never an address. */
const Count = z.int().check(z.gte(0));
const PerPeriod = z.object(Object.fromEntries(DigestPeriod.options.map((period) => [period, Count])) as Record<z.infer<typeof DigestPeriod>, typeof Count>);
const SubscriptionPreferences = z.object({ period: DigestPeriod, stories: z.array(z.string()), topics: z.array(z.string()) });
export const SubscriptionAccepted = z.object({ status: z.literal('accepted'), message: z.string() });
export const SubscriptionConfirmed = z.object({ status: z.literal('confirmed'), preferences: SubscriptionPreferences });
export const UnsubscribePrompt = z.object({ unsubscribe: z.object({ method: z.literal('POST'), url: z.string() }) });
export const Unsubscribed = z.object({ status: z.literal('unsubscribed') });
const PostTo = z.object({ method: z.literal('POST'), url: z.string() });
export const ConfirmPrompt = z.object({ status: z.literal('confirm-with-post'), message: z.string(), confirm: PostTo });
export const CancelPrompt = z.object({ cancel: PostTo });
export const SignUpCancelled = z.object({ status: z.literal('cancelled') });
export const SignedOutEverywhere = z.object({ status: z.literal('signed-out') });
export const SubscriptionPreferencesBody = z.object({ preferences: SubscriptionPreferences });
export const SubscriptionCounts = z.object({
  pending: z.int().check(z.gte(0)),
  confirmed: PerPeriod,
  everything: PerPeriod,
  byStory: z.record(z.string(), PerPeriod),
  byTopic: z.record(z.string(), PerPeriod),
});

export const schemas = {
  OpenStory,
  AppendRequest,
  AppendResult,
  Health,
  StoryList,
  EventPage,
  Timeline,
  Visits,
  Agreements,
  StoryActors,
  Actor,
  Digest,
  OpenApiDocument,
  Problem,
  SubscriptionAccepted,
  SubscriptionConfirmed,
  UnsubscribePrompt,
  Unsubscribed,
  ConfirmPrompt,
  CancelPrompt,
  SignUpCancelled,
  SignedOutEverywhere,
  SubscriptionPreferencesBody,
  SubscriptionCounts,
} satisfies Record<string, z.ZodMiniType>;
