import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { checkedForm, nowSeconds, sessionOf, type DeskDeps } from './desk';
import { pagePath } from '../links';
import { deskPath } from '../links';
import { deskDocument } from './pages';
import { htmlPage, redirect, requestOrigin } from './request';
import { issueSession, readSignInLink, sessionCookie } from './session';
import type { HostedSignIn } from './hosted-sign-in';

/**
 * Signing in and out. Locally an editor redeems a one-time link (`npx storyline sign-in`); in AWS the
 * desk hands over to the hosted sign-in of the OIDC provider (the stack's Cognito user pool).
 */

/**
 * A new session for an editor: its cookie, and a redirect to the desk. After a provider's sign-in
 * (`afterProvider`), a page with a link to the desk instead: a SameSite=Strict cookie set at the end
 * of a cross-site redirect is not sent on a redirect that continues it, but is on the editor's click.
 */
export const startSession = async (deps: DeskDeps, event: APIGatewayProxyEventV2, subject: string, afterProvider = false): Promise<APIGatewayProxyStructuredResultV2> => {
  const { token } = await issueSession(await deps.key(), subject, nowSeconds(deps));
  const cookies = [sessionCookie(requestOrigin(event), token)];
  if (afterProvider) return htmlPage(200, deskDocument('Signed in', `<p><a href="${deskPath('desk')}">Continue to the desk</a></p>`, undefined), cookies);
  return redirect(deskPath('desk'), cookies);
};

export const signInPage = async (deps: DeskDeps, event: APIGatewayProxyEventV2, hosted: HostedSignIn | undefined, problem?: string): Promise<APIGatewayProxyStructuredResultV2> => {
  if (!problem && (await sessionOf(deps, event))) return redirect(deskPath('desk'));
  if (!problem && hosted) return hosted.start(event);
  const how = hosted
    ? `<p><a href="${deskPath('signIn')}">Sign in again</a>.</p>`
    : '<p>On the machine that runs Storyline, run <code>npx storyline sign-in</code> and open the link it prints. Each link signs in once, within ten minutes.</p>';
  return htmlPage(problem ? 403 : 200, deskDocument('Sign in to the desk', `${problem ? `<p class="error-message"><strong>${problem}</strong></p>` : ''}${how}`, undefined));
};

/** Redeems a one-time sign-in link: valid, unexpired, and never used before (its id is claimed once in the event store). */
export const redeemLink = async (deps: DeskDeps, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const token = event.queryStringParameters?.token ?? '';
  const link = token ? await readSignInLink(await deps.key(), token, nowSeconds(deps)) : undefined;
  if (!link) return signInPage(deps, event, undefined, 'This sign-in link is not valid, or it has expired.');
  const first = await deps.store.claimKey('desk-sign-in', link.linkId, deps.now().toISOString());
  if (!first) return signInPage(deps, event, undefined, 'This sign-in link was already used: each link signs in once.');
  return startSession(deps, event, link.subject);
};

export const signOut = async (deps: DeskDeps, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  await checkedForm(deps, event);
  return redirect(pagePath('home'), [sessionCookie(requestOrigin(event), undefined)]);
};
