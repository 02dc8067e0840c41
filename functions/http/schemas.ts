import { Slug } from '../../events/catalog/development';
import { DigestPeriod, EventId } from '../../events/catalog/events';
import { Actor, StoryActors } from '../../events/projections/actors-schema';
import { AgreementsByStatus } from '../../events/projections/agreements-schema';
import { Digest } from '../../events/projections/digests-schema';
import { StoryList } from '../../events/projections/stories-schema';
import { Timeline } from '../../events/projections/timeline-schema';
import { Instant, Version } from '../../events/projections/versioned-schema';
import { Visits } from '../../events/projections/visits-schema';
import * as z from 'zod/mini';
import { AppendRequest, OpenStory } from './request-schemas';

/**
 * Request and response bodies of the HTTP API; /openapi.json is generated from these and
 * contracts/routes.ts (each route names its schemas). The read models' schemas are their
 * projections' own (events/projections/*-schema.ts, which their types are inferred from): named
 * here, never retyped. A response schema lists every field a response can have (no others are
 * allowed) and requires only those every response has: the e2e tests check each response they get
 * against the generated document (test/support/openapi-check.ts).
 */

export const AppendResult = z.object({
  storyId: Slug,
  version: z.int(),
  events: z.array(z.object({ id: EventId, version: z.int(), type: z.string() })),
});

export const Health = z.object({ status: z.literal('ok') });

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
  Agreements: AgreementsByStatus,
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
