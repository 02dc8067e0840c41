import { randomBytes, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * The desk's session and one-time sign-in links, as JWTs signed with the desk's key (HS256, jose):
 * a session cookie names the editor (`sub`) and carries the CSRF token its forms must send back;
 * a sign-in link is a short-lived token with an id (`jti`) that can be redeemed once.
 */

export const SESSION_COOKIE = 'storyline_desk';
/** A session lasts this long; signing in again starts a new one. */
export const SESSION_SECONDS = 2 * 3600;
/** A sign-in link is good for this long, and only once. */
export const SIGN_IN_LINK_SECONDS = 10 * 60;

const ISSUER = 'storyline-desk';
const SESSION_AUDIENCE = 'storyline-desk-session';
const LINK_AUDIENCE = 'storyline-desk-sign-in';

export interface DeskSession {
  /** The editor: recorded as the subject of every event the desk appends. */
  subject: string;
  /** The CSRF token bound to this session (random, 256 bits). */
  csrf: string;
  expiresAt: number;
}

const sign = (key: Uint8Array, audience: string, claims: Record<string, unknown>, subject: string, nowSeconds: number, ttl: number) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(audience).setSubject(subject).setIssuedAt(nowSeconds).setExpirationTime(nowSeconds + ttl).sign(key);

const verify = async (key: Uint8Array, audience: string, token: string, nowSeconds: number) => {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience, currentDate: new Date(nowSeconds * 1000) });
    return typeof payload.sub === 'string' && payload.sub !== '' ? payload : undefined;
  } catch (error) {
    if (error instanceof errors.JOSEError) return undefined;
    throw error;
  }
};

export const issueSession = async (key: Uint8Array, subject: string, nowSeconds: number): Promise<{ token: string; session: DeskSession }> => {
  const csrf = randomBytes(32).toString('base64url');
  const token = await sign(key, SESSION_AUDIENCE, { csrf }, subject, nowSeconds, SESSION_SECONDS);
  return { token, session: { subject, csrf, expiresAt: nowSeconds + SESSION_SECONDS } };
};

/** The session a cookie value holds, or undefined when it is missing, forged, or expired. */
export const readSession = async (key: Uint8Array, token: string | undefined, nowSeconds: number): Promise<DeskSession | undefined> => {
  if (!token) return undefined;
  const payload = await verify(key, SESSION_AUDIENCE, token, nowSeconds);
  if (!payload || typeof payload.csrf !== 'string' || typeof payload.exp !== 'number') return undefined;
  return { subject: payload.sub as string, csrf: payload.csrf, expiresAt: payload.exp };
};

export const issueSignInLink = (key: Uint8Array, subject: string, nowSeconds: number, ttl = SIGN_IN_LINK_SECONDS): Promise<string> =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(LINK_AUDIENCE).setSubject(subject).setJti(randomUUID()).setIssuedAt(nowSeconds).setExpirationTime(nowSeconds + ttl).sign(key);

/** The editor and link id of a valid, unexpired sign-in link (whether it was used is the caller's to check). */
export const readSignInLink = async (key: Uint8Array, token: string, nowSeconds: number): Promise<{ subject: string; linkId: string } | undefined> => {
  const payload = await verify(key, LINK_AUDIENCE, token, nowSeconds);
  if (!payload || typeof payload.jti !== 'string') return undefined;
  return { subject: payload.sub as string, linkId: payload.jti };
};

/** Whether a site is served over plain http on this machine (where a Secure cookie cannot be set). */
const isLocalHttp = (origin: string): boolean => /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(origin);

/** The Set-Cookie value of a session (HttpOnly, SameSite=Strict, Secure but on http://localhost), or of its removal. */
export const sessionCookie = (origin: string, token: string | undefined): string =>
  [
    `${SESSION_COOKIE}=${token ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    ...(isLocalHttp(origin) ? [] : ['Secure']),
    token === undefined ? 'Max-Age=0' : `Max-Age=${SESSION_SECONDS}`,
  ].join('; ');

/** The session token among a request's cookies (API Gateway payload 2.0 `cookies`: `name=value` each). */
export const sessionToken = (cookies: readonly string[] | undefined): string | undefined => {
  for (const cookie of cookies ?? []) {
    const at = cookie.indexOf('=');
    if (at > 0 && cookie.slice(0, at).trim() === SESSION_COOKIE) return cookie.slice(at + 1).trim() || undefined;
  }
  return undefined;
};

/**
 * The session a request's cookies carry, or undefined; the key is loaded only when there is a session
 * cookie to check, so a request without one (every reader's) costs nothing.
 */
export const sessionOfCookies = async (key: () => Promise<Uint8Array>, cookies: readonly string[] | undefined, nowSeconds: number): Promise<DeskSession | undefined> => {
  const token = sessionToken(cookies);
  return token === undefined ? undefined : readSession(await key(), token, nowSeconds);
};
