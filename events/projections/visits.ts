import type * as z from 'zod/mini';
import type { RecordedEvent } from '../catalog/events';
import { VISIT_STATUS_AFTER, isVisitEventType } from '../catalog/visit-status';
import { storyIdOf } from '../streams';
import { withChanges } from './entry';
import { storyIdOfKey, visitsKey } from './keys';
import { guarded, type Projection, type Versioned } from './projection';
import { entryById } from './timeline';
import type { Visit as VisitSchema, Visits, VisitStep as VisitStepSchema } from './visits-schema';

/**
 * Visits of a story: each visit's lifecycle (planned, rescheduled, cancelled, took place). A visit
 * keeps every event about it as a step; its status, schedule and the rest are derived from the
 * steps that are not retracted, so a retracted cancellation leaves the visit planned again.
 */

export type VisitStep = z.infer<typeof VisitStepSchema>;
export type Visit = z.infer<typeof VisitSchema>;

/** The stored visits: their schema (./visits-schema.ts) and the versions applied. */
export type VisitsModel = z.infer<typeof Visits> & Versioned;

const lastWith = <K extends keyof VisitStep>(steps: VisitStep[], field: K): VisitStep[K] | undefined =>
  steps.reduce<VisitStep[K] | undefined>((found, step) => step[field] ?? found, undefined);

const deriveVisit = (visitId: string, steps: VisitStep[]): Visit => {
  const live = steps.filter((step) => !step.retracted);
  const basis = live.length > 0 ? live : steps;
  const last = basis[basis.length - 1];
  const status = last ? VISIT_STATUS_AFTER[last.type] : 'planned';
  const schedule = basis.flatMap((step) => (step.scheduled ? [{ scheduled: step.scheduled, eventId: step.eventId, reportedAt: step.reportedAt }] : []));
  const tookPlace = basis.find((step) => step.type === 'VisitTookPlace');
  const cancelled = status === 'cancelled' ? last : undefined;
  const visit: Visit = {
    visitId,
    status,
    visitors: lastWith(basis, 'visitors') ?? [],
    schedule,
    headline: last?.headline ?? '',
    withdrawn: live.length === 0,
    eventIds: steps.map((step) => step.eventId),
    steps,
  };
  const destination = lastWith(basis, 'destination');
  const purpose = lastWith(basis, 'purpose');
  const scheduled = schedule[schedule.length - 1]?.scheduled;
  if (destination !== undefined) visit.destination = destination;
  if (purpose !== undefined) visit.purpose = purpose;
  if (scheduled !== undefined) visit.scheduled = scheduled;
  if (tookPlace) visit.occurred = tookPlace.occurred;
  if (cancelled?.reason !== undefined) visit.reason = cancelled.reason;
  return visit;
};

const stepOf = (event: RecordedEvent): { visitId: string; step: VisitStep } | undefined => {
  const base = { eventId: event.id, version: event.version, reportedAt: event.reportedAt };
  switch (event.type) {
    case 'VisitPlanned': {
      const { visitId, visitors, destination, scheduled, purpose, headline, occurred } = event.data;
      return { visitId, step: { ...base, type: event.type, headline, occurred, visitors, destination, scheduled, ...(purpose !== undefined ? { purpose } : {}) } };
    }
    case 'VisitRescheduled': {
      const { visitId, scheduled, headline, occurred } = event.data;
      return { visitId, step: { ...base, type: event.type, headline, occurred, scheduled } };
    }
    case 'VisitCancelled': {
      const { visitId, reason, headline, occurred } = event.data;
      return { visitId, step: { ...base, type: event.type, headline, occurred, ...(reason !== undefined ? { reason } : {}) } };
    }
    case 'VisitTookPlace': {
      const { visitId, visitors, destination, headline, occurred } = event.data;
      return {
        visitId,
        step: { ...base, type: event.type, headline, occurred, ...(visitors !== undefined ? { visitors } : {}), ...(destination !== undefined ? { destination } : {}) },
      };
    }
    default:
      return undefined;
  }
};

/** The model with the step of `eventId` (wherever it is) changed by `change`. */
const changeStep = (model: VisitsModel, eventId: string, change: (step: VisitStep) => VisitStep): VisitsModel => {
  const index = model.visits.findIndex((visit) => visit.eventIds.includes(eventId));
  const visit = model.visits[index];
  if (!visit) return model;
  const steps = visit.steps.map((step) => (step.eventId === eventId ? change(step) : step));
  return { ...model, visits: model.visits.map((v, i) => (i === index ? deriveVisit(visit.visitId, steps) : v)) };
};

const apply = (model: VisitsModel, event: RecordedEvent): VisitsModel => {
  if (event.type === 'DevelopmentCorrected') return changeStep(model, event.data.eventId, (step) => ({ ...withChanges(step, event.data.changes), corrections: (step.corrections ?? 0) + 1 }));
  if (event.type === 'DevelopmentRetracted') return changeStep(model, event.data.eventId, (step) => ({ ...step, retracted: { reason: event.data.reason, at: event.reportedAt } }));
  const found = stepOf(event);
  if (!found) return model;
  const index = model.visits.findIndex((visit) => visit.visitId === found.visitId);
  const existing = model.visits[index];
  if (!existing) return { ...model, visits: [...model.visits, deriveVisit(found.visitId, [found.step])] };
  const updated = deriveVisit(found.visitId, [...existing.steps, found.step]);
  return { ...model, visits: model.visits.map((visit, i) => (i === index ? updated : visit)) };
};

export const initialVisits = (storyId: string): VisitsModel => ({ storyId, visits: [], applied: {} });

export const visitsProjection: Projection<VisitsModel> = {
  name: 'visits',
  keysOf: (event, story) => {
    const storyId = storyIdOf(event.streamId);
    if (storyId === undefined) return [];
    if (isVisitEventType(event.type)) return [visitsKey(storyId)];
    if (event.type === 'DevelopmentCorrected' || event.type === 'DevelopmentRetracted') {
      // without the story we cannot tell whether the target is a visit: ask for the document anyway
      const target = story ? entryById(story, event.data.eventId) : undefined;
      return !story || (target && isVisitEventType(target.type)) ? [visitsKey(storyId)] : [];
    }
    return [];
  },
  initial: (key) => initialVisits(storyIdOfKey(key) ?? ''),
  evolve: guarded(apply),
};
