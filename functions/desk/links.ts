import { DESK_PATHS, routes, type DeskPage } from '../../contracts/routes';
import { fillPath } from '../links';

/** Links to the desk's pages, from their declaration in contracts/routes.ts (checked when this module loads). */
for (const path of Object.values(DESK_PATHS)) {
  if (!routes.some((route) => route.path === path && route.handler === 'desk')) throw new Error(`no desk route is declared at ${path}`);
}

export const deskPath = (page: DeskPage, params: Readonly<Record<string, string>> = {}): string => fillPath(DESK_PATHS[page], params);
