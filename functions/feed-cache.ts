import { boundedCache } from './bounded-cache';

/**
 * Rendered feeds are kept in memory, so that a busy feed is read from DynamoDB about once a second
 * per Lambda instance instead of on every request. A copy older than `freshMs` is refreshed by one
 * read that concurrent requests share; until the copy is `serveWhileRefreshingMs` old they are
 * answered from it meanwhile, and after that they wait for the read. A new item shows within about
 * two seconds. A miss is not remembered (concurrent requests still share its read): a feed that
 * did not exist a moment ago serves as soon as it is stored, and unknown slugs hold no memory.
 * The entries sit in the bounded cache; the rule on top of it (serve stale while one shared read
 * refreshes) is this module's own, as a plain max age would make every request wait for the read.
 */

export interface FeedCacheOptions {
  /** At most this many keys are held. */
  maxEntries: number;
  freshMs: number;
  serveWhileRefreshingMs: number;
  now?: () => number;
}

export interface FeedCache<V> {
  /** The value, from memory when fresh enough, else from one shared read. */
  get(key: string): V | undefined | Promise<V | undefined>;
  /** How many keys are held. */
  readonly size: number;
}

interface Cached<V> {
  at: number;
  value: V | undefined;
  refreshing?: Promise<V | undefined>;
}

export const createFeedCache = <V>(read: (key: string) => Promise<V | undefined>, options: FeedCacheOptions): FeedCache<V> => {
  const { freshMs, serveWhileRefreshingMs, now = () => Date.now() } = options;
  const cache = boundedCache<string, Cached<V>>({ max: options.maxEntries });

  const refresh = (key: string, entry: Cached<V> | undefined): Promise<V | undefined> => {
    const startedAt = now();
    const refreshing = read(key).then(
      (value) => {
        if (value === undefined) cache.delete(key);
        else cache.set(key, { at: startedAt, value });
        return value;
      },
      (error: unknown) => {
        const current = cache.get(key);
        if (current?.value === undefined) cache.delete(key);
        else delete current.refreshing;
        throw error;
      },
    );
    if (entry) entry.refreshing = refreshing;
    else cache.set(key, { at: 0, value: undefined, refreshing });
    return refreshing;
  };

  return {
    get(key) {
      const entry = cache.get(key);
      const age = entry ? now() - entry.at : Number.POSITIVE_INFINITY;
      if (entry && age < freshMs) return entry.value;
      const refreshing = entry?.refreshing ?? refresh(key, entry);
      if (entry && age < serveWhileRefreshingMs) {
        refreshing.catch(() => undefined); // its failure is met by the next request that waits for a read
        return entry.value;
      }
      return refreshing;
    },
    get size() {
      return cache.size;
    },
  };
};
