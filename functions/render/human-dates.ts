/**
 * Dates as a person writes them, in British English: `4 October 2012`, `September–October 2012`,
 * `2012`, `1–8 October 2012`. The one place where renderers (feeds, digests, pages) turn dates
 * into words; a date is shown only as precisely as it is known.
 */
import type { DateSpan } from '../../events/catalog/development';
import { boundedCache } from '../bounded-cache';
import { cleanLabel } from './text';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

interface DateParts {
  year: string;
  month?: string;
  day?: string;
}

function dateParts(value: string): DateParts | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (match === null) return undefined;
  const [, year = '', month, day] = match;
  const monthName = month === undefined ? undefined : MONTHS[Number(month) - 1];
  if (month !== undefined && monthName === undefined) return undefined;
  return { year, month: monthName, day: day === undefined ? undefined : String(Number(day)) };
}

function formatParts(parts: DateParts): string {
  return [parts.day, parts.month, parts.year].filter((p) => p !== undefined).join(' ');
}

/**
 * A date span at the precision it was reported with: `4 October 2012`, `October 2012`, `2012`,
 * `2–3 October 2012`, `30 September – 3 October 2012`, `September–October 2012`, `2012–2013`.
 * A form it does not know is shown as cleaned text rather than failing.
 */
export function formatDateSpan(span: DateSpan): string {
  const start = dateParts(span.start);
  const end = span.end === undefined || span.end === span.start ? undefined : dateParts(span.end);
  if (start === undefined) return cleanLabel(span.end === undefined ? span.start : `${span.start} – ${span.end}`);
  if (span.end !== undefined && span.end !== span.start && end === undefined) return cleanLabel(`${span.start} – ${span.end}`);
  if (end === undefined) return formatParts(start);
  if (start.year !== end.year) return start.month === undefined ? `${start.year}–${end.year}` : `${formatParts(start)} – ${formatParts(end)}`;
  if (start.month !== end.month) {
    return start.day === undefined ? `${start.month}–${end.month} ${end.year}` : `${start.day} ${start.month} – ${formatParts(end)}`;
  }
  return `${start.day}–${formatParts(end)}`;
}

/** By time zone (a digest window's): few in use, bounded all the same since the name comes from stored data. */
const formatters = boundedCache<string, Intl.DateTimeFormat>({ max: 64 });
/** The formatter for a time zone; an unknown zone falls back to UTC rather than failing a render. */
const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    const options = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    try {
      formatter = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    } catch {
      formatter = formatterFor('UTC');
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** An instant's calendar day (`2012-10-08`) and wall-clock time (`06:00`) in a time zone. */
const wallClock = (instant: string, timeZone: string): { day: string; time: string } | undefined => {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return undefined;
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(date).map((p) => [p.type, p.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
};

/** An instant as the day it falls on in a time zone (UTC by default): `8 October 2012`. */
export function formatDay(instant: string, timeZone = 'UTC'): string | undefined {
  const at = wallClock(instant, timeZone);
  return at && formatDateSpan({ start: at.day, precision: 'day' });
}

/** An instant as a time of day in a time zone: `06:00`. */
export function formatTimeOfDay(instant: string, timeZone = 'UTC'): string | undefined {
  return wallClock(instant, timeZone)?.time;
}

/**
 * A window between two instants as the days it spans in a time zone: `1–8 October 2012`,
 * `30 September – 7 October 2012`, `7–8 October 2012`. Instants it cannot read are shown as given.
 */
export function formatInstantSpan(start: string, end: string, timeZone = 'UTC'): string {
  const from = wallClock(start, timeZone);
  const to = wallClock(end, timeZone);
  if (from === undefined || to === undefined) return cleanLabel(`${start} – ${end}`);
  return formatDateSpan({ start: from.day, end: to.day, precision: 'day' });
}

/**
 * The `datetime` of a `<time>` for the span, at exactly its precision (`2012`, `2012-10`, `2012-10-04`):
 * only for a single date; a span of several days or months has none.
 */
export function spanDateTime(span: DateSpan): string | undefined {
  if (span.end !== undefined && span.end !== span.start) return undefined;
  return dateParts(span.start) === undefined ? undefined : span.start;
}
