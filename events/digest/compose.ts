import type { DateSpan, Source } from '../catalog/development';
import { compareOccurred, type TimelineEntry } from '../projections/entry';
import type { TimelineModel } from '../projections/timeline';

/**
 * Digest composition, pure: the developments REPORTED in a window (reportedAt in [start, end)),
 * grouped by story and then by topic, each with its occurred date at its precision and its
 * sources; and a section for corrections and retractions, reported in the window, of
 * developments that an earlier digest already carried.
 *
 * A development recorded in the window but reported before it (back-dated: a story added late, a
 * report found later) belongs to a window that has closed. It is carried by the digest of the
 * window it was RECORDED in, marked `reportedEarlier`, so that no development misses every digest.
 */

export type DigestPeriod = 'daily' | 'weekly';

export interface DigestWindow {
  start: string;
  end: string;
  timezone: string;
}

export interface DigestDevelopment {
  eventId: string;
  type: string;
  headline: string;
  summary: string;
  occurred: DateSpan;
  confidence: string;
  sources: Source[];
  reportedAt: string;
  /** Every topic of the development (it is listed under the first); absent in digests composed before subscriptions. */
  topics?: string[];
  /** Reported before the window, recorded in it: carried here as it was in no earlier digest. */
  reportedEarlier?: true;
}

export interface DigestChange {
  kind: 'correction' | 'retraction';
  storyId: string;
  storyTitle: string;
  /** The correction's or retraction's event id. */
  eventId: string;
  correctedEventId: string;
  headline: string;
  note: string;
  reportedAt: string;
}

export interface DigestContent {
  [field: string]: unknown;
  title: string;
  summary: string;
  period: DigestPeriod;
  window: DigestWindow;
  stories: { storyId: string; title: string; topics: { topic: string; developments: DigestDevelopment[] }[] }[];
  changes: DigestChange[];
  counts: { stories: number; developments: number; reportedEarlier: number; corrections: number; retractions: number };
  /** The generic shape feed renderers show: one section per story, then one for the changes. */
  sections: { title: string; items: { title: string; summary?: string }[] }[];
}

export interface DigestInput {
  period: DigestPeriod;
  window: DigestWindow;
  timelines: readonly TimelineModel[];
  /** Ids of developments that earlier digests of this period carried. */
  carried: ReadonlySet<string>;
}

const inWindow = (instant: string, window: DigestWindow) => instant >= window.start && instant < window.end;

const toDevelopment = (entry: TimelineEntry, window: DigestWindow): DigestDevelopment => ({
  eventId: entry.id,
  type: entry.type,
  headline: entry.headline,
  summary: entry.summary,
  occurred: entry.occurred,
  confidence: entry.confidence,
  sources: entry.sources,
  reportedAt: entry.reportedAt,
  topics: entry.topics,
  ...(entry.reportedAt < window.start ? { reportedEarlier: true as const } : {}),
});

/** Reported in the window, or reported before it and recorded in it. */
const belongsTo = (entry: TimelineEntry, window: DigestWindow): boolean =>
  inWindow(entry.reportedAt, window) || (entry.reportedAt < window.start && inWindow(entry.recordedAt, window));

const UNTOPICAL = 'general';
const periodTitle = { daily: 'Daily digest', weekly: 'Weekly digest' } as const;

// a stable sort on the timeline's order: developments that occurred at the same date stay in the order they were recorded
const byOccurred = (a: DigestDevelopment, b: DigestDevelopment) => compareOccurred(a.occurred, b.occurred);

