import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  actorKey,
  actorVisitEvents,
  actorVisitStories,
  digestFeedKey,
  feedDirectory,
  STORIES_KEY,
  storyVisitEvents,
  timelineKey,
  visitsKey,
  type ActorModel,
  type StoriesModel,
  type TimelineModel,
  type VisitEvent,
  type VisitsModel,
} from '../../events/projections';
import { digestSchedules } from '../../contracts/schedules';
import { ENV } from '../../contracts/env';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createReadModelStore } from '../adapters/read-model-store';
import { requiredEnv } from '../config';
import { requestBaseUrl } from '../http/conditional';
import { visitPages } from '../visit-links';
import { httpHandler } from '../http/handle';
import { documentResponse, slugParam } from '../http/representation';
import { requireDocument } from '../read-models';
import { ICS_CONTENT_TYPE, renderVisitsCalendar } from '../render/ics';
import { OPML_CONTENT_TYPE, renderOpml } from '../render/opml';

/** What a person subscribes to: the visits of a story or an actor as a calendar, every feed as OPML. From stored read models only. */

const readModels = createReadModelStore(dynamoClientFromEnv(), requiredEnv(ENV.readModelsTable));
const CACHE_CONTROL = 'public, max-age=300';
const EPOCH = '1970-01-01T00:00:00.000Z';

const calendarResponse = (event: APIGatewayProxyEventV2, name: string, visits: VisitEvent[], models: readonly VisitsModel[]) => {
  const base = requestBaseUrl(event);
  const pageOf = visitPages(models);
  const body = renderVisitsCalendar(name, visits, (visit) => `${base}${pageOf(visit)}`);
  const lastModified = visits.reduce((latest, visit) => (visit.changed > latest ? visit.changed : latest), EPOCH);
  return documentResponse(event, { body, contentType: ICS_CONTENT_TYPE, lastModified, cacheControl: CACHE_CONTROL });
};

export const handler = httpHandler({
  'GET /feeds.opml': async (event) => {
    const stories = (await readModels.get<StoriesModel>(STORIES_KEY))?.value;
    const storyIds = (stories?.stories ?? []).map((story) => story.storyId);
    const [timelines, digests] = await Promise.all([readModels.getMany<TimelineModel>(storyIds.map(timelineKey)), readModels.getMany(digestSchedules.map((s) => digestFeedKey(s.period)))]);
    const periods = digestSchedules.map((s) => s.period).filter((period) => digests.has(digestFeedKey(period)));
    const directory = feedDirectory(stories, [...timelines.values()].map((doc) => doc.value), periods);
    const lastModified = (stories?.stories ?? []).reduce((latest, story) => (story.updatedAt > latest ? story.updatedAt : latest), EPOCH);
    return documentResponse(event, { body: renderOpml(directory, requestBaseUrl(event), lastModified), contentType: OPML_CONTENT_TYPE, lastModified, cacheControl: CACHE_CONTROL });
  },
  'GET /stories/{storyId}/visits.ics': async (event) => {
    const storyId = slugParam(event, 'storyId');
    const model = await requireDocument<VisitsModel>(readModels, visitsKey(storyId), `visits of story ${storyId}`);
    return calendarResponse(event, `Storyline: visits of ${storyId}`, storyVisitEvents(model), [model]);
  },
  'GET /actors/{actorId}/visits.ics': async (event) => {
    const actorId = slugParam(event, 'actorId');
    const actor = await requireDocument<ActorModel>(readModels, actorKey(actorId), `actor ${actorId}`);
    const models = [...(await readModels.getMany<VisitsModel>(actorVisitStories(actor).map(visitsKey))).values()].map((doc) => doc.value);
    return calendarResponse(event, `Storyline: visits of ${actor.name}`, actorVisitEvents(actor, models), models);
  },
});
