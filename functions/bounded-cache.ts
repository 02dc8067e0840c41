/**
 * The one in-memory cache of the functions: least recently used entries go first once `max` is
 * reached, and, with `maxAgeMs`, an entry older than that is not served. A cache with another rule
 * says why beside it.
 *
 * Our own code, not lru-cache: lru-cache added 19.7 KB to every function's minified bundle (13% of
 * the feeds function's 145 KB) and took the digest and following functions past the 150 KB bound
 * (`npm run bench` cold start step, 2026-12-06); a Map keeps insertion order, which is all an LRU needs.
 */
export interface BoundedCacheOptions {
  /** At most this many entries are held (at least 1). */
  max: number;
  /** An entry is served up to this age (ms); 0 holds nothing (a store that must read every time, as tests ask). */
  maxAgeMs?: number;
  /** The clock (ms): Date.now by default, the clock of every other age in the functions. */
  now?: () => number;
}

export interface BoundedCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): void;
  clear(): void;
  readonly size: number;
}

export const boundedCache = <K extends NonNullable<unknown>, V extends NonNullable<unknown>>({ max, maxAgeMs, now = () => Date.now() }: BoundedCacheOptions): BoundedCache<K, V> => {
  const limit = Math.max(1, max);
  // oldest use first: a hit is moved to the end, unless it is there already (a busy key asked again and again)
  const entries = new Map<K, { value: V; at: number }>();
  let newest: K | undefined;
  return {
    get: (key) => {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (maxAgeMs !== undefined && now() - entry.at > maxAgeMs) {
        entries.delete(key);
        if (key === newest) newest = undefined;
        return undefined;
      }
      if (key !== newest) {
        entries.delete(key);
        entries.set(key, entry);
        newest = key;
      }
      return entry.value;
    },
    set: (key, value) => {
      if (maxAgeMs === 0) return;
      entries.delete(key);
      entries.set(key, { value, at: now() });
      newest = key;
      if (entries.size > limit) entries.delete(entries.keys().next().value as K);
    },
    delete: (key) => {
      entries.delete(key);
      if (key === newest) newest = undefined;
    },
    clear: () => {
      entries.clear();
      newest = undefined;
    },
    get size() {
      return entries.size;
    },
  };
};
