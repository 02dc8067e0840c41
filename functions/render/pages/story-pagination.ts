/**
 * A long story's page is paginated like its feeds: the story's page shows its latest developments
 * (page 0), and archive pages, numbered from the first development, hold the ones before, a page
 * each. Developments are counted in the order the story recorded them (as its timeline's chunks
 * hold them: functions/timeline-reads.ts), so a page reads only the chunks that hold it; each page
 * lists its developments in the order they happened. Archive page k holds the developments at [(k - 1)·size, k·size), less those the latest page
 * shows: once complete, an archive page keeps what it holds while the story grows at its end.
 * Unlike a feed's archives (events/projections/queries.ts feedPage), no page repeats what another
 * shows: a person reading back from the latest page meets each development once.
 */
import { FEED_PAGE_SIZE } from '../../../events/feeds/feed-document';

/** Developments on each page of a story: as many as items on a page of its feeds. */
export const STORY_PAGE_SIZE = FEED_PAGE_SIZE;

/** Where a page of a story sits: `page` 0 is the latest, 1..`archivePages` the archive. */
export interface StoryPosition {
  page: number;
  archivePages: number;
  /** How many developments the story has. */
  total: number;
  /** The number (from 0, in the order recorded) of the first development the page shows. */
  first: number;
}

/** How many archive pages a story of `total` developments has. */
export const archivePageCount = (total: number, size = STORY_PAGE_SIZE): number => Math.ceil(Math.max(0, total - size) / size);

/** The developments page `page` shows, as a range of timeline indexes; undefined if the story has no such page. */
export const storyPageSpan = (total: number, page: number, size = STORY_PAGE_SIZE): { start: number; end: number } | undefined => {
  if (!Number.isInteger(page) || page < 0 || page > archivePageCount(total, size)) return undefined;
  return page === 0 ? { start: Math.max(0, total - size), end: total } : { start: (page - 1) * size, end: Math.min(page * size, total - size) };
};

/** The page that shows the development at `index` of a timeline of `total`. */
export const storyPageOf = (index: number, total: number, size = STORY_PAGE_SIZE): number => (index >= total - size ? 0 : Math.floor(index / size) + 1);

/** The page before (earlier developments) and after (later ones) page `page`, if any. */
export const neighbourPages = (position: Pick<StoryPosition, 'page' | 'archivePages'>): { prev?: number; next?: number } => {
  const { page, archivePages } = position;
  if (page === 0) return archivePages > 0 ? { prev: archivePages } : {};
  return { ...(page > 1 ? { prev: page - 1 } : {}), next: page === archivePages ? 0 : page + 1 };
};
