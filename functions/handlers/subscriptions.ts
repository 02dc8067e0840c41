import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { actorKey, actorVisitEvents, actorVisitStories, storyVisitEvents, visitsKey, type ActorModel, type VisitEvent, type VisitsModel } from '../../events/projections';
import { ENV } from '../../contracts/env';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createReadModelStore } from '../adapters/read-model-store';
import { requiredEnv } from '../config';
import { requestBaseUrl } from '../http/conditional';
import { httpHandler } from '../http/handle';
import { documentResponse, slugParam } from '../http/representation';
import { requireDocument } from '../read-models';
import { ICS_CONTENT_TYPE, renderVisitsCalendar } from '../render/ics';

/** What a person subscribes to besides feeds: the visits of a story or an actor as a calendar. From stored read models only. */

const readModels = createReadModelStore(dynamoClientFromEnv(), requiredEnv(ENV.readModelsTable));
const CACHE_CONTROL = 'public, max-age=300';

const calendarResponse = (event: APIGatewayProxyEventV2, name: string, visits: VisitEvent[]) => {
  const base = requestBaseUrl(event);
  const body = renderVisitsCalendar(name, visits, (visit) => `${base}/stories/${visit.storyId}/visits`);
  const lastModified = visits.reduce((latest, visit) => (visit.changed > latest ? visit.changed : latest), '1970-01-01T00:00:00.000Z');
  return documentResponse(event, { body, contentType: ICS_CONTENT_TYPE, lastModified, cacheControl: CACHE_CONTROL });
};

export const handler = httpHandler({
  'GET /stories/{storyId}/visits.ics': async (event) => {
    const storyId = slugParam(event, 'storyId');
    const model = await requireDocument<VisitsModel>(readModels, visitsKey(storyId), `visits of story ${storyId}`);
    return calendarResponse(event, `Storyline: visits of ${storyId}`, storyVisitEvents(model));
  },
  'GET /actors/{actorId}/visits.ics': async (event) => {
    const actorId = slugParam(event, 'actorId');
    const actor = await requireDocument<ActorModel>(readModels, actorKey(actorId), `actor ${actorId}`);
    const models = await readModels.getMany<VisitsModel>(actorVisitStories(actor).map(visitsKey));
    return calendarResponse(event, `Storyline: visits of ${actor.name}`, actorVisitEvents(actor, [...models.values()].map((doc) => doc.value)));
  },
});
