import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  actorKey,
  agreementsByStatus,
  agreementsKey,
  isUnreadable,
  publicView,
  STORIES_KEY,
  storyActorsKey,
  storyList,
  storyTimeline,
  timelineKey,
  visitsKey,
  type ActorModel,
  type AgreementsModel,
  type StoriesModel,
  type StoryActorsModel,
  type TimelineModel,
  type VisitsModel,
} from '../../events/projections';
import { Slug } from '../../events/catalog/development';
import { ValidationError } from '../../events/errors';
import { storyStreamId } from '../../events/streams';
import { parseInstant } from '../../events/instant';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createEventStore } from '../adapters/event-store';
import { createReadModelStore } from '../adapters/read-model-store';
import { ENV } from '../../contracts/env';
import { requiredEnv } from '../config';
import { httpHandler, json } from '../http/handle';
import { openApiDocument } from '../http/openapi';
import { header, intParam, pathParam } from '../http/request';
import { requireDocument } from '../read-models';
import { digestIdOf, type DigestContent, type DigestPeriod } from '../../events/digest/compose';
import { NotFoundError } from '../../events/errors';
import { digestFeedKey, type FeedModel } from '../../events/projections';
import { prefersHtml, VARY_ACCEPT } from '../http/negotiate';
import { servePage } from '../http/pages';
import { pageKeys } from '../page-publication';

/** The public reads: health, stories, the event log, the read models, the OpenAPI document. */

const client = dynamoClientFromEnv();
const events = createEventStore(client, requiredEnv(ENV.eventsTable));
const readModels = createReadModelStore(client, requiredEnv(ENV.readModelsTable));

const slugParam = (event: APIGatewayProxyEventV2, name: string): string => {
  const value = pathParam(event, name);
  if (!Slug.safeParse(value).success) throw new ValidationError('Invalid path', [{ field: name, message: 'must be a lowercase slug (a-z, 0-9, -)' }]);
  return value;
};

const cached = { 'cache-control': 'public, max-age=5' };

export const handler = httpHandler({
  'GET /health': async () => json(200, { status: 'ok' }),
  'GET /openapi.json': async () => json(200, openApiDocument(), { 'cache-control': 'public, max-age=300' }),
  'GET /stories': async () => {
    const doc = await readModels.get<StoriesModel>(STORIES_KEY);
    const stories = doc ? storyList(doc.value).map(({ storyId, title, version, updatedAt }) => ({ storyId, title, version, updatedAt })) : [];
    return json(200, { stories }, cached);
  },
  'GET /stories/{storyId}/events': async (event) => {
    const storyId = slugParam(event, 'storyId');
    const after = intParam(event, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    const limit = intParam(event, 'limit', { min: 1, max: 1000, fallback: 100 });
    const page = await events.readRecords(storyStreamId(storyId), { after, limit: limit + 1 });
    // the log shows every event; one this code cannot read, as what can be said of it
    const shown = page
      .slice(0, limit)
      .map((e) =>
        isUnreadable(e)
          ? { version: e.version, id: e.id, type: e.type, recordedAt: e.recordedAt, unreadable: e.reason }
          : { version: e.version, id: e.id, type: e.type, schemaVersion: e.schemaVersion, recordedAt: e.recordedAt, reportedAt: e.reportedAt, data: e.data, metadata: e.metadata },
      );
    const last = shown[shown.length - 1];
    return json(200, { storyId, events: shown, ...(page.length > limit && last ? { next: `/stories/${storyId}/events?after=${last.version}&limit=${limit}` } : {}) });
  },
  'GET /stories/{storyId}/timeline': async (event) => {
    const storyId = slugParam(event, 'storyId');
    const asOf = event.queryStringParameters?.asOf;
    const instant = asOf === undefined ? undefined : parseInstant(asOf);
    if (asOf !== undefined && instant === undefined) throw new ValidationError('Invalid query', [{ field: 'asOf', message: 'must be an ISO 8601 instant' }]);
    const model = await requireDocument<TimelineModel>(readModels, timelineKey(storyId), `story ${storyId}`);
    return json(200, storyTimeline(model, instant), cached);
  },
  'GET /stories/{storyId}/visits': async (event) => {
    const storyId = slugParam(event, 'storyId');
    return json(200, publicView(await requireDocument<VisitsModel>(readModels, visitsKey(storyId), `visits of story ${storyId}`)), cached);
  },
  'GET /stories/{storyId}/agreements': async (event) => {
    const storyId = slugParam(event, 'storyId');
    const model = await requireDocument<AgreementsModel>(readModels, agreementsKey(storyId), `agreements of story ${storyId}`);
    return json(200, { storyId, ...agreementsByStatus(model) }, cached);
  },
  'GET /stories/{storyId}/actors': async (event) => {
    const storyId = slugParam(event, 'storyId');
    return json(200, publicView(await requireDocument<StoryActorsModel>(readModels, storyActorsKey(storyId), `actors of story ${storyId}`)), cached);
  },
  'GET /digests/{period}/{windowEnd}': async (event) => {
    const period = slugParam(event, 'period');
    const wanted = pathParam(event, 'windowEnd');
    const windowEnd = parseInstant(wanted);
    const digestId = windowEnd !== undefined ? digestIdOf(period as DigestPeriod, windowEnd) : wanted;
    const feed = await requireDocument<FeedModel>(readModels, digestFeedKey(period), `digests of period ${period}`);
    const entry = feed.entries.find((e) => e.kind === 'digest' && e.path.endsWith(`/${digestId}`));
    if (!entry?.digest) throw new NotFoundError(`there is no ${period} digest ${wanted}`);
    if (prefersHtml(header(event, 'accept'))) return servePage(readModels, event, pageKeys.digest(period, digestId), true);
    return json(200, { digestId, eventId: entry.id, ...(entry.digest as unknown as DigestContent) }, { ...cached, vary: VARY_ACCEPT });
  },
  'GET /actors/{actorId}': async (event) => {
    const actorId = slugParam(event, 'actorId');
    if (prefersHtml(header(event, 'accept'))) return servePage(readModels, event, pageKeys.actor(actorId), true);
    return json(200, publicView(await requireDocument<ActorModel>(readModels, actorKey(actorId), `actor ${actorId}`)), { ...cached, vary: VARY_ACCEPT });
  },
});
