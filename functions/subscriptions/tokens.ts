import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Subscriber ids and the tokens in subscription links, all HMAC-SHA256 under one secret key.
 *
 * - A subscriber id (`sid`) is an HMAC of the normalised address: opaque, stable, so that a sign-up
 *   finds its subscription without storing or indexing the address anywhere else, and logs and send
 *   records name the subscriber without the address.
 * - A confirmation token (`c`) names a sid and expires (48 h); a manage token (`m`: unsubscribe,
 *   preferences, erasure) names a sid and does not expire. A token is `<payload>.<signature>`.
 */

export const CONFIRMATION_TTL_SECONDS = 48 * 3600;

export type TokenPurpose = 'confirm' | 'manage';
export type TokenCheck = { ok: true; sid: string } | { ok: false; reason: 'malformed' | 'tampered' | 'expired' | 'wrong-purpose' };

const mac = (key: Buffer, label: string, value: string): Buffer => createHmac('sha256', key).update(`${label}\n${value}`).digest();

/** The one normalisation of an address for identity: trimmed, lowercase. */
export const normaliseAddress = (address: string): string => address.trim().toLowerCase();

export const subscriberIdOf = (key: Buffer, address: string): string => mac(key, 'subscriber', normaliseAddress(address)).subarray(0, 18).toString('base64url');

/** An opaque key for a client (its source IP), for the per-client rate limit. */
export const clientIdOf = (key: Buffer, client: string): string => mac(key, 'client', client).subarray(0, 12).toString('base64url');

const prefix = { confirm: 'c', manage: 'm' } as const;

export const signToken = (key: Buffer, purpose: TokenPurpose, sid: string, nowMs: number): string => {
  const payload = purpose === 'confirm' ? `${prefix.confirm}.${sid}.${Math.floor(nowMs / 1000) + CONFIRMATION_TTL_SECONDS}` : `${prefix.manage}.${sid}`;
  const encoded = Buffer.from(payload).toString('base64url');
  return `${encoded}.${mac(key, 'token', payload).toString('base64url')}`;
};

export const verifySubscriptionToken = (key: Buffer, token: string | undefined, purpose: TokenPurpose, nowMs: number): TokenCheck => {
  const [encoded, signature, extra] = (token ?? '').split('.');
  if (!encoded || !signature || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(encoded + signature)) return { ok: false, reason: 'malformed' };
  const payload = Buffer.from(encoded, 'base64url').toString('utf8');
  const expected = mac(key, 'token', payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'tampered' };
  const [kind, sid, expires] = payload.split('.');
  if (kind !== prefix[purpose] || !sid) return { ok: false, reason: 'wrong-purpose' };
  if (purpose === 'confirm' && !(Number(expires) * 1000 > nowMs)) return { ok: false, reason: 'expired' };
  return { ok: true, sid };
};
