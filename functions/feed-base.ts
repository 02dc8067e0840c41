import { boundedCache } from './bounded-cache';
import { contentHash } from './content-hash';
import { BASE_PLACEHOLDER } from './feed-publication';

/**
 * A stored feed carries a placeholder where its base URL goes (functions/feed-publication.ts);
 * each request gets it with its own base. Both helpers keep a few results, as busy feeds repeat them.
 */

const withBaseCache = boundedCache<string, { body: string; result: string }>({ max: 50 });

/** The stored body with the request's base URL. */
export const withBase = (body: string, base: string): string => {
  const key = `${base}\n${body.length}\n${body.slice(-64)}`;
  const hit = withBaseCache.get(key);
  if (hit && hit.body === body) return hit.result;
  const result = body.replaceAll(BASE_PLACEHOLDER, base);
  withBaseCache.set(key, { body, result });
  return result;
};

const baseTags = boundedCache<string, string>({ max: 100 });

/** A strong ETag for a stored body served with a base URL: the body's hash and a tag of the base. */
export const etagOf = (hash: string, base: string): string => {
  let tag = baseTags.get(base);
  if (tag === undefined) {
    tag = contentHash(base).slice(0, 8);
    baseTags.set(base, tag);
  }
  return `"${hash}.${tag}"`;
};

/**
 * What every response of a rendered body repeats for a base URL (its ETag and Link header), kept
 * beside the body for the base last asked (not a bounded cache: one slot per body, gone with it): a
 * busy feed answers most requests, 304s above all, without building them again.
 */
const lastForBase = new WeakMap<object, { base: string; value: { etag: string; link: string } }>();
export const forBase = (body: object, base: string, make: () => { etag: string; link: string }): { etag: string; link: string } => {
  const last = lastForBase.get(body);
  if (last?.base === base) return last.value;
  const value = make();
  lastForBase.set(body, { base, value });
  return value;
};