/** The digest of a window, or undefined when nothing happened in it. */
export const composeDigest = ({ period, window, timelines, carried }: DigestInput): DigestContent | undefined => {
  const stories: DigestContent['stories'] = [];
  const changes: DigestChange[] = [];
  const sorted = [...timelines].sort((a, b) => (a.storyId < b.storyId ? -1 : a.storyId > b.storyId ? 1 : 0));
  for (const story of sorted) {
    const news = story.entries.filter((entry) => !entry.retracted && !carried.has(entry.id) && belongsTo(entry, window));
    if (news.length) {
      const topics = new Map<string, DigestDevelopment[]>();
      for (const entry of news) {
        // each development is listed under its first topic, so that it appears once
        const topic = entry.topics[0] ?? UNTOPICAL;
        topics.set(topic, [...(topics.get(topic) ?? []), toDevelopment(entry, window)]);
      }
      stories.push({
        storyId: story.storyId,
        title: story.title || story.storyId,
        topics: [...topics].sort(([a], [b]) => (a < b ? -1 : 1)).map(([topic, developments]) => ({ topic, developments: developments.sort(byOccurred) })),
      });
    }
    for (const entry of story.entries) {
      if (!carried.has(entry.id)) continue;
      for (const correction of entry.corrections) {
        if (!inWindow(correction.reportedAt, window)) continue;
        changes.push({ kind: 'correction', storyId: story.storyId, storyTitle: story.title || story.storyId, eventId: correction.eventId, correctedEventId: entry.id, headline: entry.headline, note: correction.note, reportedAt: correction.reportedAt });
      }
      if (entry.retracted && inWindow(entry.retracted.at, window)) {
        changes.push({ kind: 'retraction', storyId: story.storyId, storyTitle: story.title || story.storyId, eventId: entry.retracted.eventId, correctedEventId: entry.id, headline: entry.headline, note: entry.retracted.reason, reportedAt: entry.retracted.at });
      }
    }
  }
  if (stories.length === 0 && changes.length === 0) return undefined;
  changes.sort((a, b) => (a.reportedAt < b.reportedAt ? -1 : a.reportedAt > b.reportedAt ? 1 : a.eventId < b.eventId ? -1 : 1));

  const counts = countsOf(stories, changes);
  const developments = counts.developments;
  const endDay = window.end.slice(0, 10);
  const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;
  const summary = [
    ...(developments ? [`${plural(developments, 'development')} in ${plural(stories.length, 'story', 'stories')}`] : []),
    ...(counts.reportedEarlier ? [`${counts.reportedEarlier} of them reported earlier and added since the last digest`] : []),
    ...(counts.corrections ? [plural(counts.corrections, 'correction')] : []),
    ...(counts.retractions ? [plural(counts.retractions, 'retraction')] : []),
  ].join(', ');
  return {
    title: `${periodTitle[period]} to ${endDay}: ${stories.map((s) => s.title).join('; ') || 'corrections'}`,
    summary: `${summary}, reported ${window.start} to ${window.end}.`,
    period,
    window,
    stories,
    changes,
    counts,
    sections: sectionsOf(stories, changes),
  };
};

/** The counts of what a digest lists. */
export const countsOf = (stories: DigestContent['stories'], changes: DigestChange[]): DigestContent['counts'] => {
  const listed = stories.flatMap((s) => s.topics.flatMap((t) => t.developments));
  return {
    stories: stories.length,
    developments: listed.length,
    reportedEarlier: listed.filter((d) => d.reportedEarlier).length,
    corrections: changes.filter((c) => c.kind === 'correction').length,
    retractions: changes.filter((c) => c.kind === 'retraction').length,
  };
};

/** The generic sections feed renderers show: one per story, then one for the changes. */
export const sectionsOf = (stories: DigestContent['stories'], changes: DigestChange[]): DigestContent['sections'] => [
  ...stories.map((s) => ({
    title: s.title,
    items: s.topics.flatMap((t) => t.developments.map((d) => ({ title: `[${t.topic}] ${d.headline}`, summary: d.summary }))),
  })),
  ...(changes.length
    ? [{ title: 'Corrections and retractions', items: changes.map((c) => ({ title: `${c.kind === 'correction' ? 'Corrected' : 'Retracted'}: ${c.headline}`, summary: c.note })) }]
    : []),
];

/** The developments and changes a digest carries, as recorded in its DigestPublished event. */
export const carriedBy = (content: DigestContent) => ({
  developments: content.stories.flatMap((s) => s.topics.flatMap((t) => t.developments.map((d) => ({ storyId: s.storyId, eventId: d.eventId })))),
  corrections: content.changes.map((c) => ({ storyId: c.storyId, eventId: c.eventId, correctedEventId: c.correctedEventId })),
});

/** The digest id for a period and window end: `weekly-2012-10-08t06-00-00z`. */
export const digestIdOf = (period: DigestPeriod, windowEnd: string): string =>
  `${period}-${windowEnd.replace(/\.\d+Z$/, 'Z').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-$/, '')}`;
