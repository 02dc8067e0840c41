import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Subscriber ids and the tokens in subscription links, HMAC-SHA256 under separate keys.
 *
 * - A subscriber id (`sid`) is an HMAC of the normalised address under the identity key: opaque and
 *   stable, so that a sign-up finds its subscription without storing or indexing the address anywhere
 *   else, and logs and send records name the subscriber without the address. The identity key is
 *   never rotated (another key would make every subscriber a stranger).
 * - Tokens are signed by a signing key named by its key id (`kid`, in the token): the current key
 *   signs, every listed key verifies, so the signing key is rotated by adding a key, making it
 *   current, and removing the old one once no link that matters carries it (README: key rotation).
 * - A confirmation token (`c`) names a sid, the exact sign-up request it confirms, and expires (48 h).
 * - A manage token (`m`: unsubscribe, preferences, erasure) names a sid and the subscription's token
 *   version: raising the version ('sign me out everywhere') revokes every manage link sent so far.
 *
 * A token is `<base64url payload>.<base64url signature>`.
 */

export const CONFIRMATION_TTL_SECONDS = 48 * 3600;

export interface SubscriptionKeys {
  /** Keys subscriber ids. */
  identity: Buffer;
  /** Signing keys by key id. */
  signing: Readonly<Record<string, Buffer>>;
  /** The key id new tokens are signed with. */
  current: string;
  /**
   * The key of the links mailed before tokens had key ids (`m.<sid>`, signed with the one secret):
   * still honoured as manage links of version 1, so a deploy breaks no unsubscribe link already
   * mailed; dropped from the key ring once digests with new links have gone out.
   */
  legacy?: Buffer;
}

export type TokenPurpose = 'confirm' | 'manage';
export type TokenClaims = { purpose: 'confirm'; sid: string; requestId: string; expires: number } | { purpose: 'manage'; sid: string; version: number };
export type TokenRefusal = 'malformed' | 'tampered' | 'expired' | 'wrong-purpose' | 'unknown-key';
export type TokenCheck<P extends TokenPurpose> = ({ ok: true } & Extract<TokenClaims, { purpose: P }>) | { ok: false; reason: TokenRefusal };

const mac = (key: Buffer, label: string, value: string): Buffer => createHmac('sha256', key).update(`${label}\n${value}`).digest();

/** The one normalisation of an address for identity: trimmed, lowercase. */
export const normaliseAddress = (address: string): string => address.trim().toLowerCase();

export const subscriberIdOf = (keys: Pick<SubscriptionKeys, 'identity'>, address: string): string =>
  mac(keys.identity, 'subscriber', normaliseAddress(address)).subarray(0, 18).toString('base64url');

/** An opaque key for a client (its source IP), for the per-client rate limit. */
export const clientIdOf = (keys: Pick<SubscriptionKeys, 'identity'>, client: string): string => mac(keys.identity, 'client', client).subarray(0, 12).toString('base64url');

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const prefix = { confirm: 'c', manage: 'm' } as const;

const payloadOf = (kid: string, claims: TokenClaims): string =>
  claims.purpose === 'confirm' ? `${prefix.confirm}.${kid}.${claims.sid}.${claims.requestId}.${claims.expires}` : `${prefix.manage}.${kid}.${claims.sid}.${claims.version}`;

export const signToken = (keys: SubscriptionKeys, claims: TokenClaims): string => {
  const key = keys.signing[keys.current];
  if (!key) throw new Error(`the current signing key ${keys.current} is not among the signing keys`);
  const payload = payloadOf(keys.current, claims);
  return `${Buffer.from(payload).toString('base64url')}.${mac(key, 'token', payload).toString('base64url')}`;
};

/** A confirmation token for one sign-up request, valid 48 hours from `nowMs`. */
export const confirmationToken = (keys: SubscriptionKeys, sid: string, requestId: string, nowMs: number): string =>
  signToken(keys, { purpose: 'confirm', sid, requestId, expires: Math.floor(nowMs / 1000) + CONFIRMATION_TTL_SECONDS });

export const manageToken = (keys: SubscriptionKeys, sid: string, version: number): string => signToken(keys, { purpose: 'manage', sid, version });

const signatureMatches = (key: Buffer, payload: string, signature: string): boolean => {
  const expected = mac(key, 'token', payload);
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/** A manage link from before key ids (`m.<sid>`), while the legacy key is kept: version 1. */
const legacyManageLink = (keys: SubscriptionKeys, payload: string, signature: string, purpose: TokenPurpose): TokenCheck<'manage'> | undefined => {
  const [kind, sid, extra] = payload.split('.');
  if (purpose !== 'manage' || !keys.legacy || kind !== prefix.manage || !sid || extra !== undefined || !SEGMENT.test(sid)) return undefined;
  return signatureMatches(keys.legacy, payload, signature) ? { ok: true, purpose: 'manage', sid, version: 1 } : undefined;
};

/** Checks a token's form, signature, purpose and expiry. A manage token's version is checked against the subscription by the caller. */
export const verifySubscriptionToken = <P extends TokenPurpose>(keys: SubscriptionKeys, token: string | undefined, purpose: P, nowMs: number): TokenCheck<P> => {
  const [encoded, signature, extra] = (token ?? '').split('.');
  if (!encoded || !signature || extra !== undefined || !SEGMENT.test(encoded) || !SEGMENT.test(signature)) return { ok: false, reason: 'malformed' };
  const payload = Buffer.from(encoded, 'base64url').toString('utf8');
  const legacy = legacyManageLink(keys, payload, signature, purpose);
  if (legacy) return legacy as TokenCheck<P>;
  const [kind, kid = '', sid = '', ...rest] = payload.split('.');
  const key = Object.hasOwn(keys.signing, kid) ? keys.signing[kid] : undefined;
  if (!key) return { ok: false, reason: sid && SEGMENT.test(kid) ? 'unknown-key' : 'malformed' };
  if (!signatureMatches(key, payload, signature)) return { ok: false, reason: 'tampered' };
  if (kind !== prefix[purpose] || !sid) return { ok: false, reason: 'wrong-purpose' };
  if (purpose === 'confirm') {
    const [requestId = '', expires] = rest;
    if (!requestId || !(Number(expires) * 1000 > nowMs)) return { ok: false, reason: requestId ? 'expired' : 'malformed' };
    return { ok: true, purpose: 'confirm', sid, requestId, expires: Number(expires) } as TokenCheck<P>;
  }
  const version = Number(rest[0]);
  if (!Number.isSafeInteger(version) || version < 1) return { ok: false, reason: 'malformed' };
  return { ok: true, purpose: 'manage', sid, version } as TokenCheck<P>;
};
