import ical, { ICalEventStatus } from 'ical-generator';
import type { VisitEvent } from '../../events/projections';

/**
 * Visits as an iCalendar document (RFC 5545), written by ical-generator: one all-day VEVENT per
 * visit with a stable UID, a SEQUENCE that rises with each change and a STATUS, so a subscribed
 * calendar moves a rescheduled visit and strikes a cancelled one.
 */

export const ICS_CONTENT_TYPE = 'text/calendar; charset=utf-8';

const STATUS: Record<VisitEvent['status'], ICalEventStatus> = {
  TENTATIVE: ICalEventStatus.TENTATIVE,
  CONFIRMED: ICalEventStatus.CONFIRMED,
  CANCELLED: ICalEventStatus.CANCELLED,
};

const utcDay = (day: string): Date => new Date(`${day}T00:00:00.000Z`);

/** `url` of each event: the page it links to (absolute). */
export const renderVisitsCalendar = (name: string, events: readonly VisitEvent[], url: (event: VisitEvent) => string): string => {
  const calendar = ical({ name, prodId: { company: 'Storyline', product: 'Storyline visits', language: 'EN' }, ttl: 60 * 60 });
  const ordered = [...events].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.uid < b.uid ? -1 : 1));
  for (const event of ordered) {
    const changed = new Date(event.changed);
    calendar.createEvent({
      id: event.uid,
      sequence: event.sequence,
      status: STATUS[event.status],
      allDay: true,
      start: utcDay(event.start),
      end: utcDay(event.end),
      summary: event.summary,
      description: event.description,
      // DTSTAMP from the data, not the clock: the same visits give the same bytes (and ETag)
      stamp: changed,
      lastModified: changed,
      url: url(event),
    });
  }
  return calendar.toString();
};
