import { timingSafeEqual } from 'node:crypto';
import { HttpError } from '../http/http-errors';
import type { DeskSession } from './session';

/**
 * Every POST of the desk is refused (403) unless it comes from a page of this site (its Origin is
 * ours: a browser always sends Origin with a form POST) and carries the CSRF token of the session
 * that made the form, compared in constant time.
 */
export const checkPost = (session: DeskSession | undefined, origin: string | undefined, expectedOrigin: string, token: string | undefined): DeskSession => {
  if (origin === undefined || origin !== expectedOrigin) throw new HttpError(403, 'Forbidden', 'the desk accepts forms only from its own pages (the Origin does not match)');
  if (!session) throw new HttpError(403, 'Forbidden', 'sign in to the desk first');
  const expected = Buffer.from(session.csrf);
  const given = Buffer.from(token ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HttpError(403, 'Forbidden', 'the form is missing its CSRF token, or it belongs to another session');
  return session;
};
