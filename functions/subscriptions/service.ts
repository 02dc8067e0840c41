import type { Mailer } from '../adapters/mailer';
import { HttpError } from '../http/http-errors';
import { logger } from '../logger';
import { escapeHtml } from '../render/text';
import { describePreferences } from './describe';
import { confirmUrl, manageLinks } from './links';
import { parseAddress, parsePreferences, type Preferences } from './preferences';
import type { Fields } from './request-body';
import type { Subscription, SubscriptionStore } from './store';
import { clientIdOf, subscriberIdOf, verifySubscriptionToken, type TokenPurpose } from './tokens';

/**
 * Sign-up, confirmation, preferences and erasure. Logs name a subscriber by its opaque id (`sid`),
 * never by address; answers to a sign-up are the same whatever the address's state.
 */

export interface SubscriptionLimits {
  /** One confirmation mail per address per this many seconds. */
  addressWindowSeconds: number;
  /** Sign-ups per client per window. */
  clientRequests: number;
  clientWindowSeconds: number;
}

export const DEFAULT_LIMITS: SubscriptionLimits = { addressWindowSeconds: 600, clientRequests: 20, clientWindowSeconds: 600 };

export interface SubscriptionDeps {
  store: SubscriptionStore;
  mailer: Mailer;
  key: () => Promise<Buffer>;
  now: () => Date;
  baseUrl: string;
  limits?: SubscriptionLimits;
}

const refused = {
  malformed: 'This link is not valid: it may have been cut short or changed. Open the whole link from the e-mail.',
  tampered: 'This link is not valid: it may have been cut short or changed. Open the whole link from the e-mail.',
  'wrong-purpose': 'This link is not valid here.',
  expired: 'This confirmation link has expired (links last 48 hours). Sign up again to get a new one.',
} as const;

const subscriberOf = async (deps: SubscriptionDeps, token: string | undefined, purpose: TokenPurpose): Promise<string> => {
  const check = verifySubscriptionToken(await deps.key(), token, purpose, deps.now().getTime());
  if (!check.ok) throw new HttpError(400, check.reason === 'expired' ? 'Link expired' : 'Invalid link', refused[check.reason]);
  return check.sid;
};

const gone = () => new HttpError(404, 'No subscription', 'There is no subscription for this link: it was cancelled or never confirmed.');

export const subscribe = async (deps: SubscriptionDeps, fields: Fields, client: string): Promise<void> => {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const key = await deps.key();
  const nowMs = deps.now().getTime();
  const requests = await deps.store.countClientRequest(clientIdOf(key, client), nowMs, limits.clientWindowSeconds);
  if (requests > limits.clientRequests) {
    throw new HttpError(429, 'Too many requests', `at most ${limits.clientRequests} sign-ups per ${limits.clientWindowSeconds / 60} minutes from one client`, { 'retry-after': String(limits.clientWindowSeconds) });
  }
  const address = parseAddress(fields);
  const preferences = parsePreferences(fields);
  const sid = subscriberIdOf(key, address);
  await deps.store.request(sid, address, preferences, deps.now());
  if (!(await deps.store.claimAddressSlot(sid, nowMs, limits.addressWindowSeconds))) {
    logger.info('confirmation not sent: one was sent to this subscriber in the last window', { sid });
    return;
  }
  const link = confirmUrl(deps.baseUrl, key, sid, nowMs);
  const what = describePreferences(preferences);
  await deps.mailer.send({
    to: [address],
    subject: 'Confirm your Storyline digest subscription',
    text: `Someone, probably you, asked for ${what} at this address.\n\nConfirm: ${link}\n\nThe link works for 48 hours. If you did not ask for this, ignore this message: nothing more will be sent.\n`,
    html: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Confirm your subscription</title></head><body><p>Someone, probably you, asked for ${escapeHtml(what)} at this address.</p><p><a href="${escapeHtml(link)}">Confirm the subscription</a></p><p>The link works for 48 hours. If you did not ask for this, ignore this message: nothing more will be sent.</p></body></html>`,
    date: deps.now(),
    messageId: `confirm-${sid}-${nowMs}@storyline`,
  });
  logger.info('confirmation sent', { sid });
};

export const confirm = async (deps: SubscriptionDeps, token: string | undefined): Promise<Preferences> => {
  const sid = await subscriberOf(deps, token, 'confirm');
  const subscription = await deps.store.confirm(sid, deps.now());
  if (!subscription?.preferences) throw gone();
  logger.info('subscription confirmed', { sid, period: subscription.preferences.period });
  return subscription.preferences;
};

/** Unsubscribing and erasure are one act: everything kept about the subscriber goes, the address with it. */
export const erase = async (deps: SubscriptionDeps, token: string | undefined): Promise<void> => {
  const sid = await subscriberOf(deps, token, 'manage');
  const items = await deps.store.erase(sid);
  logger.info('subscriber erased', { sid, items });
};

export const preferencesOf = async (deps: SubscriptionDeps, token: string | undefined): Promise<Preferences> => {
  const subscription: Subscription | undefined = await deps.store.get(await subscriberOf(deps, token, 'manage'));
  if (!subscription?.preferences) throw gone();
  return subscription.preferences;
};

export const changePreferences = async (deps: SubscriptionDeps, token: string | undefined, fields: Fields): Promise<Preferences> => {
  const sid = await subscriberOf(deps, token, 'manage');
  const preferences = parsePreferences(fields);
  const updated = await deps.store.updatePreferences(sid, preferences);
  if (!updated?.preferences) throw gone();
  logger.info('preferences changed', { sid, period: preferences.period });
  return updated.preferences;
};

/** The manage links of a token's subscriber (pages link to the preferences from the unsubscribe page and back). */
export const linksFor = async (deps: SubscriptionDeps, token: string | undefined) =>
  manageLinks(deps.baseUrl, await deps.key(), await subscriberOf(deps, token, 'manage'), deps.now().getTime());
