import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { round, type Figure } from './stats';

/**
 * Memory: the feed handler's heap (in this process, where the local host runs it), measured after a
 * forced GC, before and after 10,000 requests for distinct unknown story slugs (404s that must leave
 * nothing behind: no cache entry, no metric, no log buffer per slug).
 */

const collectGarbage = (): (() => void) => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
};

const heapAfterGc = (gc: () => void): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

export const benchHeap = async ({ baseUrl, requests = 10_000 }: { baseUrl: string; requests?: number }): Promise<Figure[]> => {
  const gc = collectGarbage();
  const get = async (slug: string) => {
    const res = await fetch(`${baseUrl}/stories/${slug}/feed.rss`);
    await res.arrayBuffer();
    if (res.status !== 404) throw new Error(`expected 404 for an unknown story, got ${res.status}`);
  };
  const run = async (prefix: string, count: number) => {
    for (let i = 0; i < count; i += 16) await Promise.all(Array.from({ length: Math.min(16, count - i) }, (_, k) => get(`${prefix}-${i + k}`)));
  };
  await run('warm-unknown', 500);
  const before = heapAfterGc(gc);
  await run(`unknown-${Date.now()}`, requests);
  const after = heapAfterGc(gc);
  return [
    { name: `feed handler heap after ${requests} unknown slugs (after GC)`, value: round(after / 2 ** 20), unit: 'MiB', baseline: round(before / 2 ** 20), baselineName: 'heap after 500 warm-up requests (after GC)', ratio: round(after / before, 2), target: '<= 1.10', met: after / before <= 1.1 },
  ];
};
