import { topicFeedKey } from '../../events/projections';
import { createFeedCache, type FeedCacheOptions } from '../../functions/feed-cache';

/**
 * The feed function's in-memory cache: bounded, one shared read per refresh, stale copies served
 * while a refresh runs. Time is a counter the test moves.
 */

const setup = (options: Partial<FeedCacheOptions> = {}) => {
  let clock = 1_000_000;
  const reads: string[] = [];
  let fail = false;
  const stored = new Set<string>();
  const cache = createFeedCache<string>(
    (key) => {
      reads.push(key);
      if (fail) return Promise.reject(new Error('the table is unavailable'));
      if (key.startsWith('missing/') && !stored.has(key)) return Promise.resolve(undefined);
      return Promise.resolve(`${key}@${clock}`);
    },
    { maxEntries: 500, freshMs: 1000, serveWhileRefreshingMs: 2000, now: () => clock, ...options },
  );
  return {
    cache,
    reads,
    advance: (ms: number) => (clock += ms),
    failReads: (on: boolean) => (fail = on),
    store: (key: string) => stored.add(key),
  };
};

describe('the feed cache', () => {
  it('holds at most its bound after 10,000 distinct slugs, one after another', async () => {
    const { cache, reads } = setup();
    for (let i = 0; i < 10_000; i++) await cache.get(topicFeedKey(`slug-${i}`));
    expect(reads).toHaveLength(10_000);
    expect(cache.size).toBeLessThanOrEqual(500);
  });

  it('holds at most its bound after 10,000 distinct slugs requested at once', async () => {
    const { cache } = setup();
    await Promise.all(Array.from({ length: 10_000 }, (_, i) => Promise.resolve(cache.get(topicFeedKey(`slug-${i}`)))));
    expect(cache.size).toBeLessThanOrEqual(500);
  });

  it('lets the feed read longest ago go first', async () => {
    const { cache, reads } = setup({ maxEntries: 3 });
    for (const slug of ['a', 'b', 'c', 'd']) await cache.get(slug);
    expect(cache.get('d')).toBe('d@1000000');
    expect(await cache.get('a')).toBe('a@1000000');
    expect(reads).toEqual(['a', 'b', 'c', 'd', 'a']);
  });

  it('remembers no miss: concurrent requests share its read, and the feed serves as soon as it is stored', async () => {
    const { cache, reads, store } = setup();
    expect(await Promise.all([cache.get('missing/a'), cache.get('missing/a')])).toEqual([undefined, undefined]);
    expect(reads).toEqual(['missing/a']);
    expect(cache.size).toBe(0);
    store('missing/a');
    expect(await cache.get('missing/a')).toBe('missing/a@1000000');
    expect(reads).toEqual(['missing/a', 'missing/a']);
  });

  it('answers from memory while the copy is fresh, and shares one read among concurrent requests', async () => {
    const { cache, reads, advance } = setup();
    const [first, second] = await Promise.all([cache.get('feed/all'), cache.get('feed/all')]);
    expect(first).toBe(second);
    advance(999);
    expect(cache.get('feed/all')).toBe(first);
    expect(reads).toEqual(['feed/all']);
  });

  it('serves the stale copy while one refresh runs, then the refreshed one', async () => {
    const { cache, reads, advance } = setup();
    const first = await cache.get('feed/all');
    advance(1500);
    expect(cache.get('feed/all')).toBe(first);
    expect(cache.get('feed/all')).toBe(first);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toEqual(['feed/all', 'feed/all']);
    expect(cache.get('feed/all')).toBe('feed/all@1001500');
  });

  it('waits for a read once the copy is too old to serve', async () => {
    const { cache, advance } = setup();
    await cache.get('feed/all');
    advance(2000);
    const answer = cache.get('feed/all');
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toBe('feed/all@1002000');
  });

  it('lets a failed read fail the requests that waited for it, and reads again on the next one', async () => {
    const { cache, reads, failReads } = setup();
    failReads(true);
    await expect(cache.get('feed/all')).rejects.toThrow('the table is unavailable');
    failReads(false);
    expect(await cache.get('feed/all')).toBe('feed/all@1000000');
    expect(reads).toHaveLength(2);
  });
});
