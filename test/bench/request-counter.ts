import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';

/**
 * Counts DynamoDB requests by kind (the command's name) and the capacity units they consumed, as an
 * SDK middleware on every client (`addClientMiddleware` in test/support/sdk-middleware.ts). It
 * asks each request for `ReturnConsumedCapacity: TOTAL` (index writes included). Requests are counted
 * under the label of the work that sent them (`run(label, fn)`, carried by AsyncLocalStorage), so
 * that the projector's requests are told apart from the API's that run at the same time.
 */

export interface Tally {
  requests: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  /** Write units of TransactWriteItems, also counted in writeUnits: DynamoDB Local reports 1 per KB per item, AWS bills 2. */
  transactWriteUnits?: number;
}

/** Commands that report consumed capacity when asked; the others (table admin) are counted only. */
const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

const empty = (): Tally => ({ requests: {}, readUnits: 0, writeUnits: 0 });

export const totalRequests = (tally: Tally): number => Object.values(tally.requests).reduce((a, b) => a + b, 0);

/** What happened between two copies of a tally. */
export const difference = (after: Tally, before: Tally): Tally => ({
  requests: Object.fromEntries(Object.entries(after.requests).flatMap(([kind, n]) => (n - (before.requests[kind] ?? 0) ? [[kind, n - (before.requests[kind] ?? 0)]] : []))),
  readUnits: after.readUnits - before.readUnits,
  writeUnits: after.writeUnits - before.writeUnits,
  transactWriteUnits: (after.transactWriteUnits ?? 0) - (before.transactWriteUnits ?? 0),
});

/** A tally divided by a number of operations (per append, per event). */
export const perOperation = (tally: Tally, operations: number): Tally => ({
  requests: Object.fromEntries(Object.entries(tally.requests).map(([kind, n]) => [kind, n / operations])),
  readUnits: tally.readUnits / operations,
  writeUnits: tally.writeUnits / operations,
  transactWriteUnits: (tally.transactWriteUnits ?? 0) / operations,
});

const units = (capacity: ConsumedCapacity | ConsumedCapacity[] | undefined): number =>
  (Array.isArray(capacity) ? capacity : capacity ? [capacity] : []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);

export type RequestCounter = ReturnType<typeof createRequestCounter>;

/** `unlabelled`: the label of requests sent outside any `run` (in the benchmark, the HTTP API's handlers). */
export const createRequestCounter = (unlabelled = 'other') => {
  const tallies = new Map<string, Tally>();
  const storage = new AsyncLocalStorage<string>();
  const tallyOf = (label: string): Tally => {
    let tally = tallies.get(label);
    if (!tally) tallies.set(label, (tally = empty()));
    return tally;
  };

  const middleware = (next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
    const kind = context.commandName ?? 'unknown';
    const tally = tallyOf(storage.getStore() ?? unlabelled);
    tally.requests[kind] = (tally.requests[kind] ?? 0) + 1;
    const billed = READS.has(kind) || WRITES.has(kind);
    const result = await next(billed ? { ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } } : args);
    if (billed) {
      const consumed = units(result.output?.ConsumedCapacity);
      if (READS.has(kind)) tally.readUnits += consumed;
      else tally.writeUnits += consumed;
      if (kind === 'TransactWriteItemsCommand') tally.transactWriteUnits = (tally.transactWriteUnits ?? 0) + consumed;
    }
    return result;
  };

  return {
    apiLabel: unlabelled,
    /** For `addClientMiddleware`: at the initialize step, so that the request asks for its capacity. */
    hook: { middleware, name: 'benchRequestCounter', step: 'initialize' as const },
    /** Runs `fn` with its DynamoDB requests counted under `label`. */
    run: <T>(label: string, fn: () => T): T => storage.run(label, fn),
    /** A copy of the tally of a label. */
    tally: (label: string): Tally => structuredClone(tallyOf(label)),
  };
};
