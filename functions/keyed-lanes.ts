/**
 * Work run one at a time per key, in the order it arrived, within this instance; work under other keys
 * runs alongside. A key's lane holds only what is queued on it and is gone once its last work ends (so
 * it is no cache and needs no bound); a failed work does not stop the work queued after it.
 */
export interface KeyedLanes {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Keys with work queued or running. */
  readonly size: number;
}

export const createKeyedLanes = (): KeyedLanes => {
  /** Per key, the end of its last work: settles (never rejects) when that work does. */
  const tails = new Map<string, Promise<void>>();
  return {
    run: (key, work) => {
      const result = (tails.get(key) ?? Promise.resolve()).then(work);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    get size() {
      return tails.size;
    },
  };
};
