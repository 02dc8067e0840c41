import { createHmac } from 'node:crypto';
import { ENV } from '../../contracts/env';
import { secretFromEnv } from '../secret-from-env';
import type { SubscriptionKeys } from './tokens';

/**
 * The keys of subscriber ids and subscription tokens. Locally the runtime puts the secret in the
 * environment (generated once in the data folder); in AWS the environment names a Secrets Manager
 * secret, read once per instance (so no key sits in the function's configuration).
 *
 * The secret is either one string S (at least 32 bytes): S is the identity key, and the signing key
 * `k0` is derived from it, so the two never coincide; or a key ring, JSON
 * `{"identity": "S", "signing": {"k0": "S", "k1": "<new secret>"}, "current": "k1"}`, which is how a
 * signing key is rotated (README: key rotation) while the identity, and with it every subscriber,
 * stays. Every signing key is derived from its string the same way, so `k0: S` in a ring is the key
 * the one-string secret S signed with. Manage links mailed before tokens had key ids were signed with
 * S itself: a one-string secret still honours them, a ring only with `"legacy": "S"`.
 */
export const MIN_SECRET_BYTES = 32;
/** The key id of the signing key derived from a one-string secret. */
export const DERIVED_KEY_ID = 'k0';

const toKey = (value: unknown, what: string): Buffer => {
  const key = Buffer.from(typeof value === 'string' ? value : '', 'utf8');
  if (key.length < MIN_SECRET_BYTES) throw new Error(`the subscription ${what} must be a string of at least ${MIN_SECRET_BYTES} bytes`);
  return key;
};

const signingKey = (secret: Buffer): Buffer => createHmac('sha256', secret).update('storyline token signing key').digest();

export const keysOfSecret = (secret: string): SubscriptionKeys => {
  const text = secret.trim();
  if (!text.startsWith('{')) {
    const identity = toKey(text, 'secret');
    return { identity, signing: { [DERIVED_KEY_ID]: signingKey(identity) }, current: DERIVED_KEY_ID, legacy: identity };
  }
  const ring = JSON.parse(text) as { identity?: unknown; signing?: Record<string, unknown>; current?: unknown; legacy?: unknown };
  const signing = Object.fromEntries(Object.entries(ring.signing ?? {}).map(([kid, value]) => {
    if (!/^[A-Za-z0-9_-]{1,16}$/.test(kid)) throw new Error(`signing key id ${JSON.stringify(kid)} must be 1-16 of A-Z a-z 0-9 _ -`);
    return [kid, signingKey(toKey(value, `signing key ${kid}`))];
  }));
  if (typeof ring.current !== 'string' || !signing[ring.current]) throw new Error('the subscription key ring names no current signing key among its signing keys');
  return { identity: toKey(ring.identity, 'identity key'), signing, current: ring.current, ...(ring.legacy === undefined ? {} : { legacy: toKey(ring.legacy, 'legacy key') }) };
};

const secret = secretFromEnv(ENV.subscriptionSecret, ENV.subscriptionSecretArn, 'subscription secret', MIN_SECRET_BYTES);

/** The keys, read once per instance (a failed read is tried again on the next call). */
export const subscriptionKeys = async (): Promise<SubscriptionKeys> => keysOfSecret((await secret()).toString('utf8'));
