import * as z from 'zod';
import { Amount, Capacity, DateSpan, developmentShape, PlainText, Slug } from './development';

/**
 * Catalog v1 of Storyline's events: one zod schema per type, each with its current schema version.
 * Older schema versions live in ./upcasters.ts.
 */

export const EventId = z.uuid();

const development = <T extends z.ZodRawShape>(shape: T) => z.object({ ...developmentShape, ...shape }).strict();

export const StoryOpened = z
  .object({ storyId: Slug, title: PlainText(300), summary: PlainText(10000), topics: z.array(Slug).max(50) })
  .strict();

export const ActorIdentified = z
  .object({
    actorId: Slug,
    name: PlainText(200),
    aliases: z.array(PlainText(200)).max(50),
    kind: z.enum(['person', 'organisation', 'outlet', 'country']),
    role: PlainText(300).optional(),
    country: PlainText(100).optional(),
  })
  .strict();

export const VisitPlanned = development({
  visitId: Slug,
  visitors: z.array(Slug).min(1).max(50),
  destination: PlainText(200),
  scheduled: DateSpan,
  purpose: PlainText(1000).optional(),
});

export const VisitRescheduled = development({ visitId: Slug, scheduled: DateSpan });

export const VisitCancelled = development({ visitId: Slug, reason: PlainText(1000).optional() });

/** A visit that took place; `visitors` and `destination` are required when it was never planned (an unscheduled visit). */
export const VisitTookPlace = development({
  visitId: Slug,
  visitors: z.array(Slug).min(1).max(50).optional(),
  destination: PlainText(200).optional(),
});

export const MeetingHeld = development({
  meetingId: Slug,
  participants: z.array(Slug).min(1).max(100),
  place: PlainText(200),
  outcome: PlainText(2000),
});

export const AgreementSigned = development({
  agreementId: Slug,
  kind: z.enum(['mou', 'agreement']),
  title: PlainText(300),
  parties: z.array(Slug).min(2).max(50),
  sector: Slug,
});

export const AssistancePledged = development({
  pledgeId: Slug,
  from: Slug,
  to: Slug,
  purpose: PlainText(1000),
  amount: Amount.optional(),
  capacity: Capacity.optional(),
  agreementId: Slug.optional(),
}).refine((p) => p.amount !== undefined || p.capacity !== undefined, { path: ['amount'], message: 'an amount or a capacity is required' });

export const InterestExpressed = development({
  interestId: Slug,
  party: Slug,
  project: PlainText(300),
  terms: PlainText(1000).optional(),
});

export const NegotiationStalled = development({
  project: PlainText(300),
  parties: z.array(Slug).min(1).max(50),
});

export const CommentaryPublished = development({
  outlet: Slug,
  quote: PlainText(5000),
  speaker: PlainText(300).optional(),
});

/** The fields of a development that a correction may change. */
export const CorrectableFields = z.object(developmentShape).partial().strict();

export const DevelopmentCorrected = z
  .object({
    eventId: EventId,
    changes: CorrectableFields.refine((c) => Object.keys(c).length > 0, 'must change at least one field'),
    note: PlainText(2000),
  })
  .strict();

export const DevelopmentRetracted = z.object({ eventId: EventId, reason: PlainText(2000) }).strict();

export const DigestPeriod = z.enum(['daily', 'weekly']);

export const DigestPublished = z
  .object({
    digestId: Slug,
    period: DigestPeriod,
    window: z.object({ start: z.iso.datetime(), end: z.iso.datetime(), timezone: z.string().min(1) }).strict(),
    developments: z.array(z.object({ storyId: Slug, eventId: EventId }).strict()),
    corrections: z.array(z.object({ storyId: Slug, eventId: EventId, correctedEventId: EventId }).strict()),
    /** The digest as composed (events/digest), stored so that it renders the same forever. */
    content: z.record(z.string(), z.unknown()),
  })
  .strict();

/** Every event type with its schema and current schema version. */
export const catalog = {
  StoryOpened: { schemaVersion: 1, schema: StoryOpened },
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
const developmentTypes = [
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
export type Development = DevelopmentEvent['data'];

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
