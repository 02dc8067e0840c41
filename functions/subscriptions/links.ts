import { signToken } from './tokens';

/** The links in subscription mail and pages; each carries a signed token, never an address. */
export const confirmUrl = (baseUrl: string, key: Buffer, sid: string, nowMs: number): string =>
  `${baseUrl}/subscriptions/confirm?token=${signToken(key, 'confirm', sid, nowMs)}`;

export const manageLinks = (baseUrl: string, key: Buffer, sid: string, nowMs: number) => {
  const token = signToken(key, 'manage', sid, nowMs);
  return {
    unsubscribeUrl: `${baseUrl}/subscriptions/unsubscribe?token=${token}`,
    preferencesUrl: `${baseUrl}/subscriptions/preferences?token=${token}`,
  };
};

/** RFC 8058: a one-click HTTPS URL (locally http) and the POST body mail clients send to it. */
export const listUnsubscribeHeaders = (unsubscribeUrl: string): Record<string, string> => ({
  'List-Unsubscribe': `<${unsubscribeUrl}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});
