import type * as z from 'zod/mini';
import { compareOccurred, type TimelineEntry } from '../projections/entry';
import type { TimelineModel } from '../projections/timeline';
import type {
  DigestChange as DigestChangeSchema,
  DigestContent as DigestContentSchema,
  DigestDevelopment as DigestDevelopmentSchema,
  DigestWindow as DigestWindowSchema,
} from '../projections/digests-schema';
import { PERIOD_TITLES, type DigestPeriod } from './period';
import { storyTitle } from '../story/title';

/**
 * Digest composition, pure: the developments REPORTED in a window (reportedAt in [start, end)),
 * grouped by story and then by topic, each with its occurred date at its precision and its
 * sources; and a section for corrections and retractions, reported in the window, of
 * developments that an earlier digest already carried.
 *
 * A development, correction or retraction recorded in the window but reported before it
 * (back-dated: a story added late, a report found later) belongs to a window that has closed. It is
 * carried by the digest of the window it was RECORDED in, marked `reportedEarlier`, so that nothing
 * misses every digest; and nothing a digest of the period carried is carried again.
 */

export type { DigestPeriod } from './period';

/** What a digest holds: its schema is events/projections/digests-schema.ts. */
export type DigestWindow = z.infer<typeof DigestWindowSchema>;
export type DigestDevelopment = z.infer<typeof DigestDevelopmentSchema>;
export type DigestChange = z.infer<typeof DigestChangeSchema>;
export type DigestContent = z.infer<typeof DigestContentSchema>;

export interface DigestInput {
  period: DigestPeriod;
  window: DigestWindow;
  timelines: readonly TimelineModel[];
  /** Ids of the developments, corrections and retractions that earlier digests of this period carried. */
  carried: ReadonlySet<string>;
}

const inWindow = (instant: string, window: DigestWindow) => instant >= window.start && instant < window.end;

/** When something (a development, a correction, a retraction) was reported, and when it was recorded. */
interface Reported {
  reportedAt: string;
  recordedAt: string;
}

/** The window a thing belongs to: the one it was reported in, or, reported before the window, the one it was recorded in. */
const belongsTo = ({ reportedAt, recordedAt }: Reported, window: DigestWindow): boolean =>
  inWindow(reportedAt, window) || (reportedAt < window.start && inWindow(recordedAt, window));

const reportedEarlier = ({ reportedAt }: Reported, window: DigestWindow) => (reportedAt < window.start ? { reportedEarlier: true as const } : {});

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
  ...reportedEarlier(entry, window),
});

const UNTOPICAL = 'general';

// a stable sort on the timeline's order: developments that occurred at the same date stay in the order they were recorded
const byOccurred = (a: DigestDevelopment, b: DigestDevelopment) => compareOccurred(a.occurred, b.occurred);

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

/** What a digest carries, in words: `28 developments in 1 story, 1 correction`. */
export const digestTally = (counts: DigestContent['counts']): string =>
  [
    ...(counts.developments ? [`${plural(counts.developments, 'development')} in ${plural(counts.stories, 'story', 'stories')}`] : []),
    ...(counts.reportedEarlier ? [`${counts.reportedEarlier} of them reported earlier and added since the last digest`] : []),
    ...(counts.corrections ? [plural(counts.corrections, 'correction')] : []),
    ...(counts.retractions ? [plural(counts.retractions, 'retraction')] : []),
  ].join(', ');

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
        title: storyTitle(story),
        topics: [...topics].sort(([a], [b]) => (a < b ? -1 : 1)).map(([topic, developments]) => ({ topic, developments: developments.sort(byOccurred) })),
      });
    }
    for (const entry of story.entries) {
      if (!carried.has(entry.id)) continue;
      const change = (kind: DigestChange['kind'], eventId: string, note: string, times: Reported) => {
        if (carried.has(eventId) || !belongsTo(times, window)) return;
        changes.push({ kind, storyId: story.storyId, storyTitle: storyTitle(story), eventId, correctedEventId: entry.id, headline: entry.headline, note, reportedAt: times.reportedAt, ...reportedEarlier(times, window), topics: entry.topics });
      };
      for (const correction of entry.corrections) change('correction', correction.eventId, correction.note, correction);
      if (entry.retracted) change('retraction', entry.retracted.eventId, entry.retracted.reason, { reportedAt: entry.retracted.at, recordedAt: entry.retracted.recordedAt });
    }
  }
  if (stories.length === 0 && changes.length === 0) return undefined;
  changes.sort((a, b) => (a.reportedAt < b.reportedAt ? -1 : a.reportedAt > b.reportedAt ? 1 : a.eventId < b.eventId ? -1 : 1));

  const counts = countsOf(stories, changes);
  const endDay = window.end.slice(0, 10);
  return {
    title: `${PERIOD_TITLES[period]} to ${endDay}: ${stories.map((s) => s.title).join('; ') || 'corrections'}`,
    summary: `${digestTally(counts)}, reported ${window.start} to ${window.end}.`,
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
