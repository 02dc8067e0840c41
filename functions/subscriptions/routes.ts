import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { json, type RouteHandler } from '../http/handle';
import { subscriptionPath } from '../links';
import { describePreferences } from './describe';
import { answer, preferencesForm, wantsPage, type PageForm } from './pages';
import { readBody } from './request-body';
import { cancelSignUp, changePreferences, confirm, checkConfirmationLink, erase, linksFor, preferencesOf, signOutEverywhere, subscribe, type SubscriptionDeps } from './service';

/**
 * The subscription routes (contracts/routes.ts), given their dependencies. Every link a mail carries
 * is a GET that changes nothing (mail scanners and link previews fetch every link) and answers a page
 * with a button, or for a JSON client where to POST; the POST acts.
 */

const tokenOf = (event: APIGatewayProxyEventV2) => event.queryStringParameters?.token;
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
const UNSUBSCRIBED = { title: 'You are unsubscribed', paragraphs: ['Your address and everything kept about your subscription are deleted. No more digests will be sent.'] };
const CONFIRM_WITH_POST = 'Nothing is confirmed by opening the link: POST to this URL to confirm the subscription.';
const PRESS_CONFIRM = 'Nothing is confirmed by opening the link: press Confirm to confirm the subscription.';

/** A GET that only shows a button: the link is checked first, so a bad one gets its clear answer here already. */
const prompt = (check: (deps: SubscriptionDeps, token: string | undefined) => Promise<unknown>, deps: SubscriptionDeps, kind: 'confirm' | 'cancel', page: { title: string; paragraph: string; button: string }, body: (url: string) => unknown): RouteHandler =>
  async (event) =>
    answer(wantsPage(event, false), async () => {
      await check(deps, tokenOf(event));
      const action = subscriptionPath(kind, tokenOf(event) ?? '');
      return { status: 200, page: { title: page.title, paragraphs: [page.paragraph], forms: [{ action, button: page.button }] }, body: body(`${deps.baseUrl}${action}`) };
    });

/** Acts on a POST: a form post gets a page, JSON a body. */
const act = (work: (event: APIGatewayProxyEventV2, fields: Record<string, string[]>) => Promise<{ status: number; page: { title: string; paragraphs: string[] }; body: unknown }>): RouteHandler =>
  async (event) => {
    const { fields, form } = await readBody(event);
    return answer(wantsPage(event, form), () => work(event, fields));
  };

export const subscriptionRoutes = (deps: SubscriptionDeps): Record<string, RouteHandler> => ({
  'POST /subscriptions': act(async (event, fields) => {
    await subscribe(deps, fields, event.requestContext.http.sourceIp);
    const message = 'If the address can receive mail, a message with a confirmation link is on its way. The link works for 48 hours.';
    return { status: 202, page: { title: 'Check your inbox', paragraphs: [message] }, body: { status: 'accepted', message } };
  }),
  'GET /subscriptions/counts': async () => json(200, await deps.subscriptions.counts(deps.now().getTime())),
  'GET /subscriptions/confirm': prompt(checkConfirmationLink, deps, 'confirm', { title: 'Confirm your subscription', paragraph: PRESS_CONFIRM, button: 'Confirm' }, (url) => ({
    status: 'confirm-with-post',
    message: CONFIRM_WITH_POST,
    confirm: { method: 'POST', url },
  })),
  'POST /subscriptions/confirm': act(async (event) => {
    const preferences = await confirm(deps, tokenOf(event));
    return { status: 200, page: { title: 'Subscription confirmed', paragraphs: [`You will receive ${describePreferences(preferences)}.`] }, body: { status: 'confirmed', preferences } };
  }),
  'GET /subscriptions/cancel': prompt(checkConfirmationLink, deps, 'cancel', { title: 'Delete this sign-up?', paragraph: 'Deleting it removes the address from Storyline; no digest will be sent.', button: 'Delete the sign-up' }, (url) => ({
    cancel: { method: 'POST', url },
  })),
  'POST /subscriptions/cancel': act(async (event) => {
    await cancelSignUp(deps, tokenOf(event));
    return { status: 200, page: { title: 'Sign-up deleted', paragraphs: ['The address and the request are deleted. Nothing will be sent.'] }, body: { status: 'cancelled' } };
  }),
  'GET /subscriptions/unsubscribe': async (event) =>
    answer(wantsPage(event, false), async () => {
      const { unsubscribeUrl, preferencesUrl } = await linksFor(deps, tokenOf(event));
      const form: PageForm = { action: pathOf(unsubscribeUrl), button: 'Unsubscribe', fields: { 'List-Unsubscribe': 'One-Click' } };
      const page = { title: 'Unsubscribe?', paragraphs: ['Unsubscribing deletes your address and your subscription.'], forms: [form], links: [{ href: pathOf(preferencesUrl), text: 'Change what you receive instead' }] };
      return { status: 200, page, body: { unsubscribe: { method: 'POST', url: unsubscribeUrl } } };
    }),
  'POST /subscriptions/unsubscribe': act(async (event) => {
    await erase(deps, tokenOf(event));
    return { status: 200, page: UNSUBSCRIBED, body: { status: 'unsubscribed' } };
  }),
  'GET /subscriptions/preferences': async (event) =>
    answer(wantsPage(event, false), async () => {
      const preferences = await preferencesOf(deps, tokenOf(event));
      const { signOutUrl } = await linksFor(deps, tokenOf(event));
      const signOut: PageForm = {
        action: pathOf(signOutUrl),
        button: 'Sign me out everywhere',
        heading: 'Sign out everywhere',
        note: 'Every link sent to you so far (this one included) stops working, wherever it was forwarded. Your subscription stays; the next digest carries new links.',
      };
      const page = { title: 'Your digest subscription', paragraphs: [`You receive ${describePreferences(preferences)}.`], forms: [preferencesForm(preferences, `${event.rawPath}?${event.rawQueryString}`), signOut] };
      return { status: 200, page, body: { preferences } };
    }),
  'POST /subscriptions/preferences': act(async (event, fields) => {
    const preferences = await changePreferences(deps, tokenOf(event), fields);
    return { status: 200, page: { title: 'Preferences saved', paragraphs: [`You will receive ${describePreferences(preferences)}.`] }, body: { preferences } };
  }),
  'POST /subscriptions/sign-out': act(async (event) => {
    await signOutEverywhere(deps, tokenOf(event));
    return { status: 200, page: { title: 'Signed out everywhere', paragraphs: ['Every link sent so far no longer works. Your subscription stays; the next digest carries new links.'] }, body: { status: 'signed-out' } };
  }),
  'DELETE /subscriptions': async (event) => {
    await erase(deps, tokenOf(event));
    return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
  },
});
