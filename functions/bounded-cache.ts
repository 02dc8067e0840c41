import { LRUCache } from 'lru-cache';

/**
 * The one in-memory cache of the functions: least recently used entries go first once `max` is
 * reached, and, with `maxAgeMs`, an entry older than that is not served. A cache with another rule
 * says why beside it.
 */
export interface BoundedCacheOptions {
  /** At most this many entries are held (at least 1). */
  max: number;
  /** An entry is served up to this age (ms); 0 holds nothing (a store that must read every time, as tests ask). */
  maxAgeMs?: number;
  /** The clock (ms), for tests. */
  now?: () => number;
}

export interface BoundedCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): void;
  clear(): void;
  readonly size: number;
}

export const boundedCache = <K extends NonNullable<unknown>, V extends NonNullable<unknown>>({ max, maxAgeMs, now }: BoundedCacheOptions): BoundedCache<K, V> => {
  const cache = new LRUCache<K, V>({
    max: Math.max(1, max),
    ...(maxAgeMs ? { ttl: maxAgeMs, ttlResolution: 0 } : {}),
    ...(now ? { perf: { now } } : {}),
  });
  return {
    get: (key) => cache.get(key),
    set: (key, value) => {
      if (maxAgeMs !== 0) cache.set(key, value);
    },
    delete: (key) => void cache.delete(key),
    clear: () => cache.clear(),
    get size() {
      return cache.size;
    },
  };
};
