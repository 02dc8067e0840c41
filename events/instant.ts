/**
 * The one reading of an instant that comes from outside (a request, a firing, a command line):
 * ISO 8601 with a date, a time and a zone (`Z` or `±hh:mm`), whose date and time exist.
 * `Date.parse` alone would also take `2012-10-05` (a day, not an instant), `October 5, 2012`, a
 * time without a zone (read in the server's zone), and roll `2012-02-30T00:00:00Z` over to 1 March.
 */

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The instant as UTC ISO 8601 with milliseconds (`2012-10-08T06:00:00.000Z`), or undefined when it is not one. */
export const parseInstant = (value: string): string | undefined => {
  const match = ISO_INSTANT.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const wallClock = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const exists =
    wallClock.getUTCFullYear() === year &&
    wallClock.getUTCMonth() === month - 1 &&
    wallClock.getUTCDate() === day &&
    wallClock.getUTCHours() === hour &&
    wallClock.getUTCMinutes() === minute &&
    wallClock.getUTCSeconds() === second;
  const ms = Date.parse(value);
  return exists && !Number.isNaN(ms) ? new Date(ms).toISOString() : undefined;
};

/** How far ahead of our clock a sender's clock may run before an instant it sends counts as in the future. */
const CLOCK_SKEW_MS = 60_000;

/** An instant (as parseInstant returns it) still in the future at `now`, beyond the clock skew allowed. */
export const isInFuture = (instant: string, now: Date): boolean => Date.parse(instant) > now.getTime() + CLOCK_SKEW_MS;
