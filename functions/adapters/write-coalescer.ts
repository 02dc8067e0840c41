/**
 * Write requests of several callers sent together: what is handed over in one turn of the event loop
 * (a projector batch hands over its collection items and every story's timeline chunks side by side)
 * goes out `perRequest` to a BatchWriteItem, instead of each caller's own, mostly part-full, requests.
 * A batch of 7 developments over 6 stories sent 9 requests, 3 of them full; together they fill 3 or 4.
 *
 * A caller's promise settles once every request holding one of its writes has, and fails with the
 * first of those that failed (a request shared with another caller fails both). A write whose item
 * is already in a request goes in another: DynamoDB refuses a BatchWriteItem naming one item twice.
 * The order of writes in flight at once was never promised, gathered or not.
 */
export interface WriteCoalescer<T> {
  write(requests: readonly T[]): Promise<void>;
}

interface Caller {
  pending: number;
  failure?: Error;
  settle: (failure?: Error) => void;
}

interface Gathered<T> {
  requests: T[];
  keys: Set<string>;
  callers: Set<Caller>;
}

export const createWriteCoalescer = <T>(
  send: (requests: T[]) => Promise<void>,
  keyOf: (request: T) => string,
  { perRequest, inFlight }: { perRequest: number; inFlight: number },
): WriteCoalescer<T> => {
  let queued: { requests: readonly T[]; caller: Caller }[] = [];
  const waiting: Gathered<T>[] = [];
  let running = 0;

  const finish = (batch: Gathered<T>, failure: Error | undefined) => {
    for (const caller of batch.callers) {
      if (failure !== undefined && caller.failure === undefined) caller.failure = failure;
      if (--caller.pending === 0) caller.settle(caller.failure);
    }
  };

  const pump = () => {
    while (running < inFlight && waiting.length > 0) {
      const batch = waiting.shift() as Gathered<T>;
      running++;
      send(batch.requests).then(
        () => finish(batch, undefined),
        (error: unknown) => finish(batch, error instanceof Error ? error : new Error(String(error))),
      ).finally(() => {
        running--;
        pump();
      });
    }
  };

  const flush = () => {
    const handed = queued;
    queued = [];
    const open: Gathered<T>[] = [];
    // the requests with room left (a full one takes no more: the search does not pass over it again)
    const filling: Gathered<T>[] = [];
    for (const { requests, caller } of handed) {
      const batches = new Set<Gathered<T>>();
      for (const request of requests) {
        const key = keyOf(request);
        let batch = filling.find((b) => !b.keys.has(key));
        if (!batch) {
          batch = { requests: [], keys: new Set(), callers: new Set() };
          open.push(batch);
          filling.push(batch);
        }
        batch.requests.push(request);
        batch.keys.add(key);
        batch.callers.add(caller);
        batches.add(batch);
        if (batch.requests.length === perRequest) filling.splice(filling.indexOf(batch), 1);
      }
      caller.pending = batches.size;
    }
    waiting.push(...open);
    pump();
  };

  return {
    write: (requests) => {
      if (requests.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const caller: Caller = { pending: 0, settle: (failure) => (failure === undefined ? resolve() : reject(failure)) };
        if (queued.length === 0) setImmediate(flush);
        queued.push({ requests, caller });
      });
    },
  };
};
