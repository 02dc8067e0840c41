import { ValidationError } from '../../events/errors';
import { actorKey, agreementsByStatus, agreementsKey, publicView, STORIES_KEY, storyActorsKey, storyList, storyTimeline, timelineKey, visitsKey } from '../../events/projections';
import type { ActorModel, AgreementsModel, StoriesModel, StoryActorsModel, TimelineModel, Versioned, VisitsModel } from '../../events/projections';
import { ENV } from '../../contracts/env';
import { parseInstant } from '../../events/instant';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createEventStore } from '../adapters/event-store';
import { createReadModelStore } from '../adapters/read-model-store';
import { requiredEnv } from '../config';
import { eventLogPage } from '../event-log';
import { httpHandler, json } from '../http/handle';
import { prefersHtml, VARY_ACCEPT } from '../http/negotiation';
import { openApiDocument } from '../http/openapi';
import { header, intParam, pathParam, slugParam } from '../http/request';
import { requireDigest, requireDocument } from '../read-models';
import { servePage } from '../http/pages';
import { pageReaderOf } from '../page-reader';

/** The public reads: health, stories, the event log, the read models, digests, the OpenAPI document. */

const client = dynamoClientFromEnv();
const events = createEventStore(client, requiredEnv(ENV.eventsTable));
const readModels = createReadModelStore(client, requiredEnv(ENV.readModelsTable));
const pages = pageReaderOf(readModels);
const cached = { 'cache-control': 'public, max-age=5' };
/** A read model by the slug a route names it with, without the projector's bookkeeping. */
const read = async <T extends Versioned>(slug: string, key: (slug: string) => string, what: string) => publicView(await requireDocument<T>(readModels, key(slug), `${what} ${slug}`));

export const handler = httpHandler({
  'GET /health': () => Promise.resolve(json(200, { status: 'ok' })),
  'GET /openapi.json': () => Promise.resolve(json(200, openApiDocument(), { 'cache-control': 'public, max-age=300' })),
  'GET /stories': async () => {
    const doc = await readModels.get<StoriesModel>(STORIES_KEY);
    return json(200, { stories: doc ? storyList(doc.value).map(({ storyId, title, version, updatedAt }) => ({ storyId, title, version, updatedAt })) : [] }, cached);
  },
  'GET /stories/{storyId}/events': async (event) => {
    const page = { after: intParam(event, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 }), limit: intParam(event, 'limit', { min: 1, max: 1000, fallback: 100 }) };
    return json(200, await eventLogPage(events, slugParam(event, 'storyId'), page));
  },
  'GET /stories/{storyId}/timeline': async (event) => {
    const storyId = slugParam(event, 'storyId');
    const asOf = event.queryStringParameters?.asOf;
    const instant = asOf === undefined ? undefined : parseInstant(asOf);
    if (asOf !== undefined && instant === undefined) throw new ValidationError('Invalid query', [{ field: 'asOf', message: 'must be an ISO 8601 instant' }]);
    const model = await requireDocument<TimelineModel>(readModels, timelineKey(storyId), `story ${storyId}`);
    return json(200, storyTimeline(model, instant), cached);
  },
  'GET /stories/{storyId}/visits': async (event) => json(200, await read<VisitsModel>(slugParam(event, 'storyId'), visitsKey, 'visits of story'), cached),
  'GET /stories/{storyId}/agreements': async (event) => {
    const storyId = slugParam(event, 'storyId');
    return json(200, { storyId, ...agreementsByStatus(await requireDocument<AgreementsModel>(readModels, agreementsKey(storyId), `agreements of story ${storyId}`)) }, cached);
  },
  'GET /stories/{storyId}/actors': async (event) => json(200, await read<StoryActorsModel>(slugParam(event, 'storyId'), storyActorsKey, 'actors of story'), cached),
  'GET /actors/{actorId}': async (event) => {
    const actorId = slugParam(event, 'actorId');
    if (prefersHtml(header(event, 'accept'))) return servePage(event, pages.read({ kind: 'actor', actorId }), true);
    return json(200, await read<ActorModel>(actorId, actorKey, 'actor'), { ...cached, vary: VARY_ACCEPT });
  },
  'GET /digests/{period}/{windowEnd}': async (event) => {
    const period = slugParam(event, 'period');
    const { digestId, eventId, content } = await requireDigest(readModels, period, pathParam(event, 'windowEnd'));
    if (prefersHtml(header(event, 'accept'))) return servePage(event, pages.read({ kind: 'digest', period, digestId }), true);
    return json(200, { digestId, eventId, ...content }, { ...cached, vary: VARY_ACCEPT });
  },
});
