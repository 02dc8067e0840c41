import { randomBytes } from 'node:crypto';
import type { Mailer } from '../adapters/mailer';
import { HttpError } from '../http/http-errors';
import { logger } from '../logger';
import { mailDocument } from '../render/mail-document';
import { escapeHtml } from '../render/text';
import { describePreferences } from './describe';
import { confirmationLinks, manageLinks } from './links';
import { sendMail } from './mail-errors';
import { parseAddress, parsePreferences, type Preferences } from './preferences';
import type { Fields } from './request-body';
import type { SubscriptionStores } from './stores';
import type { Subscription } from './subscription-store';
import { clientIdOf, CONFIRMATION_TTL_SECONDS, subscriberIdOf, verifySubscriptionToken, type SubscriptionKeys, type TokenPurpose, type TokenRefusal } from './tokens';

/**
 * Sign-up, confirmation, preferences and erasure. Logs name a subscriber by its opaque id (`sid`),
 * never by address; answers to a sign-up are the same whatever the address's state.
 */

export interface SubscriptionLimits {
  /** Confirmation mails to one address per UTC day (STORYLINE_CONFIRMATIONS_PER_DAY). */
  confirmationsPerDay: number;
  /** Sign-ups per client per window. */
  clientRequests: number;
  clientWindowSeconds: number;
}

export const DEFAULT_LIMITS: SubscriptionLimits = { confirmationsPerDay: 3, clientRequests: 20, clientWindowSeconds: 600 };

export interface SubscriptionDeps extends SubscriptionStores {
  mailer: Mailer;
  keys: () => Promise<SubscriptionKeys>;
  now: () => Date;
  baseUrl: string;
  limits?: SubscriptionLimits;
}

const INVALID = 'This link is not valid: it may have been cut short or changed. Open the whole link from the e-mail.';
const refused: Record<TokenRefusal, string> = {
  malformed: INVALID,
  tampered: INVALID,
  'wrong-purpose': 'This link is not valid here.',
  expired: 'This confirmation link has expired (links last 48 hours). Sign up again to get a new one.',
  'unknown-key': 'This link is no longer valid: the key it was signed with has been retired. The next digest carries a new one.',
};

const claimsOf = async <P extends TokenPurpose>(deps: SubscriptionDeps, token: string | undefined, purpose: P) => {
  const check = verifySubscriptionToken(await deps.keys(), token, purpose, deps.now().getTime());
  if (!check.ok) throw new HttpError(400, check.reason === 'expired' ? 'Link expired' : 'Invalid link', refused[check.reason]);
  return check;
};

const gone = () => new HttpError(404, 'No subscription', 'There is no subscription for this link: it was cancelled or never confirmed.');
const revoked = () =>
  new HttpError(400, 'Link revoked', "This link no longer works: 'sign me out everywhere' revoked it. The next digest carries a new one.");
const notWaiting = () =>
  new HttpError(404, 'Nothing to confirm', 'This sign-up is not waiting for confirmation: a newer sign-up replaced it, or it was cancelled or has expired. Sign up again to get a new link.');

export const subscribe = async (deps: SubscriptionDeps, fields: Fields, client: string): Promise<void> => {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const keys = await deps.keys();
  const now = deps.now();
  const nowMs = now.getTime();
  const requests = await deps.rateLimits.countClientRequest(clientIdOf(keys, client), nowMs, limits.clientWindowSeconds);
  if (requests > limits.clientRequests) {
    throw new HttpError(429, 'Too many requests', `at most ${limits.clientRequests} sign-ups per ${limits.clientWindowSeconds / 60} minutes from one client`, { 'retry-after': String(limits.clientWindowSeconds) });
  }
  const address = parseAddress(fields);
  const preferences = parsePreferences(fields);
  const sid = subscriberIdOf(keys, address);
  // over the day's limit the request is not even kept: the link of the last mail sent still confirms
  if (!(await deps.rateLimits.claimConfirmationMail(sid, nowMs, limits.confirmationsPerDay))) {
    logger.info('confirmation not sent: the daily limit of confirmation mails to this subscriber is reached', { sid, perDay: limits.confirmationsPerDay });
    return;
  }
  const requestId = randomBytes(12).toString('base64url');
  await deps.subscriptions.request({ sid, email: address, requested: preferences, requestId, requestedAt: now.toISOString(), expiresAt: Math.floor(nowMs / 1000) + CONFIRMATION_TTL_SECONDS });
  const { confirmUrl, cancelUrl } = confirmationLinks(deps.baseUrl, keys, sid, requestId, nowMs);
  const what = describePreferences(preferences);
  const notMe = 'If you did not ask for this, ignore this message: nothing more will be sent, and the request is deleted when the link expires. Or delete it now';
  await sendMail(deps.mailer, {
    to: [address],
    subject: 'Confirm your Storyline digest subscription',
    text: `Someone, probably you, asked for ${what} at this address.\n\nConfirm: ${confirmUrl}\n\nThe link works for 48 hours and opens a page with a Confirm button.\n\n${notMe}: ${cancelUrl}\n`,
    html: mailDocument(
      'Confirm your subscription',
      `<p>Someone, probably you, asked for ${escapeHtml(what)} at this address.</p><p><a href="${escapeHtml(confirmUrl)}">Confirm the subscription</a></p><p>The link works for 48 hours and opens a page with a Confirm button.</p><p>${escapeHtml(notMe)}: <a href="${escapeHtml(cancelUrl)}">delete this sign-up</a>.</p>`,
    ),
    date: now,
    messageId: `confirm-${sid}-${nowMs}@storyline`,
  });
  logger.info('confirmation sent', { sid });
};

