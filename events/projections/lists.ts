/** Small immutable list helpers shared by the projections. */

/** The values without repeats, in first-seen order. */
export const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** A copy of `list` with `item` inserted after every element that does not sort after it. */
export const insertSorted = <T>(list: readonly T[], item: T, compare: (a: T, b: T) => number): T[] => {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(list[mid] as T, item) <= 0) low = mid + 1;
    else high = mid;
  }
  return [...list.slice(0, low), item, ...list.slice(low)];
};

/** A copy of `list` where the element matching `same` (if any) is replaced by `item`, kept in order. */
export const upsertSorted = <T>(list: readonly T[], item: T, same: (existing: T) => boolean, compare: (a: T, b: T) => number): T[] =>
  insertSorted(
    list.filter((existing) => !same(existing)),
    item,
    compare,
  );

export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
