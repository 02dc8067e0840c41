/**
 * Wall-clock arithmetic for schedules in an IANA timezone, as EventBridge Scheduler does it:
 * a daily 06:00 Europe/Berlin fires at 06:00 local time on both sides of a DST change.
 */

export interface WallClockSchedule {
  timezone: string;
  hour: number;
  minute: number;
  /** 1 = Monday ... 7 = Sunday; absent for every day */
  isoWeekday?: number;
}

/** An IANA timezone name (`Europe/London`, `UTC`) that this runtime knows; not an offset or an abbreviation. */
export const isTimezone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
};

const parts = (instant: number, timezone: string) => {
  const formatted = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  }).formatToParts(new Date(instant));
  const get = (type: string) => formatted.find((p) => p.type === type)?.value ?? '';
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), hour: Number(get('hour')), minute: Number(get('minute')), second: Number(get('second')), weekday: get('weekday') };
};

/** The UTC instant of a local wall-clock time in a timezone. */
const fromLocal = (year: number, month: number, day: number, hour: number, minute: number, timezone: string): number => {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {
    const p = parts(guess, timezone);
    const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess;
    guess = asUtc - offset;
  }
  return guess;
};

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * The instant of a wall-clock time on a local day, or undefined when the clock skips that time
 * (spring forward): EventBridge Scheduler skips such a firing rather than moving it.
 */
const onLocalDay = (year: number, month: number, day: number, hour: number, minute: number, timezone: string): number | undefined => {
  const date = new Date(Date.UTC(year, month - 1, day));
  const instant = fromLocal(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute, timezone);
  const local = parts(instant, timezone);
  return local.hour === hour && local.minute === minute ? instant : undefined;
};

/** The first firing strictly after `after` (ms since epoch). */
export const nextFiring = (schedule: WallClockSchedule, after: number): number => {
  const start = parts(after, schedule.timezone);
  for (let d = 0; d < 15; d++) {
    const firing = onLocalDay(start.year, start.month, start.day + d, schedule.hour, schedule.minute, schedule.timezone);
    if (firing === undefined || firing <= after) continue;
    if (schedule.isoWeekday !== undefined && WEEKDAYS[schedule.isoWeekday - 1] !== parts(firing, schedule.timezone).weekday) continue;
    return firing;
  }
  throw new Error('no firing within 15 days');
};

/** The firing before the one at `firing`: the start of the window that `firing` closes. */
export const previousFiring = (schedule: WallClockSchedule, firing: number): number => {
  const local = parts(firing, schedule.timezone);
  const step = schedule.isoWeekday === undefined ? 1 : 7;
  for (let back = step; back <= 3 * step; back += step) {
    const previous = onLocalDay(local.year, local.month, local.day - back, local.hour, local.minute, schedule.timezone);
    if (previous !== undefined) return previous;
  }
  throw new Error('no previous firing within three periods');
};
