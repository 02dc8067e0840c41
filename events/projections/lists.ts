/** Small immutable list helpers shared by the projections. */

/** The values without repeats, in first-seen order. */
export const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** Where `item` goes in sorted `list`: after every element that does not sort after it. */
const insertionPoint = <T>(list: readonly T[], item: T, compare: (a: T, b: T) => number): number => {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(list[mid] as T, item) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
};

/** A copy of `list` with `item` inserted after every element that does not sort after it. */
export const insertSorted = <T>(list: readonly T[], item: T, compare: (a: T, b: T) => number): T[] => {
  const at = insertionPoint(list, item, compare);
  // one preallocated copy: faster than slice + splice on long lists
  const copy = new Array<T>(list.length + 1);
  for (let i = 0; i < at; i++) copy[i] = list[i] as T;
  copy[at] = item;
  for (let i = at; i < list.length; i++) copy[i + 1] = list[i] as T;
  return copy;
};

/**
 * A copy of `list` where the element matching `same` (if any) is replaced by `item`, kept in order.
 * One copy of the list, whatever its length: projections call this for every event.
 */
export const upsertSorted = <T>(list: readonly T[], item: T, same: (existing: T) => boolean, compare: (a: T, b: T) => number): T[] => {
  const copy = list.slice();
  for (let i = copy.length - 1; i >= 0; i--) if (same(copy[i] as T)) copy.splice(i, 1);
  copy.splice(insertionPoint(copy, item, compare), 0, item);
  return copy;
};

export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
