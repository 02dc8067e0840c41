import type { DateSpan } from '../catalog/development';
import { compareOccurred } from './entry';
import type { FeedModelEntry } from './feed-entries';
import type { FeedModel } from './feeds';
import { compareStrings } from './lists';

/**
 * The dates a feed shows its items with. Readers sort by date and treat equal dates as unordered,
 * and the W3C feed validator warns about two entries with the same atom:updated: so no two dates
 * of a feed are the same second (RSS dates have no fractions), and their order follows the story.
 *
 * Every item has a publication date (RSS pubDate, Atom published, JSON Feed date_published) and,
 * when a correction or retraction changed it later, an update date (Atom updated, JSON Feed
 * date_modified). Each such date starts from the instant it was reported (`reportedAt` of the
 * development, correction or retraction), cut to the second. Dates that share a second are
 * spaced one second apart, in the order the developments occurred (then the order they were
 * recorded in), and a date never moves before the one it follows: the seed story's 28
 * developments, all reported by one article on 8 October 2012, are dated 00:00:00 (Postnikov's
 * visit of May 2011) to 00:00:27 (the latest development). A later development, correction or
 * retraction keeps the second it was reported in. A burst reported in one second therefore runs a
 * few seconds past it, and an item's date stays the same from one rendering to the next (readers
 * take a changed date for a changed item). That lead is bounded: no date is more than
 * `MAX_LEAD_SECONDS` after `now` (the W3C validator flags dates a day ahead), and a burst beyond
 * it (more items than seconds, sustained) is spaced backwards from that bound instead.
 *
 * The dates are computed over the whole feed before it is cut into pages, so every page and every
 * format (RSS, Atom, JSON Feed) shows the same date for the same item.
 */

const SECOND = 1000;

/** How far past the time of rendering a spaced date may run, so that dates stay put (see above). */
export const MAX_LEAD_SECONDS = 60;
const toSecond = (iso: string): number => Math.floor(Date.parse(iso) / SECOND) * SECOND;

interface DatePoint {
  entry: number;
  kind: 'published' | 'updated';
  raw: number;
  occurred: DateSpan | undefined;
  recorded: FeedModelEntry['recorded'];
  at: number;
}

/** Items without an occurrence (digests) after those with one, within a second. */
const compareMaybeOccurred = (a: DateSpan | undefined, b: DateSpan | undefined): number => {
  if (a && b) return compareOccurred(a, b);
  return a ? -1 : b ? 1 : 0;
};

const comparePoints = (a: DatePoint, b: DatePoint): number =>
  a.raw - b.raw ||
  compareMaybeOccurred(a.occurred, b.occurred) ||
  (a.kind === b.kind ? 0 : a.kind === 'published' ? -1 : 1) ||
  compareStrings(a.recorded.at, b.recorded.at) ||
  compareStrings(a.recorded.streamId, b.recorded.streamId) ||
  a.recorded.version - b.recorded.version;

/**
 * The entries with their feed dates as `published` and `updated` (ISO instants, whole seconds, all
 * distinct), newest first. `now` (ISO instant) bounds them to `MAX_LEAD_SECONDS` past it; without it they are not bounded.
 */
export const withFeedDates = (entries: readonly FeedModelEntry[], now?: string): FeedModelEntry[] => {
  const points: DatePoint[] = [];
  entries.forEach((entry, i) => {
    const base = { entry: i, occurred: entry.occurred, recorded: entry.recorded, at: 0 };
    const published = toSecond(entry.published);
    points.push({ ...base, kind: 'published', raw: published });
    const updated = toSecond(entry.updated);
    if (updated > published) points.push({ ...base, kind: 'updated', raw: updated });
  });
  points.sort(comparePoints);
  let last = Number.NEGATIVE_INFINITY;
  for (const point of points) {
    point.at = Math.max(point.raw, last + SECOND);
    last = point.at;
  }
  if (now !== undefined) {
    let limit = toSecond(now) + MAX_LEAD_SECONDS * SECOND;
    for (let i = points.length - 1; i >= 0 && points[i]!.at > limit; i--) {
      points[i]!.at = limit;
      limit -= SECOND;
    }
  }
  const dated = entries.map((entry) => ({ ...entry }));
  for (const point of points) {
    const iso = new Date(point.at).toISOString();
    const entry = dated[point.entry]!;
    // points are in date order, so an item's update date comes after its publication date
    if (point.kind === 'published') entry.published = iso;
    entry.updated = iso;
  }
  return dated.sort((a, b) => compareStrings(b.published, a.published));
};

/** The newest feed date of the entries (ISO), or `fallback` when none is later. */
export const newestFeedDate = (entries: readonly FeedModelEntry[], fallback: string): string =>
  entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), fallback);

/** The feed with its entries dated for readers (see withFeedDates). */
export const withDatedEntries = (model: FeedModel, now?: string): FeedModel => {
  const entries = withFeedDates(model.entries, now);
  return { ...model, entries, updated: newestFeedDate(entries, model.updated) };
};
