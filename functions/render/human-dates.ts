/**
 * Dates as a person writes them, only as precise as the source: `4 October 2012`,
 * `September–October 2012`, `2012`. Pure: no clock.
 */
import type { DateSpan } from '../../events/catalog/development';
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

/** An instant shown as a day in UTC: `8 October 2012`. */
export function formatDay(instant: string): string | undefined {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCFullYear()}`;
}

/**
 * The `datetime` of a `<time>` for the span, at exactly its precision (`2012`, `2012-10`, `2012-10-04`):
 * only for a single date; a span of several days or months has none.
 */
export function spanDateTime(span: DateSpan): string | undefined {
  if (span.end !== undefined && span.end !== span.start) return undefined;
  return dateParts(span.start) === undefined ? undefined : span.start;
}
