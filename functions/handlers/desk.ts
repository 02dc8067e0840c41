import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import { DESK_PATHS } from '../../contracts/routes';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createEventStore } from '../adapters/event-store';
import { createReadModelStore } from '../adapters/read-model-store';
import { optionalEnv, requiredEnv } from '../config';
import { httpHandler, type RouteHandler } from '../http/handle';
import { pathParam, slugParam } from '../http/request';
import { createStoryService } from '../story-service';
import { sessionOf, type DeskDeps } from '../desk/desk';
import { developmentForm, submitDevelopment } from '../desk/development-pages';
import { hostedSignInFromEnv } from '../desk/hosted-sign-in';
import { deskPath } from '../links';
import { redirect } from '../desk/request';
import { deskSecret } from '../desk/secret';
import { redeemLink, signInPage, signOut, startSession } from '../desk/sign-in';
import type { DeskSession } from '../desk/session';
import { deskHome, openStory, reviseStory, storyDesk } from '../desk/story-pages';

/** The desk: editors sign in, then open stories and write, correct and retract developments (functions/desk/*). */

const client = dynamoClientFromEnv();
const store = createEventStore(client, requiredEnv(ENV.eventsTable));
const publicBase = optionalEnv(ENV.publicBaseUrl);
const deps: DeskDeps = {
  store,
  stories: createStoryService(store),
  readModels: createReadModelStore(client, requiredEnv(ENV.readModelsTable)),
  key: deskSecret,
  now: () => new Date(),
  ...(publicBase ? { publicOrigin: new URL(publicBase).origin } : {}),
};
const hosted = hostedSignInFromEnv(deskSecret);

/** A page for a signed-in editor; a signed-out visit is sent to sign in. */
const signedIn =
  (page: (session: DeskSession, event: APIGatewayProxyEventV2) => ReturnType<RouteHandler>): RouteHandler =>
  async (event) => {
    const session = await sessionOf(deps, event);
    return session ? page(session, event) : redirect(deskPath('signIn'));
  };
const params = (event: APIGatewayProxyEventV2) => ({ storyId: slugParam(event, 'storyId'), type: event.pathParameters?.type ?? '', eventId: event.pathParameters?.eventId ?? '' });

export const handler = httpHandler({
  [`GET ${DESK_PATHS.desk}`]: signedIn((session) => deskHome(deps, session)),
  [`POST ${DESK_PATHS.stories}`]: (event) => openStory(deps, event),
  [`GET ${DESK_PATHS.signIn}`]: (event) => signInPage(deps, event, hosted),
  [`GET ${DESK_PATHS.signInLink}`]: (event) => redeemLink(deps, event),
  [`GET ${DESK_PATHS.signInCallback}`]: async (event) => {
    const subject = hosted ? await hosted.finish(event) : undefined;
    return subject ? startSession(deps, event, subject, true) : signInPage(deps, event, undefined, 'The sign-in did not complete: try again.');
  },
  [`POST ${DESK_PATHS.signOut}`]: (event) => signOut(deps, event),
  [`GET ${DESK_PATHS.story}`]: signedIn((session, event) => storyDesk(deps, session, slugParam(event, 'storyId'))),
  [`POST ${DESK_PATHS.revise}`]: (event) => reviseStory(deps, event, slugParam(event, 'storyId')),
  [`GET ${DESK_PATHS.add}`]: signedIn((session, event) => developmentForm(deps, session, 'add', slugParam(event, 'storyId'), { type: pathParam(event, 'type') })),
  [`POST ${DESK_PATHS.add}`]: (event) => submitDevelopment(deps, event, 'add', params(event).storyId, { type: pathParam(event, 'type') }),
  [`GET ${DESK_PATHS.correct}`]: signedIn((session, event) => developmentForm(deps, session, 'correct', slugParam(event, 'storyId'), { eventId: pathParam(event, 'eventId') })),
  [`POST ${DESK_PATHS.correct}`]: (event) => submitDevelopment(deps, event, 'correct', params(event).storyId, { eventId: pathParam(event, 'eventId') }),
  [`GET ${DESK_PATHS.retract}`]: signedIn((session, event) => developmentForm(deps, session, 'retract', slugParam(event, 'storyId'), { eventId: pathParam(event, 'eventId') })),
  [`POST ${DESK_PATHS.retract}`]: (event) => submitDevelopment(deps, event, 'retract', params(event).storyId, { eventId: pathParam(event, 'eventId') }),
});
