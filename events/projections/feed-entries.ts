import type { EventOf, RecordedEvent } from '../catalog/events';
import type { FeedEntry } from '../feeds/feed-document';
import { storyStreamId } from '../streams';
import { PERIOD_TITLES } from '../digest/period';
import { entryActors, lastChanged, type AppliedCorrection, type Retraction, type TimelineEntry } from './entry';
import { compareStrings } from './lists';

/**
 * The items of the feeds, built from timeline entries (developments, corrections, retractions)
 * and from digests. Item ids are event ids, so they never change whatever is corrected.
 */

/** A feed item with where its event was recorded, which orders items that were reported at the same instant. */
export type FeedModelEntry = FeedEntry & { recorded: { at: string; streamId: string; version: number } };

/** Newest first: by when reported, then the reverse of the order recorded in. A total order, whatever order events arrive in. */
export const compareFeedEntries = (a: FeedModelEntry, b: FeedModelEntry): number =>
  compareStrings(b.published, a.published) ||
  compareStrings(b.recorded.at, a.recorded.at) ||
  compareStrings(b.recorded.streamId, a.recorded.streamId) ||
  b.recorded.version - a.recorded.version;

/** What every item about a development says about it, as it stands now. */
const aboutDevelopment = (storyId: string, entry: TimelineEntry) => ({
  storyId,
  occurred: entry.occurred,
  topics: entry.topics,
  actors: entryActors(entry),
  sources: entry.sources,
  confidence: entry.confidence,
});

export const developmentItem = (storyId: string, entry: TimelineEntry): FeedModelEntry => ({
  id: entry.id,
  kind: 'development',
  eventType: entry.type,
  title: entry.headline,
  summary: entry.summary,
  published: entry.reportedAt,
  updated: lastChanged(entry),
  ...aboutDevelopment(storyId, entry),
  ...(entry.retracted ? { withdrawn: { reason: entry.retracted.reason, at: entry.retracted.at } } : {}),
  corrections: entry.corrections.map((c) => ({ eventId: c.eventId, note: c.note, at: c.reportedAt })),
  recorded: { at: entry.recordedAt, streamId: storyStreamId(storyId), version: entry.version },
});

/** The announcement of a correction: the corrected development as it stands after it, with the note. Links to the development. */
export const correctionItem = (storyId: string, entry: TimelineEntry, correction: AppliedCorrection): FeedModelEntry => ({
  id: correction.eventId,
  kind: 'correction',
  eventType: 'DevelopmentCorrected',
  title: `Correction: ${entry.headline}`,
  summary: correction.note,
  published: correction.reportedAt,
  updated: correction.reportedAt,
  ...aboutDevelopment(storyId, entry),
  corrections: [],
  concerns: entry.id,
  recorded: { at: correction.recordedAt, streamId: storyStreamId(storyId), version: correction.version },
});

/** The announcement of a retraction, with its reason. Links to the (withdrawn) development. */
export const retractionItem = (storyId: string, entry: TimelineEntry, retraction: Retraction): FeedModelEntry => ({
  id: retraction.eventId,
  kind: 'retraction',
  eventType: 'DevelopmentRetracted',
  title: `Retraction: ${entry.headline}`,
  summary: retraction.reason,
  published: retraction.at,
  updated: retraction.at,
  ...aboutDevelopment(storyId, entry),
  corrections: [],
  concerns: entry.id,
  recorded: { at: retraction.recordedAt, streamId: storyStreamId(storyId), version: retraction.version },
});


/** A digest item: the composed content is carried as is; title and summary fall back to the window and counts. */
export const digestItem = (event: RecordedEvent<EventOf<'DigestPublished'>>): FeedModelEntry => {
  const { digestId, period, window, developments, corrections, content } = event.data;
  const title = typeof content.title === 'string' ? content.title : `${PERIOD_TITLES[period]}: ${window.start.slice(0, 10)} to ${window.end.slice(0, 10)}`;
  const summary =
    typeof content.summary === 'string'
      ? content.summary
      : `${developments.length} new development${developments.length === 1 ? '' : 's'}, ${corrections.length} correction${corrections.length === 1 ? '' : 's'}.`;
  return {
    id: event.id,
    // a digest covers many stories and belongs to none
    storyId: '',
    kind: 'digest',
    eventType: 'DigestPublished',
    title,
    summary,
    published: event.reportedAt,
    updated: event.reportedAt,
    topics: [],
    actors: [],
    sources: [],
    corrections: [],
    digest: content,
    digestRef: { period, digestId },
    recorded: { at: event.recordedAt, streamId: event.streamId, version: event.version },
  };
};
