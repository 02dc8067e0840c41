/**
 * Document writes at once: DynamoDB takes them in parallel, and the order among the documents of
 * one step does not matter (the projector and a rebuild order their steps themselves).
 */
export const WRITE_CONCURRENCY = 16;

/** Runs `work` on every item, at most `limit` at a time; rejects with the first failure. */
export const inParallel = async <T>(items: readonly T[], work: (item: T) => Promise<void>, limit = WRITE_CONCURRENCY): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};
