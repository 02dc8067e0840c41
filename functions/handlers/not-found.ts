import { httpHandler } from '../http/handle';
import { HttpError } from '../http/http-errors';
import { routes } from '../../contracts/routes';
import { matchPath } from '../http/route-matching';
import { notFound } from '../http/pages';

/** The `$default` route: a path no route serves is 404 (the 404 page to a browser); a known path with another method is 405. */
export const handler = httpHandler({
  $default: (event) => {
    const path = event.rawPath ?? event.requestContext.http.path;
    const allowed = routes.filter((r) => matchPath(r.path, path)).map((r) => r.method);
    if (allowed.length) {
      throw new HttpError(405, 'Method not allowed', `${event.requestContext.http.method} is not allowed on ${path}; use ${allowed.join(', ')}`, { allow: allowed.join(', ') });
    }
    return Promise.resolve(notFound(event, `nothing is served at ${path}`));
  },
});
