import type { DigestPeriod } from '../events/digest/period';

/**
 * The one declaration of the digest schedules. The CDK stack turns each into an EventBridge
 * Scheduler cron expression; the local scheduler computes its firings from the same fields.
 */
export interface DigestSchedule {
  period: DigestPeriod;
  /** IANA timezone the schedule runs in */
  timezone: string;
  hour: number;
  minute: number;
  /** weekly only: 1 = Monday ... 7 = Sunday (ISO) */
  isoWeekday?: number;
}

export const digestSchedules: DigestSchedule[] = [
  { period: 'daily', timezone: 'UTC', hour: 6, minute: 0 },
  { period: 'weekly', timezone: 'UTC', hour: 6, minute: 0, isoWeekday: 1 },
];

/**
 * The schedules as they fire: in the zone the deployment (the CDK `timezone` setting) or the local
 * runtime (`STORYLINE_DIGEST_TIMEZONE`) names, else in the zone each declares.
 */
export const digestSchedulesIn = (timezone: string | undefined): DigestSchedule[] =>
  timezone === undefined ? digestSchedules : digestSchedules.map((schedule) => ({ ...schedule, timezone }));

/**
 * What each firing hands the digest function: EventBridge Scheduler's target input, the local
 * scheduler's call. `timezone` is the zone the schedule fires in, so that the function computes the
 * window the schedule closes in that zone (absent: the declared zone of the period).
 */
export interface DigestFiring {
  period: string;
  /** ISO 8601 instant the firing was scheduled for (`<aws.scheduler.scheduled-time>`) */
  scheduledTime: string;
  timezone?: string;
}
