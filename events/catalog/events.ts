import * as z from 'zod/mini';
import { ActorId, Amount, Capacity, DateSpan, developmentShape, listOf, PlainText, Slug } from './development';

/**
 * Catalog v1 of Storyline's events: one zod schema per type, each with its current schema version.
 * Older schema versions live in ./upcasters.ts.
 */

export const EventId = z.uuid();

const development = <T extends z.core.$ZodShape>(shape: T) => z.strictObject({ ...developmentShape, ...shape });

export const StoryOpened = z.strictObject({ storyId: Slug, title: PlainText(300), summary: PlainText(10000), topics: listOf(Slug, 50) });

/** A story's title, summary or topics changed: the fields it names, at least one. */
export const StoryRevised = z
  .strictObject({ title: z.optional(PlainText(300)), summary: z.optional(PlainText(10000)), topics: z.optional(listOf(Slug, 50)) })
  .check(z.refine((r) => r.title !== undefined || r.summary !== undefined || r.topics !== undefined, 'must change the title, the summary or the topics'));

export const ActorIdentified = z.strictObject({
  actorId: Slug,
  name: PlainText(200),
  aliases: listOf(PlainText(200), 50),
  kind: z.enum(['person', 'organisation', 'outlet', 'country']),
  role: z.optional(PlainText(300)),
  country: z.optional(PlainText(100)),
});

export const VisitPlanned = development({
  visitId: Slug,
  visitors: listOf(ActorId, 50, 1),
  destination: PlainText(200),
  scheduled: DateSpan,
  purpose: z.optional(PlainText(1000)),
});

export const VisitRescheduled = development({ visitId: Slug, scheduled: DateSpan });

export const VisitCancelled = development({ visitId: Slug, reason: z.optional(PlainText(1000)) });

/** A visit that took place; `visitors` and `destination` are required when it was never planned (an unscheduled visit). */
export const VisitTookPlace = development({
  visitId: Slug,
  visitors: z.optional(listOf(ActorId, 50, 1)),
  destination: z.optional(PlainText(200)),
});

export const MeetingHeld = development({
  meetingId: Slug,
  participants: listOf(ActorId, 100, 1),
  place: PlainText(200),
  outcome: PlainText(2000),
});

export const AgreementSigned = development({
  agreementId: Slug,
  kind: z.enum(['mou', 'agreement']),
  title: PlainText(300),
  parties: listOf(ActorId, 50, 2),
  sector: Slug,
});

export const AssistancePledged = development({
  pledgeId: Slug,
  from: ActorId,
  to: ActorId,
  purpose: PlainText(1000),
  amount: z.optional(Amount),
  capacity: z.optional(Capacity),
  agreementId: z.optional(Slug),
}).check(z.refine((p) => p.amount !== undefined || p.capacity !== undefined, { path: ['amount'], message: 'an amount or a capacity is required' }));

export const InterestExpressed = development({
  interestId: Slug,
  party: ActorId,
  project: PlainText(300),
  terms: z.optional(PlainText(1000)),
});

export const NegotiationStalled = development({
  project: PlainText(300),
  parties: listOf(ActorId, 50, 1),
});

export const CommentaryPublished = development({
  outlet: ActorId,
  quote: PlainText(5000),
  speaker: z.optional(PlainText(300)),
});

/** The fields of a development that a correction may change. */
export const CorrectableFields = z.partial(z.strictObject(developmentShape));

export const DevelopmentCorrected = z.strictObject({
  eventId: EventId,
  changes: CorrectableFields.check(z.refine((c) => Object.keys(c).length > 0, 'must change at least one field')),
  note: PlainText(2000),
});

export const DevelopmentRetracted = z.strictObject({ eventId: EventId, reason: PlainText(2000) });

export const DigestPeriod = z.enum(['daily', 'weekly']);

