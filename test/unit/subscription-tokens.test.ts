import { createHmac } from 'node:crypto';
import { ENV } from '../../contracts/env';
import { limitsFromEnv } from '../../functions/subscriptions/from-env';
import { keysOfSecret } from '../../functions/subscriptions/secret';
import { confirmationToken, manageToken, subscriberIdOf, verifySubscriptionToken } from '../../functions/subscriptions/tokens';

/** Subscription tokens: a key id and, for manage links, the subscription's version; the signing key rotates, the subscriber ids stay. */

const OLD = 'o'.repeat(40);
const NEW = 'n'.repeat(40);
const now = Date.parse('2030-01-01T00:00:00Z');
const payloadOf = (token: string) => Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8');

describe('keys', () => {
  it('derive subscriber ids and token signatures from different keys', () => {
    const keys = keysOfSecret(OLD);
    const token = manageToken(keys, 'sid-1', 1);
    const [payload, signature] = token.split('.');
    const underIdentity = createHmac('sha256', keys.identity).update(`token\n${Buffer.from(payload ?? '', 'base64url').toString('utf8')}`).digest('base64url');
    expect(signature).not.toBe(underIdentity);
    expect(keys.signing.k0?.equals(keys.identity)).toBe(false);
  });

  it('rotate: a ring keeping the old secret as k0 verifies old links, signs new ones with k1, and keeps every subscriber id', () => {
    const before = keysOfSecret(OLD);
    const ring = keysOfSecret(JSON.stringify({ identity: OLD, signing: { k0: OLD, k1: NEW }, current: 'k1' }));
    expect(subscriberIdOf(ring, 'Reader@Example.org')).toBe(subscriberIdOf(before, 'reader@example.org'));
    const old = manageToken(before, 'sid-1', 3);
    expect(verifySubscriptionToken(ring, old, 'manage', now)).toEqual({ ok: true, purpose: 'manage', sid: 'sid-1', version: 3 });
    const fresh = manageToken(ring, 'sid-1', 3);
    expect(payloadOf(fresh)).toBe('m.k1.sid-1.3');
    // once k0 is retired, its links are refused as such
    const retired = keysOfSecret(JSON.stringify({ identity: OLD, signing: { k1: NEW }, current: 'k1' }));
    expect(verifySubscriptionToken(retired, old, 'manage', now)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(verifySubscriptionToken(retired, fresh, 'manage', now)).toMatchObject({ ok: true, version: 3 });
  });

  it('honour manage links mailed before key ids (version 1) while the legacy key is kept, never as confirmations', () => {
    const payload = 'm.sid-1';
    const old = `${Buffer.from(payload).toString('base64url')}.${createHmac('sha256', Buffer.from(OLD)).update(`token\n${payload}`).digest('base64url')}`;
    expect(verifySubscriptionToken(keysOfSecret(OLD), old, 'manage', now)).toEqual({ ok: true, purpose: 'manage', sid: 'sid-1', version: 1 });
    expect(verifySubscriptionToken(keysOfSecret(OLD), old, 'confirm', now)).toMatchObject({ ok: false });
    expect(verifySubscriptionToken(keysOfSecret(NEW), old, 'manage', now)).toMatchObject({ ok: false });
    const ring = { identity: OLD, signing: { k1: NEW }, current: 'k1' };
    expect(verifySubscriptionToken(keysOfSecret(JSON.stringify({ ...ring, legacy: OLD })), old, 'manage', now)).toMatchObject({ ok: true, version: 1 });
    expect(verifySubscriptionToken(keysOfSecret(JSON.stringify(ring)), old, 'manage', now)).toMatchObject({ ok: false });
  });

  it('refuse a ring without a current key among its keys, or with short keys', () => {
    expect(() => keysOfSecret(JSON.stringify({ identity: OLD, signing: { k1: NEW }, current: 'k2' }))).toThrow('no current signing key');
    expect(() => keysOfSecret(JSON.stringify({ identity: 'short', signing: { k1: NEW }, current: 'k1' }))).toThrow('at least 32 bytes');
  });
});

describe('tokens', () => {
  const keys = keysOfSecret(OLD);

  it('a confirmation names the exact request and expires after 48 hours', () => {
    const token = confirmationToken(keys, 'sid-1', 'req-9', now);
    expect(verifySubscriptionToken(keys, token, 'confirm', now + 47 * 3600_000)).toMatchObject({ ok: true, sid: 'sid-1', requestId: 'req-9' });
    expect(verifySubscriptionToken(keys, token, 'confirm', now + 48 * 3600_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('a manage link carries its version; a confirmation is no manage link; an altered one is tampered', () => {
    expect(verifySubscriptionToken(keys, manageToken(keys, 'sid-1', 2), 'manage', now)).toMatchObject({ ok: true, version: 2 });
    expect(verifySubscriptionToken(keys, confirmationToken(keys, 'sid-1', 'r', now), 'manage', now)).toEqual({ ok: false, reason: 'wrong-purpose' });
    const token = manageToken(keys, 'sid-1', 2);
    const forged = `${Buffer.from('m.k0.sid-1.3').toString('base64url')}.${token.split('.')[1]}`;
    expect(verifySubscriptionToken(keys, forged, 'manage', now)).toEqual({ ok: false, reason: 'tampered' });
    expect(verifySubscriptionToken(keys, 'not a token', 'manage', now)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('the daily limit of confirmation mails', () => {
  afterEach(() => delete process.env[ENV.confirmationsPerDay]);
  it('is 3 unless set, a setting read at load, and refuses nonsense', () => {
    expect(limitsFromEnv().confirmationsPerDay).toBe(3);
    process.env[ENV.confirmationsPerDay] = '5';
    expect(limitsFromEnv().confirmationsPerDay).toBe(5);
    process.env[ENV.confirmationsPerDay] = '0';
    expect(() => limitsFromEnv()).toThrow('SUBSCRIPTION_CONFIRMATIONS_PER_DAY');
  });
});
