import { createHash } from 'node:crypto';
import { BASE_PLACEHOLDER } from './feed-publication';

/**
 * A stored feed carries a placeholder where its base URL goes (functions/feed-publication.ts);
 * each request gets it with its own base. Both helpers keep a few results, as busy feeds repeat them.
 */

const MAX_BODIES = 50;
const MAX_BASES = 100;

const withBaseCache = new Map<string, { body: string; result: string }>();

/** The stored body with the request's base URL. */
export const withBase = (body: string, base: string): string => {
  const key = `${base}\n${body.length}\n${body.slice(-64)}`;
  const hit = withBaseCache.get(key);
  if (hit && hit.body === body) return hit.result;
  const result = body.replaceAll(BASE_PLACEHOLDER, base);
  if (withBaseCache.size >= MAX_BODIES) withBaseCache.delete(withBaseCache.keys().next().value as string);
  withBaseCache.set(key, { body, result });
  return result;
};

const baseTags = new Map<string, string>();

/** A strong ETag for a stored body served with a base URL: the body's hash and a tag of the base. */
export const etagOf = (hash: string, base: string): string => {
  let tag = baseTags.get(base);
  if (tag === undefined) {
    tag = createHash('sha256').update(base).digest('base64url').slice(0, 8);
    if (baseTags.size < MAX_BASES) baseTags.set(base, tag);
  }
  return `"${hash}.${tag}"`;
};
