import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { httpHandler, json } from '../http/handle';
import { answer, preferencesForm, wantsPage } from '../subscriptions/pages';
import { readBody } from '../subscriptions/request-body';
import { describePreferences } from '../subscriptions/describe';
import { subscriptionDepsFromEnv } from '../subscriptions/from-env';
import { changePreferences, confirm, erase, linksFor, preferencesOf, subscribe } from '../subscriptions/service';

/** Digest subscriptions: sign up, confirm, preferences, unsubscribe (RFC 8058 one-click) and erasure; counts for editors. */

const deps = subscriptionDepsFromEnv(dynamoClientFromEnv());
const token = (event: APIGatewayProxyEventV2) => event.queryStringParameters?.token;
const UNSUBSCRIBED = { title: 'You are unsubscribed', paragraphs: ['Your address and everything kept about your subscription are deleted. No more digests will be sent.'] };

const confirmRoute = async (event: APIGatewayProxyEventV2) => {
  const { form } = event.requestContext.http.method === 'POST' ? await readBody(event) : { form: false };
  return answer(wantsPage(event, form), async () => {
    const preferences = await confirm(deps, token(event));
    return { status: 200, page: { title: 'Subscription confirmed', paragraphs: [`You will receive ${describePreferences(preferences)}.`] }, body: { status: 'confirmed', preferences } };
  });
};

export const handler = httpHandler({
  'POST /subscriptions': async (event) => {
    const { fields, form } = await readBody(event);
    return answer(wantsPage(event, form), async () => {
      await subscribe(deps, fields, event.requestContext.http.sourceIp);
      const message = 'If the address can receive mail, a message with a confirmation link is on its way. The link works for 48 hours.';
      return { status: 202, page: { title: 'Check your inbox', paragraphs: [message] }, body: { status: 'accepted', message } };
    });
  },
  'GET /subscriptions/counts': async () => json(200, await deps.store.counts()),
  'GET /subscriptions/confirm': confirmRoute,
  'POST /subscriptions/confirm': confirmRoute,
  'GET /subscriptions/unsubscribe': async (event) =>
    answer(wantsPage(event, false), async () => {
      const { unsubscribeUrl, preferencesUrl } = await linksFor(deps, token(event));
      const page = { title: 'Unsubscribe?', paragraphs: ['Unsubscribing deletes your address and your subscription.'] };
      const form = { action: new URL(unsubscribeUrl).pathname + new URL(unsubscribeUrl).search, button: 'Unsubscribe', fields: { 'List-Unsubscribe': 'One-Click' } };
      return { status: 200, page: { ...page, form, links: [{ href: preferencesUrl, text: 'Change what you receive instead' }] }, body: { unsubscribe: { method: 'POST', url: unsubscribeUrl } } };
    }),
  'POST /subscriptions/unsubscribe': async (event) => {
    const { form } = await readBody(event);
    return answer(wantsPage(event, form), async () => {
      await erase(deps, token(event));
      return { status: 200, page: UNSUBSCRIBED, body: { status: 'unsubscribed' } };
    });
  },
  'GET /subscriptions/preferences': async (event) =>
    answer(wantsPage(event, false), async () => {
      const preferences = await preferencesOf(deps, token(event));
      const page = { title: 'Your digest subscription', paragraphs: [`You receive ${describePreferences(preferences)}.`], form: preferencesForm(preferences, `${event.rawPath}?${event.rawQueryString}`) };
      return { status: 200, page, body: { preferences } };
    }),
  'POST /subscriptions/preferences': async (event) => {
    const { fields, form } = await readBody(event);
    return answer(wantsPage(event, form), async () => {
      const preferences = await changePreferences(deps, token(event), fields);
      return { status: 200, page: { title: 'Preferences saved', paragraphs: [`You will receive ${describePreferences(preferences)}.`] }, body: { preferences } };
    });
  },
  'DELETE /subscriptions': async (event) => {
    await erase(deps, token(event));
    return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
  },
});