export const DigestPublished = z.strictObject({
  digestId: Slug,
  period: DigestPeriod,
  window: z.strictObject({ start: z.iso.datetime(), end: z.iso.datetime(), timezone: z.string().check(z.minLength(1)) }),
  developments: z.array(z.strictObject({ storyId: Slug, eventId: EventId })),
  corrections: z.array(z.strictObject({ storyId: Slug, eventId: EventId, correctedEventId: EventId })),
  /** The digest as composed (events/digest), stored so that it renders the same forever. */
  content: z.record(z.string(), z.unknown()),
});

/** Every event type with its schema and current schema version. */
export const catalog = {
  StoryOpened: { schemaVersion: 1, schema: StoryOpened },
  StoryRevised: { schemaVersion: 1, schema: StoryRevised },
  ActorIdentified: { schemaVersion: 1, schema: ActorIdentified },
  VisitPlanned: { schemaVersion: 1, schema: VisitPlanned },
  VisitRescheduled: { schemaVersion: 1, schema: VisitRescheduled },
  VisitCancelled: { schemaVersion: 1, schema: VisitCancelled },
  VisitTookPlace: { schemaVersion: 1, schema: VisitTookPlace },
  MeetingHeld: { schemaVersion: 1, schema: MeetingHeld },
  AgreementSigned: { schemaVersion: 1, schema: AgreementSigned },
  AssistancePledged: { schemaVersion: 2, schema: AssistancePledged },
  InterestExpressed: { schemaVersion: 1, schema: InterestExpressed },
  NegotiationStalled: { schemaVersion: 1, schema: NegotiationStalled },
  CommentaryPublished: { schemaVersion: 1, schema: CommentaryPublished },
  DevelopmentCorrected: { schemaVersion: 1, schema: DevelopmentCorrected },
  DevelopmentRetracted: { schemaVersion: 1, schema: DevelopmentRetracted },
  DigestPublished: { schemaVersion: 1, schema: DigestPublished },
} as const;

type Catalog = typeof catalog;
export type EventType = keyof Catalog;
export const eventTypes = Object.keys(catalog) as EventType[];

/** A domain event: `{ type, data }`, discriminated by type. */
export type DomainEvent = { [K in EventType]: { type: K; data: z.infer<Catalog[K]['schema']> } }[EventType];
export type EventOf<K extends EventType> = Extract<DomainEvent, { type: K }>;
export type EventData<K extends EventType> = EventOf<K>['data'];

/** Types that are developments of a story (they carry headline, summary, occurred...). */
export const developmentTypes = [
  'VisitPlanned',
  'VisitRescheduled',
  'VisitCancelled',
  'VisitTookPlace',
  'MeetingHeld',
  'AgreementSigned',
  'AssistancePledged',
  'InterestExpressed',
  'NegotiationStalled',
  'CommentaryPublished',
] as const satisfies readonly EventType[];
export type DevelopmentType = (typeof developmentTypes)[number];
export type DevelopmentEvent = EventOf<DevelopmentType>;

/** The developments that are agreements, pledges, interests and stalled negotiations (events/projections/agreements.ts). */
export const agreementTypes = ['AgreementSigned', 'AssistancePledged', 'InterestExpressed', 'NegotiationStalled'] as const satisfies readonly DevelopmentType[];

export const isDevelopment = (event: DomainEvent): event is DevelopmentEvent =>
  (developmentTypes as readonly string[]).includes(event.type);

/** Who appended an event and why; recorded by the event store, never by the client. */
export interface EventMetadata {
  /** The subject (`sub`) of the token that appended it. */
  subject: string;
  correlationId: string;
  idempotencyKey?: string;
}

/** An event as stored in a stream. */
export type RecordedEvent<E extends DomainEvent = DomainEvent> = E & {
  streamId: string;
  version: number;
  id: string;
  schemaVersion: number;
  /** Server time (UTC, ISO 8601) when the event store accepted it. */
  recordedAt: string;
  /** When the source reported the development (never in the future); defaults to recordedAt. */
  reportedAt: string;
  metadata: EventMetadata;
};
