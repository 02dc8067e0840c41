/**
 * A visit's lifecycle, one definition for the decider (which refuses what a status does not allow)
 * and the visits projection (which shows it): the status a visit is in after each visit event.
 */

export const VISIT_EVENT_TYPES = ['VisitPlanned', 'VisitRescheduled', 'VisitCancelled', 'VisitTookPlace'] as const;
export const VISIT_STATUSES = ['planned', 'rescheduled', 'cancelled', 'took-place'] as const;
export type VisitEventType = (typeof VISIT_EVENT_TYPES)[number];
export type VisitStatus = (typeof VISIT_STATUSES)[number];

export const VISIT_STATUS_AFTER: Readonly<Record<VisitEventType, VisitStatus>> = {
  VisitPlanned: 'planned',
  VisitRescheduled: 'rescheduled',
  VisitCancelled: 'cancelled',
  VisitTookPlace: 'took-place',
};

export const isVisitEventType = (type: string): type is VisitEventType => Object.hasOwn(VISIT_STATUS_AFTER, type);

/** A visit can be rescheduled or cancelled only while it is still to come. */
export const isUpcoming = (status: VisitStatus | undefined): boolean => status === 'planned' || status === 'rescheduled';