/** Checks a confirmation link (signature, purpose, expiry) and changes nothing: what a GET of the link does before showing its button. */
export const checkConfirmationLink = async (deps: SubscriptionDeps, token: string | undefined): Promise<void> => {
  await claimsOf(deps, token, 'confirm');
};

export const confirm = async (deps: SubscriptionDeps, token: string | undefined): Promise<Preferences> => {
  const { sid, requestId } = await claimsOf(deps, token, 'confirm');
  const subscription = await deps.subscriptions.confirm(sid, requestId, deps.now());
  if (!subscription) throw notWaiting();
  logger.info('subscription confirmed', { sid, period: subscription.preferences.period });
  return subscription.preferences;
};

/** The confirmation mail's "this was not me": the pending sign-up it names is deleted, address and all. */
export const cancelSignUp = async (deps: SubscriptionDeps, token: string | undefined): Promise<void> => {
  const { sid, requestId } = await claimsOf(deps, token, 'confirm');
  if (!(await deps.subscriptions.cancelRequest(sid, requestId))) throw notWaiting();
  logger.info('pending sign-up erased', { sid });
};

/** The subscription a manage link controls, if the link's version is still the subscription's. */
const managed = async (deps: SubscriptionDeps, token: string | undefined): Promise<Subscription> => {
  const { sid, version } = await claimsOf(deps, token, 'manage');
  const subscription = await deps.subscriptions.get(sid);
  if (!subscription) throw gone();
  if (subscription.tokenVersion !== version) throw revoked();
  return subscription;
};

/** Unsubscribing and erasure are one act: everything kept about the subscriber goes, the address with it. */
export const erase = async (deps: SubscriptionDeps, token: string | undefined): Promise<void> => {
  const { sid, version } = await claimsOf(deps, token, 'manage');
  const items = await deps.subscriptions.erase(sid, version);
  if (items === 'revoked') throw revoked();
  logger.info('subscriber erased', { sid, items });
};

export const preferencesOf = async (deps: SubscriptionDeps, token: string | undefined): Promise<Preferences> => (await managed(deps, token)).preferences;

export const changePreferences = async (deps: SubscriptionDeps, token: string | undefined, fields: Fields): Promise<Preferences> => {
  const { sid, tokenVersion } = await managed(deps, token);
  const preferences = parsePreferences(fields);
  const updated = await deps.subscriptions.updatePreferences(sid, tokenVersion, preferences);
  if (!updated) throw gone();
  logger.info('preferences changed', { sid, period: preferences.period });
  return updated.preferences;
};

/** 'Sign me out everywhere': every manage link sent so far stops working; the next digest carries new ones. */
export const signOutEverywhere = async (deps: SubscriptionDeps, token: string | undefined): Promise<void> => {
  const { sid, tokenVersion } = await managed(deps, token);
  const version = await deps.subscriptions.revokeManageLinks(sid, tokenVersion);
  if (version === undefined) throw revoked();
  logger.info('manage links revoked', { sid, version });
};

/** The manage links of a token's subscriber (pages link to the preferences from the unsubscribe page and back). */
export const linksFor = async (deps: SubscriptionDeps, token: string | undefined) => {
  const { sid, tokenVersion } = await managed(deps, token);
  return manageLinks(deps.baseUrl, await deps.keys(), sid, tokenVersion);
};
