import type * as z from 'zod/mini';
import { developmentShape, type DateSpan } from '../catalog/development';
import type { CorrectableFields, DevelopmentEvent, DomainEvent, RecordedEvent } from '../catalog/events';
import { actorRefs } from '../catalog/actor-refs';
import { compareStrings, unique } from './lists';
import type { AppliedCorrection as AppliedCorrectionSchema, Retraction as RetractionSchema, TimelineEntry as TimelineEntrySchema } from './timeline-schema';

/**
 * A development as the timeline keeps it: its current fields (corrections applied), what it
 * said when first recorded, and every correction with when it was recorded, so that the story
 * as known at any instant can be computed again (./as-of.ts).
 */

/** The fields every development carries, and that a correction may change. */
export type DevelopmentFields = Required<z.infer<typeof CorrectableFields>>;
export type FieldChanges = z.infer<typeof CorrectableFields>;
type FieldName = keyof DevelopmentFields;
const FIELD_NAMES = Object.keys(developmentShape) as FieldName[];

/** A correction as the timeline applied it, a retraction, a development as the timeline keeps it: their schemas are in ./timeline-schema.ts. */
export type AppliedCorrection = z.infer<typeof AppliedCorrectionSchema>;
export type Retraction = z.infer<typeof RetractionSchema>;
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const fieldsOf = (source: DevelopmentFields): DevelopmentFields =>
  Object.fromEntries(FIELD_NAMES.map((name) => [name, source[name]])) as DevelopmentFields;

const detailsOf = (data: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(data).filter(([name]) => !(FIELD_NAMES as string[]).includes(name)));

export const entryFromEvent = (event: RecordedEvent<DevelopmentEvent>): TimelineEntry => {
  const fields = fieldsOf(event.data);
  return {
    id: event.id,
    version: event.version,
    type: event.type,
    details: detailsOf(event.data),
    ...fields,
    original: fields,
    corrections: [],
    reportedAt: event.reportedAt,
    recordedAt: event.recordedAt,
  };
};

/**
 * The one way a correction applies: each field it changes replaces that field of whatever keeps it
 * (a timeline entry, an agreement, a visit's step); a field the holder does not keep stays out.
 */
export const withChanges = <T extends Partial<DevelopmentFields>>(holder: T, changes: FieldChanges): T => {
  const changed = Object.entries(changes).filter(([name, value]) => value !== undefined && (FIELD_NAMES as string[]).includes(name) && name in holder);
  return changed.length === 0 ? holder : { ...holder, ...Object.fromEntries(changed) };
};

export const correctEntry = (entry: TimelineEntry, correction: AppliedCorrection): TimelineEntry => ({
  ...withChanges(entry, correction.changes),
  corrections: [...entry.corrections, correction],
});

export const retractEntry = (entry: TimelineEntry, retraction: Retraction): TimelineEntry => ({ ...entry, retracted: retraction });

const asDomainEvent = (entry: TimelineEntry, actors: string[]): DomainEvent =>
  ({ type: entry.type, data: { ...entry.details, ...fieldsOf(entry), actors } }) as DomainEvent;

/** Every actor the development involves now: its `actors` and those of its type (visitors, parties...). */
export const entryActors = (entry: TimelineEntry): string[] => unique(actorRefs(asDomainEvent(entry, entry.actors)));

/** Every actor the development involved at any time: where a correction must reach. */
export const everActors = (entry: TimelineEntry): string[] =>
  unique([
    ...actorRefs(asDomainEvent(entry, entry.original.actors)),
    ...entry.corrections.flatMap((correction) => correction.changes.actors ?? []),
  ]);

/** Every topic the development had at any time. */
export const everTopics = (entry: TimelineEntry): string[] =>
  unique([...entry.original.topics, ...entry.corrections.flatMap((correction) => correction.changes.topics ?? [])]);

/** The last time the entry changed (as reported): its latest correction or retraction, else when it was reported. */
export const lastChanged = (entry: TimelineEntry): string =>
  [entry.reportedAt, ...entry.corrections.map((c) => c.reportedAt), ...(entry.retracted ? [entry.retracted.at] : [])].reduce((latest, at) =>
    at > latest ? at : latest,
  );

const PRECISION_RANK = { year: 0, month: 1, day: 2 } as const;

/** When things occurred: by start (a less precise date first: `2012-10` before `2012-10-04`), then precision. */
export const compareOccurred = (a: DateSpan, b: DateSpan): number =>
  compareStrings(a.start, b.start) || PRECISION_RANK[a.precision] - PRECISION_RANK[b.precision];

/** Timeline order: when it occurred, then the order it was recorded in. */
export const compareEntries = (a: TimelineEntry, b: TimelineEntry): number => compareOccurred(a.occurred, b.occurred) || a.version - b.version;
