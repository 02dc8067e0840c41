import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../events/errors';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createEventStore, type AppendResult } from '../adapters/event-store';
import { ENV } from '../../contracts/env';
import { optionalEnv, requiredEnv } from '../config';
import { createSnapshotStore, noSnapshots } from '../adapters/snapshot-store';
import { httpHandler, json } from '../http/handle';
import { HttpError } from '../http/http-errors';
import { header, jsonBody, slugParam } from '../http/request';
import { eventLogPath } from '../links';
import { WRITE_SCOPE } from '../../contracts/scopes';
import { AppendRequest, OpenStory } from '../http/request-schemas';
import { createStoryService } from '../story-service';

/** PUT /stories/{storyId} and POST /stories/{storyId}/events. API Gateway's JWT authorizer has verified the token. */

const client = dynamoClientFromEnv();
const store = createEventStore(client, requiredEnv(ENV.eventsTable));
const snapshotsTable = optionalEnv(ENV.snapshotsTable);
const stories = createStoryService(store, undefined, snapshotsTable ? createSnapshotStore(client, snapshotsTable) : noSnapshots);

const writer = (event: APIGatewayProxyEventV2WithJWTAuthorizer): string => {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const scopes = String(claims.scope ?? '').split(' ');
  if (typeof claims.sub !== 'string' || !claims.sub) throw new HttpError(401, 'Unauthorized', 'a bearer token with a subject is required');
  if (!scopes.includes(WRITE_SCOPE)) throw new HttpError(403, 'Forbidden', `the token lacks the ${WRITE_SCOPE} scope`);
  return claims.sub;
};

const respond = (storyId: string, result: AppendResult) =>
  json(result.repeated ? 200 : 201, { storyId, version: result.version, events: result.events }, result.repeated ? {} : { location: eventLogPath(storyId, { after: result.version - result.events.length }) });

const common = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  const key = header(event, 'idempotency-key');
  if (key !== undefined && (key.length < 1 || key.length > 200)) throw new ValidationError('Invalid header', [{ field: 'Idempotency-Key', message: 'must be 1-200 characters' }]);
  return { subject: writer(event), correlationId: event.requestContext.requestId ?? randomUUID(), ...(key ? { idempotencyKey: key } : {}) };
};

export const handler = httpHandler<APIGatewayProxyEventV2WithJWTAuthorizer>({
  'PUT /stories/{storyId}': async (event) => {
    const context = common(event);
    const storyId = slugParam(event, 'storyId');
    const body = jsonBody(event, OpenStory);
    const result = await stories.append({ ...context, storyId, events: [{ type: 'StoryOpened', data: { storyId, ...body } }] });
    return respond(storyId, result);
  },
  'POST /stories/{storyId}/events': async (event) => {
    const context = common(event);
    const storyId = slugParam(event, 'storyId');
    const body = jsonBody(event, AppendRequest);
    const result = await stories.append({ ...context, storyId, events: body.events, ...(body.expectedVersion !== undefined ? { expectedVersion: body.expectedVersion } : {}) });
    return respond(storyId, result);
  },
});
