import { boundedCache } from '../../functions/bounded-cache';

describe('the bounded cache', () => {
  it('keeps at most `max` entries, dropping the least recently used first', () => {
    const cache = boundedCache<string, number>({ max: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    expect(cache.size).toBe(2);
  });

  it('keeps the order of use when the most recent entry is asked again, or deleted, or expired', () => {
    let now = 0;
    const cache = boundedCache<string, number>({ max: 2, maxAgeMs: 50, now: () => now });
    cache.set('a', 1);
    cache.set('b', 2);
    expect([cache.get('b'), cache.get('b')]).toEqual([2, 2]); // already the most recent: a stays the oldest
    cache.set('c', 3);
    expect([cache.get('a'), cache.size]).toEqual([undefined, 2]);
    expect(cache.get('b')).toBe(2); // b the most recent again, c the oldest
    cache.delete('b');
    cache.set('d', 4);
    expect([cache.get('c'), cache.get('d')]).toEqual([3, 4]);
    now = 60;
    expect(cache.get('d')).toBeUndefined(); // the most recent, expired: gone
    cache.set('e', 5);
    cache.set('f', 6);
    expect([cache.get('c'), cache.get('e'), cache.get('f'), cache.size]).toEqual([undefined, 5, 6, 2]);
  });

  it('serves nothing older than `maxAgeMs` by its clock', () => {
    let now = 1_000;
    const cache = boundedCache<string, string>({ max: 10, maxAgeMs: 100, now: () => now });
    cache.set('k', 'v');
    now += 100;
    expect(cache.get('k')).toBe('v');
    now += 1;
    expect(cache.get('k')).toBeUndefined();
    cache.set('k', 'w');
    expect(cache.get('k')).toBe('w');
  });

  it('holds nothing with a max age of 0', () => {
    const cache = boundedCache<string, string>({ max: 10, maxAgeMs: 0 });
    cache.set('k', 'v');
    expect([cache.get('k'), cache.size]).toEqual([undefined, 0]);
  });

  it('forgets an entry on delete, and everything on clear', () => {
    const cache = boundedCache<string, number>({ max: 5 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.delete('a');
    expect([cache.get('a'), cache.size]).toEqual([undefined, 1]);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
