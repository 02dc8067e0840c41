import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { WRITE_SCOPE } from '../../contracts/scopes';

/**
 * Local stand-in for API Gateway's JWT authorizer: RS256 tokens signed (with jose, as the desk's
 * sessions are) with a key pair kept in the data folder. Verification checks what the authorizer
 * checks: signature (RS256 only, never `none`), issuer, audience, expiry and not-before, then the
 * route's scope.
 */

const ALGORITHM = 'RS256';

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
  // a digest of the whole public key: its last bytes are mostly the RSA exponent, the same for every key
  const kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 16);
  return { privateKey, publicKey, kid };
};

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

/** Signs any claims as given (tests sign expired or foreign ones on purpose); `header` adds to the protected header. */
export const signToken = (keys: Pick<KeyPair, 'privateKey' | 'kid'>, claims: TokenClaims, header: Record<string, unknown> = {}): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid: keys.kid, ...header }).sign(keys.privateKey);

export const writeToken = (keys: KeyPair, subject: string, nowSeconds: number, ttlSeconds = 12 * 3600): Promise<string> =>
  signToken(keys, { sub: subject, scope: WRITE_SCOPE, iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: nowSeconds, nbf: nowSeconds, exp: nowSeconds + ttlSeconds });

export type Verification = { ok: true; claims: TokenClaims; scopes: string[] } | { ok: false; reason: string };

/** Why jose refused a token, in the words of the 401's detail. */
const reasonOf = (error: unknown, token: string): string => {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'not yet valid';
    if (error.claim === 'iss') return 'wrong issuer';
    if (error.claim === 'aud') return 'wrong audience';
    if (error.claim === 'exp') return 'expired';
    return `${error.claim} claim ${error.reason}`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return `algorithm ${String(decodeProtectedHeader(token).alg)} is not accepted`;
  return 'malformed token';
};

export const verifyToken = async (token: string, publicKey: KeyObject, nowSeconds: number): Promise<Verification> => {
  try {
    const { payload } = await jwtVerify<TokenClaims>(token, publicKey, {
      algorithms: [ALGORITHM],
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      requiredClaims: ['exp'],
      currentDate: new Date(nowSeconds * 1000),
    });
    if (typeof payload.sub !== 'string' || !payload.sub) return { ok: false, reason: 'no subject' };
    return { ok: true, claims: payload, scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [] };
  } catch (error) {
    return { ok: false, reason: reasonOf(error, token) };
  }
};
