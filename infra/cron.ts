import type { DigestSchedule } from '../contracts/schedules';

const eventBridgeDays = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** EventBridge Scheduler cron: `cron(minutes hours day-of-month month day-of-week year)`. */
export const cronExpression = (schedule: DigestSchedule): string =>
  schedule.isoWeekday === undefined
    ? `cron(${schedule.minute} ${schedule.hour} * * ? *)`
    : `cron(${schedule.minute} ${schedule.hour} ? * ${eventBridgeDays[schedule.isoWeekday - 1]} *)`;
