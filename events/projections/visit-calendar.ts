import type { DateSpan } from '../catalog/development';
import type { ActorModel } from './actors';
import type { Visit, VisitsModel } from './visits';

/**
 * Visits as calendar events (RFC 5545), before any format: which days, which status, which
 * revision. Pure: functions/render/ics.ts writes them as iCalendar.
 */

export type CalendarStatus = 'TENTATIVE' | 'CONFIRMED' | 'CANCELLED';

export interface VisitEvent {
  /** Stable whatever changes: from the story and the visit id. */
  uid: string;
  storyId: string;
  visitId: string;
  /** Rises with each change to the visit: a step, a correction of a step, a retraction. */
  sequence: number;
  status: CalendarStatus;
  summary: string;
  description: string;
  /** All-day dates (YYYY-MM-DD); `end` is exclusive, as iCalendar's DTEND of an all-day event. */
  start: string;
  end: string;
  /** When the visit last changed, as reported (ISO instant): DTSTAMP and LAST-MODIFIED. */
  changed: string;
  /** The precision of the dates: `day` unless only the month or year is known. */
  precision: DateSpan['precision'];
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDay = (y: number, m: number, d: number): string => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);

/**
 * The days a span covers, as an all-day start and an exclusive end: a day span ends the day after
 * its last day (2-3 October ends on 4 October), a month span covers its months, a year span its years.
 */
export const allDaySpan = (span: DateSpan): { start: string; end: string } => {
  const [sy = 1970, sm = 1, sd = 1] = span.start.split('-').map(Number);
  const [ey = sy, em = sm, ed = sd] = (span.end ?? span.start).split('-').map(Number);
  switch (span.precision) {
    case 'day':
      return { start: isoDay(sy, sm, sd), end: isoDay(ey, em, ed + 1) };
    case 'month':
      return { start: `${sy}-${pad(sm)}-01`, end: isoDay(ey, em + 1, 1) };
    case 'year':
      return { start: `${sy}-01-01`, end: `${ey + 1}-01-01` };
    default: {
      const unreachable: never = span.precision;
      return unreachable;
    }
  }
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthName = (yyyyMm: string) => `${MONTHS[Number(yyyyMm.slice(5, 7)) - 1] ?? ''} ${yyyyMm.slice(0, 4)}`;

/** What a reader is told of a span known only to the month or year. */
export const precisionNote = (span: DateSpan): string | undefined => {
  const range = (show: (s: string) => string) => (span.end && span.end !== span.start ? `${show(span.start)} to ${show(span.end)}` : show(span.start));
  if (span.precision === 'month') return `The day is not known: only the month (${range(monthName)}).`;
  if (span.precision === 'year') return `The day is not known: only the year (${range((s) => s)}).`;
  return undefined;
};

const STATUS_OF: Record<Visit['status'], CalendarStatus> = { planned: 'TENTATIVE', rescheduled: 'TENTATIVE', 'took-place': 'CONFIRMED', cancelled: 'CANCELLED' };
const STATUS_TEXT: Record<Visit['status'], string> = { planned: 'Planned', rescheduled: 'Rescheduled', 'took-place': 'Took place', cancelled: 'Cancelled' };

export const visitUid = (storyId: string, visitId: string): string => `${visitId}.${storyId}@storyline`;

/** One visit as a calendar event: the dates it took place on, else those it is (or was last) scheduled for. */
export const visitEvent = (storyId: string, visit: Visit): VisitEvent => {
  const first = visit.steps[0];
  const span = visit.occurred ?? visit.scheduled ?? first?.occurred ?? { start: '1970', precision: 'year' as const };
  const changes = visit.steps.reduce((count, step) => count + 1 + (step.corrections ?? 0) + (step.retracted ? 1 : 0), 0);
  const changed = visit.steps.reduce((latest, step) => [step.reportedAt, step.retracted?.at ?? ''].reduce((a, b) => (b > a ? b : a), latest), '');
  const lines = [
    visit.withdrawn ? 'Withdrawn: every report of this visit was retracted.' : `${STATUS_TEXT[visit.status]}: ${visit.headline}`,
    precisionNote(span),
    visit.purpose === undefined ? undefined : `Purpose: ${visit.purpose}`,
    visit.reason === undefined ? undefined : `Reason for the cancellation: ${visit.reason}`,
    visit.visitors.length === 0 ? undefined : `Visitors: ${visit.visitors.join(', ')}`,
    visit.schedule.length > 1 ? `Rescheduled ${visit.schedule.length - 1} time${visit.schedule.length === 2 ? '' : 's'}.` : undefined,
  ];
  return {
    uid: visitUid(storyId, visit.visitId),
    storyId,
    visitId: visit.visitId,
    sequence: Math.max(0, changes - 1),
    status: visit.withdrawn ? 'CANCELLED' : STATUS_OF[visit.status],
    summary: first?.headline ?? visit.headline,
    description: lines.filter((line): line is string => line !== undefined).join('\n'),
    ...allDaySpan(span),
    changed: changed || '1970-01-01T00:00:00.000Z',
    precision: span.precision,
  };
};

export const storyVisitEvents = (model: VisitsModel): VisitEvent[] => model.visits.map((visit) => visitEvent(model.storyId, visit));

/** The stories whose visits involve an actor, from the actor's developments. */
export const actorVisitStories = (actor: ActorModel): string[] => [...new Set(actor.developments.filter((d) => d.type.startsWith('Visit')).map((d) => d.storyId))];

/** The visits of these stories that involve the actor (as a visitor, or named in any step). */
export const actorVisitEvents = (actor: ActorModel, models: readonly VisitsModel[]): VisitEvent[] => {
  const eventIds = new Set(actor.developments.map((d) => d.eventId));
  return models.flatMap((model) =>
    model.visits.filter((visit) => visit.visitors.includes(actor.actorId) || visit.eventIds.some((id) => eventIds.has(id))).map((visit) => visitEvent(model.storyId, visit)),
  );
};
