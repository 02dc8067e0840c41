import { carriedBy, composeDigest, digestIdOf, type DigestContent, type DigestPeriod, type DigestWindow } from '../events/digest/compose';
import { isTimezone, previousFiring } from '../events/digest/schedule-time';
import { DuplicateError, ValidationError } from '../events/errors';
import { isUnreadable, STORIES_KEY, timelineKey, type StoriesModel, type TimelineModel } from '../events/projections';
import { digestStreamId, storyStreamId } from '../events/streams';
import { digestSchedules } from '../contracts/schedules';
import { isInFuture, parseInstant } from '../events/instant';
import type { EventStore } from './adapters/event-store';
import type { Mailer } from './adapters/mailer';
import type { ReadModelStore } from './adapters/read-model-store';
import { derivedUuid } from './derived-id';
import { feedPath } from './links';
import { renderDigestHtml, renderDigestText } from './render/digest';

/**
 * One firing of a digest schedule: the window that closed at the firing's scheduled time, in the zone
 * the schedule fires in (the firing names it; else the period's declared zone), composed from the read models, appended as one DigestPublished whose id derives from (period, window end).
 * A repeated, late or retried firing finds that id and publishes nothing more.
 */

export type DigestOutcome =
  | { status: 'published'; digestId: string; version: number; counts: DigestContent['counts'] }
  | { status: 'already-published'; digestId: string }
  | { status: 'empty'; digestId: string; window: DigestWindow };

export interface DigestDependencies {
  events: EventStore;
  readModels: ReadModelStore;
  mailer: Mailer;
  now: () => Date;
  /** Used for the subscribe link in e-mails. */
  publicBaseUrl?: string;
}

/** The read models have not yet projected developments reported in the window: the firing is retried. */
export class ProjectionBehindError extends Error {
  override readonly name = 'ProjectionBehindError';
}

/**
 * A digest is final, so it waits for the projector: every event reported before the window's end
 * must be in the timelines it reads. Events recorded later (and reported later) do not hold it up.
 */
const requireCaughtUp = async (events: EventStore, timelines: TimelineModel[], end: string): Promise<void> => {
  const projected = new Map(timelines.map((t) => [storyStreamId(t.storyId), t.applied[storyStreamId(t.storyId)] ?? 0]));
  for (const { streamId, version } of await events.listStreams('story')) {
    const at = projected.get(streamId) ?? 0;
    if (version <= at) continue;
    // an event this code cannot read has no reported time to go by: its recording time bounds it
    const missing = (await events.readRecords(streamId, { after: at })).filter((e) => (isUnreadable(e) ? e.recordedAt : e.reportedAt) < end);
    if (missing.length) throw new ProjectionBehindError(`${streamId} is projected to version ${at}, but ${missing.length} event(s) reported before ${end} are not yet: retry shortly`);
  }
};

export const digestEventId = (period: DigestPeriod, windowEnd: string): string => derivedUuid(`digest\n${period}\n${windowEnd}`);

export const publishDigest = async (deps: DigestDependencies, period: string, scheduledTime: string, timezone?: string): Promise<DigestOutcome> => {
  const schedule = digestSchedules.find((s) => s.period === period);
  const invalid = (field: string, message: string) => new ValidationError('Invalid digest firing', [{ field, message }]);
  if (!schedule) throw invalid('period', `must be one of ${digestSchedules.map((s) => s.period).join(', ')}`);
  const zone = timezone ?? schedule.timezone;
  if (!isTimezone(zone)) throw invalid('timezone', 'must be an IANA timezone');
  const end = parseInstant(scheduledTime);
  if (end === undefined) throw invalid('scheduledTime', 'must be an ISO 8601 instant');
  if (isInFuture(end, deps.now())) throw invalid('scheduledTime', 'must not be in the future');
  const endMs = Date.parse(end);
  const start = new Date(previousFiring({ ...schedule, timezone: zone }, endMs)).toISOString();
  const digestPeriod = schedule.period;
  const digestId = digestIdOf(digestPeriod, end);
  const id = digestEventId(digestPeriod, end);

  if ((await deps.events.versionsOf([id])).has(id)) return { status: 'already-published', digestId };

  const stories = (await deps.readModels.get<StoriesModel>(STORIES_KEY))?.value.stories ?? [];
  const timelines = [...(await deps.readModels.getMany<TimelineModel>(stories.map((s) => timelineKey(s.storyId)))).values()].map((d) => d.value);
  await requireCaughtUp(deps.events, timelines, end);
  const earlier = await deps.events.readStream(digestStreamId(digestPeriod));
  // a concurrent firing may have published this very digest since the check above: it carried nothing "earlier"
  if (earlier.some((e) => e.id === id)) return { status: 'already-published', digestId };
  const carried = new Set(
    earlier.flatMap((e) => (e.type === 'DigestPublished' && e.data.window.end < end ? [...e.data.developments, ...e.data.corrections].map((d) => d.eventId) : [])),
  );
  const window = { start, end, timezone: zone };
  const content = composeDigest({ period: digestPeriod, window, timelines, carried });
  if (!content) return { status: 'empty', digestId, window };

  // The e-mail goes first: if it fails, nothing is published and the retried firing sends it again.
  // Sent after the append, a failed send would be lost for good (the retry finds the digest published).
  // The price is a rare second copy (the append failing after the send, or two firings racing), with
  // the same Message-ID, which mail clients show once.
  const feedUrl = deps.publicBaseUrl ? `${deps.publicBaseUrl}${feedPath({ kind: 'digest', period: digestPeriod }, 'rss')}` : undefined;
  await deps.mailer.send({
    subject: content.title,
    text: renderDigestText(content, feedUrl ? { feedUrl } : {}),
    html: renderDigestHtml(content, feedUrl ? { feedUrl } : {}),
    date: new Date(endMs),
    messageId: `${digestId}@storyline`,
  });

  const result = await deps.events
    .append({
      streamId: digestStreamId(digestPeriod),
      events: [{ id, type: 'DigestPublished', data: { digestId, period: digestPeriod, window, ...carriedBy(content), content }, reportedAt: end }],
      metadata: { subject: 'storyline-digest', correlationId: digestId },
      recordedAt: deps.now().toISOString(),
    })
    .catch((error: unknown) => {
      // a concurrent firing published it first
      if (error instanceof DuplicateError) return undefined;
      throw error;
    });
  if (!result || result.repeated) return { status: 'already-published', digestId };
  return { status: 'published', digestId, version: result.version, counts: content.counts };
};
