import { asOf } from './as-of';
import { compareFeedEntries, correctionItem, developmentItem, retractionItem } from './feed-entries';
import { initialFeed, MAX_FEED_ENTRIES, EPOCH, type FeedModel } from './feeds';
import { storyFeedKey } from './keys';
import type { TimelineModel } from './timeline';

/**
 * A story's feed as Storyline had recorded it at an instant (`?asOf=`): made from the stored
 * timeline's history (./as-of.ts), so no event is replayed. Items recorded later are absent,
 * corrections recorded later not applied, retractions recorded later not shown. Undefined when the
 * story had not been recorded (opened) by then.
 */
export const storyFeedAsOf = (timeline: TimelineModel, instant: string): { feed: FeedModel; recordedAt: string } | undefined => {
  const known = asOf(timeline, instant);
  if (!known.opened) return undefined;
  const { storyId } = known;
  const items = known.entries.flatMap((entry) => [
    developmentItem(storyId, entry),
    ...entry.corrections.map((correction) => correctionItem(storyId, entry, correction)),
    ...(entry.retracted ? [retractionItem(storyId, entry, entry.retracted)] : []),
  ]);
  const entries = items.sort(compareFeedEntries).slice(0, MAX_FEED_ENTRIES);
  const updated = entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), EPOCH);
  const feed: FeedModel = { ...initialFeed(storyFeedKey(storyId)), title: known.title, description: known.summary, entries, updated };
  return { feed, recordedAt: known.updatedAt };
};
