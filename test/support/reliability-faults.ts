import {
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { addClientMiddleware } from './sdk-middleware';

/**
 * Faults DynamoDB Local cannot produce, injected into the events table's write path as middleware on
 * every DynamoDB client that sends its first request after installing (./sdk-middleware.ts). The middleware
 * sits beneath the SDK's retry middleware, so a throttling error is retried by the SDK exactly as a
 * real one would be; what outlasts those retries reaches our code.
 *
 * Install before the runtime starts (before its clients send anything); faults stay off until
 * `setRate` turns them on, so the runtime's own setup writes are never touched. Only writes to the
 * events table are affected (PutItem of idempotency keys, TransactWriteItems of appends): the
 * projector's writes go to the read-model table and reads are never faulted.
 */

export type WriteFaultKind = 'throttling' | 'transaction-conflict' | 'transaction-throttled';

export interface WriteFaultStats {
  /** Write commands on the events table seen while faults were on. */
  writes: number;
  injected: Record<WriteFaultKind, number>;
  crashes: number;
}

export interface WriteFaults {
  /** Fails this share (0..1) of the events table's write commands, with one of `kinds` each time. */
  setRate(rate: number, options?: { kinds?: WriteFaultKind[]; commands?: WriteCommand[] }): void;
  /**
   * Lets the next TransactWriteItems on the events table that DynamoDB accepts reach it, then throws `error` instead
   * of returning its response, once: a process that dies after the write, before it can reply.
   */
  crashAfterNextAppend(error: Error): void;
  stats(): WriteFaultStats;
  resetStats(): void;
  /**
   * Cuts every in-process client off DynamoDB: new calls fail as a refused connection does (the SDK
   * retries them). Resolves once no call is in flight and DynamoDB Local had `settleMs` to finish what
   * it answered, with the function that lets calls through again. DynamoDB Local can lose a write it
   * acknowledged just before it dies, which DynamoDB never does; cutting off first keeps a restart
   * test about the runtime's recovery, not about that difference.
   */
  cutOff(settleMs?: number): Promise<() => void>;
}

export type WriteCommand = 'PutItemCommand' | 'TransactWriteItemsCommand';

/** mulberry32: a small seeded generator, so that a failing run can be replayed with its seed. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const metadata = () => ({ httpStatusCode: 400, requestId: 'injected-fault', attempts: 1, totalRetryDelay: 0 });

/** What DynamoDB answers when a table's or the account's throughput is exceeded. */
export const throttlingError = (random: () => number): Error => {
  const error =
    random() < 0.5
      ? new ProvisionedThroughputExceededException({ message: 'injected: the level of configured provisioned throughput for the table was exceeded', $metadata: metadata() })
      : new ThrottlingException({ message: 'injected: rate of requests exceeds the allowed throughput', $metadata: metadata() });
  return Object.assign(error, { $retryable: { throttling: true } });
};

/** A cancelled transaction: one item's reason is `code`, the others `None` (as DynamoDB reports it). */
export const cancelledTransaction = (items: number, code: 'TransactionConflict' | 'ThrottlingError', at: number): TransactionCanceledException =>
  new TransactionCanceledException({
    message: `injected: Transaction cancelled, please refer cancellation reasons for specific reasons [${Array.from({ length: items }, (_, i) => (i === at ? code : 'None')).join(', ')}]`,
    $metadata: metadata(),
    CancellationReasons: Array.from({ length: items }, (_, i) =>
      i === at ? { Code: code, Message: code === 'TransactionConflict' ? 'Transaction is ongoing for the item' : 'Throughput exceeds the current capacity' } : { Code: 'None' },
    ),
  });

const tableNamesOf = (command: string, input: Record<string, unknown>): string[] => {
  if (command === 'PutItemCommand') return [String(input.TableName)];
  const items = (input.TransactItems ?? []) as TransactWriteItem[];
  return items.map((item) => String(item.Put?.TableName ?? item.Update?.TableName ?? item.Delete?.TableName ?? item.ConditionCheck?.TableName));
};

export const installWriteFaults = ({ seed }: { seed: number }): WriteFaults => {
  const random = seededRandom(seed);
  let rate = 0;
  let kinds: WriteFaultKind[] = ['throttling', 'transaction-conflict', 'transaction-throttled'];
  let commands: WriteCommand[] = ['PutItemCommand', 'TransactWriteItemsCommand'];
  let crash: Error | undefined;
  const fresh = (): WriteFaultStats => ({ writes: 0, injected: { throttling: 0, 'transaction-conflict': 0, 'transaction-throttled': 0 }, crashes: 0 });
  let stats = fresh();

  let cut = false;
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  addClientMiddleware({
    name: 'reliabilityCutOff',
    middleware: (next) => async (args: unknown) => {
      if (cut) throw Object.assign(new Error('connect ECONNREFUSED (injected: cut off from DynamoDB)'), { code: 'ECONNREFUSED' });
      inFlight++;
      try {
        return await next(args);
      } finally {
        inFlight--;
        if (inFlight === 0) onIdle?.();
      }
    },
  });

  addClientMiddleware({
    name: 'reliabilityWriteFaults',
    middleware: (next, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
      const command = context.commandName ?? '';
      // the events table's name is exported by the runtime as it starts, before any handler runs
      const eventsTable = process.env.EVENTS_TABLE;
      const isAppend = command === 'TransactWriteItemsCommand';
      const targeted = (command === 'PutItemCommand' || isAppend) && tableNamesOf(command, args.input).includes(String(eventsTable));
      if (!targeted) return next(args);
      if (isAppend && crash) {
        // only a transaction DynamoDB accepted: one it cancelled (a writer whose cached version is taken) wrote nothing
        await next(args);
        const error = crash;
        crash = undefined;
        stats.crashes++;
        throw error;
      }
      if (rate === 0 || !commands.includes(command)) return next(args);
      stats.writes++;
      if (random() >= rate) return next(args);
      // transactions can fail in every way; a PutItem only by throttling
      const possible = isAppend ? kinds : kinds.filter((k) => k === 'throttling');
      if (possible.length === 0) return next(args);
      const kind = possible[Math.floor(random() * possible.length)] ?? 'throttling';
      stats.injected[kind]++;
      if (kind === 'throttling') throw throttlingError(random);
      const items = ((args.input.TransactItems ?? []) as unknown[]).length;
      throw cancelledTransaction(items, kind === 'transaction-conflict' ? 'TransactionConflict' : 'ThrottlingError', Math.floor(random() * items));
    },
  });

  return {
    setRate(newRate, options = {}) {
      rate = newRate;
      kinds = options.kinds ?? ['throttling', 'transaction-conflict', 'transaction-throttled'];
      commands = options.commands ?? ['PutItemCommand', 'TransactWriteItemsCommand'];
    },
    crashAfterNextAppend(error) {
      crash = error;
    },
    stats: () => ({ ...stats, injected: { ...stats.injected } }),
    resetStats() {
      stats = fresh();
    },
    async cutOff(settleMs = 250) {
      cut = true;
      if (inFlight > 0) await new Promise<void>((done) => (onIdle = done));
      onIdle = undefined;
      await new Promise((r) => setTimeout(r, settleMs));
      return () => {
        cut = false;
      };
    },
  };
};
