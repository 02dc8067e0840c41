/**
 * The one declaration of the digest schedules. The CDK stack turns each into an EventBridge
 * Scheduler cron expression; the local scheduler computes its firings from the same fields.
 */
export interface DigestSchedule {
  period: 'daily' | 'weekly';
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
