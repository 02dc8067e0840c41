import type { HandlerLoader } from './http-host';
import type { StreamHandler } from './stream-runner';

/**
 * The same handler modules Lambda runs, loaded on first use (after the local runtime has set
 * the environment they read at load, as the CDK stack does for each function).
 */
const httpModules = {
  'write-api': () => import('../../functions/handlers/write-api'),
  'read-api': () => import('../../functions/handlers/read-api'),
  feeds: () => import('../../functions/handlers/feeds'),
  pages: () => import('../../functions/handlers/pages'),
  following: () => import('../../functions/handlers/following'),
  subscriptions: () => import('../../functions/handlers/subscriptions'),
  desk: () => import('../../functions/handlers/desk'),
  'not-found': () => import('../../functions/handlers/not-found'),
};

/** Each module is imported once, as a Lambda instance keeps its module loaded between invocations (not a bounded cache: one entry per handler name, a fixed set). */
const loaded = new Map<string, Promise<Awaited<ReturnType<HandlerLoader>>>>();
export const loadHttpHandler: HandlerLoader = (name) => {
  let handler = loaded.get(name);
  if (!handler) {
    handler = httpModules[name]().then((module) => module.handler as Awaited<ReturnType<HandlerLoader>>);
    loaded.set(name, handler);
  }
  return handler;
};

export const loadProjectorHandler = async (): Promise<StreamHandler> => (await import('../../functions/handlers/projector')).handler;

export const loadDigestHandler = async () => (await import('../../functions/handlers/digest')).handler;
