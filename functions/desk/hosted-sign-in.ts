import { createHash, randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createRemoteJWKSet, errors, jwtVerify, SignJWT } from 'jose';
import { ENV } from '../../contracts/env';
import { optionalEnv } from '../config';
import { deskPath } from '../links';
import { redirect, requestOrigin } from './request';

/**
 * Sign-in at the editors' OIDC provider (in AWS, the stack's Cognito user pool and its hosted
 * sign-in): the authorization code flow with PKCE (RFC 7636). The verifier and state wait for the
 * provider's answer in a short-lived signed cookie; the ID token is checked with jose against the
 * provider's published keys (issuer, audience = the desk's client, expiry).
 */

export interface HostedSignIn {
  start(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2>;
  /** The editor the provider signed in, or undefined when the answer is not one the desk asked for. */
  finish(event: APIGatewayProxyEventV2): Promise<string | undefined>;
}

const PKCE_COOKIE = 'storyline_desk_pkce';
const PKCE_AUDIENCE = 'storyline-desk-pkce';
const b64url = (bytes: Buffer) => bytes.toString('base64url');

export const createHostedSignIn = (settings: { issuer: string; authorizeUrl: string; tokenUrl: string; clientId: string }, key: () => Promise<Uint8Array>): HostedSignIn => {
  const keys = createRemoteJWKSet(new URL(`${settings.issuer.replace(/\/$/, '')}/.well-known/jwks.json`));
  const callbackUrl = (event: APIGatewayProxyEventV2) => `${requestOrigin(event)}${deskPath('signInCallback')}`;
  return {
    async start(event) {
      const verifier = b64url(randomBytes(32));
      const state = b64url(randomBytes(16));
      const pending = await new SignJWT({ verifier, state }).setProtectedHeader({ alg: 'HS256' }).setAudience(PKCE_AUDIENCE).setExpirationTime('10m').sign(await key());
      const url = new URL(settings.authorizeUrl);
      const params = {
        response_type: 'code',
        client_id: settings.clientId,
        redirect_uri: callbackUrl(event),
        scope: 'openid email profile',
        state,
        code_challenge: b64url(createHash('sha256').update(verifier).digest()),
        code_challenge_method: 'S256',
      };
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      // Lax, not Strict: the provider's redirect back is a cross-site navigation
      return redirect(url.toString(), [`${PKCE_COOKIE}=${pending}; Path=${deskPath('signInCallback')}; HttpOnly; Secure; SameSite=Lax; Max-Age=600`]);
    },
    async finish(event) {
      const cookie = (event.cookies ?? []).find((c) => c.startsWith(`${PKCE_COOKIE}=`))?.slice(PKCE_COOKIE.length + 1);
      const code = event.queryStringParameters?.code;
      if (!cookie || !code) return undefined;
      try {
        const { payload } = await jwtVerify(cookie, await key(), { algorithms: ['HS256'], audience: PKCE_AUDIENCE });
        if (payload.state !== event.queryStringParameters?.state || typeof payload.verifier !== 'string') return undefined;
        const response = await fetch(settings.tokenUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'authorization_code', client_id: settings.clientId, code, redirect_uri: callbackUrl(event), code_verifier: payload.verifier }),
        });
        if (!response.ok) return undefined;
        const { id_token: idToken } = (await response.json()) as { id_token?: string };
        if (!idToken) return undefined;
        const { payload: claims } = await jwtVerify(idToken, keys, { issuer: settings.issuer, audience: settings.clientId });
        const subject = claims['cognito:username'] ?? claims.email ?? claims.sub;
        return typeof subject === 'string' && subject !== '' ? subject : undefined;
      } catch (error) {
        if (error instanceof errors.JOSEError) return undefined;
        throw error;
      }
    },
  };
};

/** The hosted sign-in the environment configures (in AWS), or none (locally: sign-in links). */
export const hostedSignInFromEnv = (key: () => Promise<Uint8Array>): HostedSignIn | undefined => {
  const issuer = optionalEnv(ENV.deskOidcIssuer);
  const authorizeUrl = optionalEnv(ENV.deskOidcAuthorizeUrl);
  const tokenUrl = optionalEnv(ENV.deskOidcTokenUrl);
  const clientId = optionalEnv(ENV.deskOidcClientId);
  return issuer && authorizeUrl && tokenUrl && clientId ? createHostedSignIn({ issuer, authorizeUrl, tokenUrl, clientId }, key) : undefined;
};
