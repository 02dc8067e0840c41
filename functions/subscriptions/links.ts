import { subscriptionPath } from '../links';
import { confirmationToken, manageToken, type SubscriptionKeys } from './tokens';

/** The links in subscription mail and pages (paths from functions/links.ts); each carries a signed token, never an address. */

/** The confirmation mail's links: confirm, or erase the pending sign-up ("this was not me"); one token names the request for both. */
export const confirmationLinks = (baseUrl: string, keys: SubscriptionKeys, sid: string, requestId: string, nowMs: number) => {
  const token = confirmationToken(keys, sid, requestId, nowMs);
  return { confirmUrl: `${baseUrl}${subscriptionPath('confirm', token)}`, cancelUrl: `${baseUrl}${subscriptionPath('cancel', token)}` };
};

/** The links of a confirmed subscriber's manage token of version `version`. */
export const manageLinks = (baseUrl: string, keys: SubscriptionKeys, sid: string, version: number) => {
  const token = manageToken(keys, sid, version);
  return {
    unsubscribeUrl: `${baseUrl}${subscriptionPath('unsubscribe', token)}`,
    preferencesUrl: `${baseUrl}${subscriptionPath('preferences', token)}`,
    signOutUrl: `${baseUrl}${subscriptionPath('signOut', token)}`,
  };
};

/** RFC 8058: a one-click HTTPS URL (locally http) and the POST body mail clients send to it. */
export const listUnsubscribeHeaders = (unsubscribeUrl: string): Record<string, string> => ({
  'List-Unsubscribe': `<${unsubscribeUrl}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});
