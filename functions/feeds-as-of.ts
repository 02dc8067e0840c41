import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FeedFormat } from '../events/feeds/feed-document';
import { NotFoundError, ValidationError } from '../events/errors';
import { parseInstant } from '../events/instant';
import { storyFeedAsOf, timelineKey, type TimelineModel } from '../events/projections';
import type { ReadModelStore } from './adapters/read-model-store';
import { boundedCache } from './bounded-cache';
import { BASE_PLACEHOLDER, renderPage } from './feed-publication';
import { requestBaseUrl } from './http/conditional';
import { documentResponse } from './http/representation';
import { feedPath } from './links';
import { requireDocument } from './read-models';
import { contentTypes } from './render';

/**
 * `?asOf=<instant>` on a story's feeds: the feed as Storyline had recorded it then (RFC 7089
 * Memento: `Memento-Datetime` is the recording time of the newest event it includes, `Link`
 * rel="original" the current feed). Made from the stored timeline (one read), never from events.
 * An instant in the future is a 400 (its feed would still change: omit asOf for the current feed).
 *
 * A memento is settled (kept in memory, and `immutable` for a day) only once projection has passed
 * its instant: the stored timeline has applied an event recorded after it. Events of a stream are
 * recorded in version order and projected in that order, so none recorded before the instant can
 * still be on its way; the clock alone says nothing of how far behind projection is.
 */

/** Settled mementos never change: a size bound, no max age. */
const cache = boundedCache<string, { body: string; lastModified: string; memento: string }>({ max: 200 });

const instantOf = (raw: string, now: Date): string => {
  const instant = parseInstant(raw);
  if (!instant) throw new ValidationError('Invalid query', [{ field: 'asOf', message: 'must be an ISO 8601 instant, e.g. 2026-01-01T12:00:00Z' }]);
  if (Date.parse(instant) > now.getTime()) throw new ValidationError('Invalid query', [{ field: 'asOf', message: 'is in the future; leave it out for the current feed' }]);
  return instant;
};

/** Whether the stored timeline has applied an event recorded after `instant` (ISO 8601, UTC, as recordedAt is). */
const projectionPassed = (timeline: TimelineModel, instant: string): boolean => timeline.updatedAt !== '' && Date.parse(timeline.updatedAt) > Date.parse(instant);

export const createFeedAsOf =
  (readModels: ReadModelStore, now: () => Date = () => new Date()) =>
  async (event: APIGatewayProxyEventV2, storyId: string, format: FeedFormat, raw: string, headers: Record<string, string> = {}): Promise<APIGatewayProxyStructuredResultV2> => {
    const at = now();
    const instant = instantOf(raw, at);
    const key = `${storyId}|${instant}|${format}`;
    let memento = cache.get(key);
    // only settled mementos are cached
    let settled = memento !== undefined;
    if (!memento) {
      const timeline = await requireDocument<TimelineModel>(readModels, timelineKey(storyId), `story ${storyId}`);
      settled = projectionPassed(timeline, instant);
      const known = storyFeedAsOf(timeline, instant);
      if (!known) throw new NotFoundError(`story ${storyId} had not been recorded at ${instant}`);
      const page = renderPage(known.feed, format, 0, at);
      if (!page) throw new NotFoundError(`there is no feed at ${event.rawPath}`);
      memento = { body: page.body, lastModified: page.lastModified, memento: known.recordedAt };
      if (settled) cache.set(key, memento);
    }
    const base = requestBaseUrl(event);
    const original = `${base}${feedPath({ kind: 'story', storyId }, format)}`;
    return documentResponse(event, {
      body: memento.body.replaceAll(BASE_PLACEHOLDER, base),
      contentType: contentTypes[format],
      lastModified: memento.lastModified,
      cacheControl: settled ? 'public, max-age=86400, immutable' : 'public, max-age=60',
      headers: { ...headers, 'memento-datetime': new Date(memento.memento).toUTCString(), link: [`<${original}>; rel="original"`, headers.link].filter(Boolean).join(', ') },
    });
  };
