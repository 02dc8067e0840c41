import type { RouteDeclaration } from '../../contracts/routes';

/** A route's path as a regular expression, built once: the local host matches every request against all routes. */
export const compileRoute = (route: RouteDeclaration): { route: RouteDeclaration; match(path: string): Record<string, string> | undefined } => {
  const names: string[] = [];
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}(.*)$/.exec(segment);
      if (!param) return escape(segment);
      names.push(param[1] ?? '');
      return `([^/]+?)${escape(param[2] ?? '')}`;
    })
    .join('/');
  const regex = new RegExp(`^${pattern}$`);
  return {
    route,
    match(path) {
      // a path without parameters is one string
      if (names.length === 0) return path === route.path ? {} : undefined;
      const found = regex.exec(path);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      try {
        names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1] ?? '')));
      } catch {
        return undefined;
      }
      return params;
    },
  };
};

/** Matches a concrete path against a route path; returns its path parameters, or undefined. */
export const matchPath = (routePath: string, path: string): Record<string, string> | undefined =>
  compileRoute({ method: 'GET', path: routePath, handler: 'read-api', auth: false, summary: '' }).match(path);
