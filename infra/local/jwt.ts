import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WRITE_SCOPE } from '../../contracts/scopes';

/**
 * Local stand-in for API Gateway's JWT authorizer: RS256 tokens signed with a key pair kept in
 * the data folder. Verification checks what the authorizer checks: signature (RS256 only, never
 * `none`), issuer, audience, expiry and not-before, then the route's scope.
 */

export const LOCAL_ISSUER = 'https://storyline.local/';
export const LOCAL_AUDIENCE = 'storyline';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

export const loadOrCreateKeyPair = (dataDir: string): KeyPair => {
  const dir = join(dataDir, 'jwt');
  const privatePath = join(dir, 'private.pem');
  if (!existsSync(privatePath)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const privateKey = createPrivateKey(readFileSync(privatePath));
  const publicKey = createPublicKey(privateKey);
  const kid = publicKey.export({ type: 'spki', format: 'der' }).subarray(-8).toString('hex');
  return { privateKey, publicKey, kid };
};

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export interface TokenClaims {
  sub: string;
  scope?: string;
  iss?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  [claim: string]: unknown;
}

export const signToken = (keys: Pick<KeyPair, 'privateKey' | 'kid'>, claims: TokenClaims, header: Record<string, unknown> = {}): string => {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: keys.kid, ...header }));
  const body = b64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), keys.privateKey);
  return `${head}.${body}.${b64url(signature)}`;
};

export const writeToken = (keys: KeyPair, subject: string, nowSeconds: number, ttlSeconds = 12 * 3600): string =>
  signToken(keys, { sub: subject, scope: WRITE_SCOPE, iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: nowSeconds, nbf: nowSeconds, exp: nowSeconds + ttlSeconds });

export type Verification = { ok: true; claims: TokenClaims; scopes: string[] } | { ok: false; reason: string };

export const verifyToken = (token: string, publicKey: KeyObject, nowSeconds: number): Verification => {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed token' };
  const [head = '', body = '', signature = ''] = parts;
  let header: { alg?: unknown };
  let claims: TokenClaims;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as typeof header;
    // checked field by field below
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return { ok: false, reason: 'malformed token' };
  }
  if (header.alg !== 'RS256') return { ok: false, reason: `algorithm ${String(header.alg)} is not accepted` };
  if (!verify('sha256', Buffer.from(`${head}.${body}`), publicKey, Buffer.from(signature, 'base64url'))) return { ok: false, reason: 'bad signature' };
  if (typeof claims !== 'object' || claims === null) return { ok: false, reason: 'malformed claims' };
  if (claims.iss !== LOCAL_ISSUER) return { ok: false, reason: 'wrong issuer' };
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(LOCAL_AUDIENCE)) return { ok: false, reason: 'wrong audience' };
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) return { ok: false, reason: 'not yet valid' };
  if (typeof claims.sub !== 'string' || !claims.sub) return { ok: false, reason: 'no subject' };
  return { ok: true, claims, scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [] };
};
