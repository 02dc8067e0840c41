/**
 * schema.org JSON-LD for the story and development pages: the story as a NewsArticle with its
 * developments, each visit as an Event with its eventStatus, corrections as CorrectionComment.
 * Only what the events say: a date appears only where an event gave it, at its precision.
 */
import type { TimelineEntry } from '../../../events/projections/entry';
import type { TimelineModel } from '../../../events/projections/timeline';
import type { Visit, VisitsModel } from '../../../events/projections/visits';
import { lastChanged } from '../../../events/projections/entry';
import { developmentPath, storyPath } from '../../links';
import { ldLabel, ldText } from './html';

const SCHEMA = 'https://schema.org';

const STATUS = {
  planned: `${SCHEMA}/EventScheduled`,
  rescheduled: `${SCHEMA}/EventRescheduled`,
  cancelled: `${SCHEMA}/EventCancelled`,
  // it happened as scheduled: schema.org has no status for "took place"
  'took-place': `${SCHEMA}/EventScheduled`,
} as const;

const correctionComments = (entry: TimelineEntry) =>
  entry.corrections.map((c) => ({ '@type': 'CorrectionComment', text: ldText(c.note), datePublished: c.reportedAt }));

export const developmentData = (storyId: string, entry: TimelineEntry) => ({
  '@type': 'NewsArticle',
  '@id': developmentPath(storyId, entry.id),
  url: developmentPath(storyId, entry.id),
  headline: ldLabel(entry.headline),
  description: ldText(entry.summary),
  datePublished: entry.reportedAt,
  dateModified: lastChanged(entry),
  ...(entry.corrections.length ? { correction: correctionComments(entry) } : {}),
  ...(entry.retracted ? { creativeWorkStatus: 'Withdrawn' } : {}),
  keywords: entry.topics,
  citation: entry.sources.map((s) => ({ '@type': 'CreativeWork', publisher: { '@type': 'Organization', name: ldLabel(s.outlet) }, text: ldText(s.quote), ...(s.url ? { url: s.url } : {}) })),
});

export const visitData = (visit: Visit, names: Map<string, string>) => {
  const current = visit.scheduled ?? visit.occurred;
  const previous = visit.status === 'rescheduled' ? visit.schedule[visit.schedule.length - 2]?.scheduled : undefined;
  return {
    '@type': 'Event',
    name: ldLabel(visit.headline),
    eventStatus: STATUS[visit.status],
    ...(visit.status === 'took-place' && visit.occurred ? { startDate: visit.occurred.start, ...(visit.occurred.end ? { endDate: visit.occurred.end } : {}) } : {}),
    ...(visit.status !== 'took-place' && current ? { startDate: current.start, ...(current.end ? { endDate: current.end } : {}) } : {}),
    ...(previous ? { previousStartDate: previous.start } : {}),
    ...(visit.destination ? { location: { '@type': 'Place', name: ldLabel(visit.destination) } } : {}),
    ...(visit.visitors.length ? { attendee: visit.visitors.map((id) => ({ '@type': 'Thing', name: ldLabel(names.get(id) ?? id) })) } : {}),
  };
};

export const storyData = (story: TimelineModel, visits: VisitsModel | undefined, names: Map<string, string>) => ({
  '@context': SCHEMA,
  '@graph': [
    {
      '@type': 'NewsArticle',
      '@id': storyPath(story.storyId),
      url: storyPath(story.storyId),
      headline: ldLabel(story.title),
      description: ldText(story.summary),
      ...(story.opened ? { datePublished: story.opened.reportedAt } : {}),
      ...(story.updatedAt ? { dateModified: story.updatedAt } : {}),
      keywords: story.topics,
      hasPart: story.entries.map((entry) => developmentData(story.storyId, entry)),
    },
    ...(visits?.visits ?? []).map((visit) => visitData(visit, names)),
  ],
});
