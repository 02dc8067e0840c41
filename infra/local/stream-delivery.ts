import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';

/**
 * The delivery rules of Lambda's stream event source mapping, with no I/O of their own: what to
 * invoke, in which batches, what to retry, what to give up on. The local stream runner feeds it the
 * records of one shard (or one lane of a shard, see `stream-lanes.ts`); the tests feed it a fake handler
 * and a fake clock.
 *
 * - Batches of up to `batchSize` records, in order.
 * - A partial batch response (ReportBatchItemFailures) settles the records before the first failed
 *   one; the batch is retried from that record. An identifier that is not in the batch (or an empty
 *   one) fails the whole batch, as in Lambda.
 * - A handler error fails the whole batch; with `bisectOnError` the batch is halved until the failing
 *   record is alone.
 * - A failing batch is retried `maxRetries` times (-1: without end), waiting `retryDelayMs(attempt)`,
 *   then dead-lettered (the reported record, or the batch that threw: one record once bisected), and
 *   delivery goes on after it.
 * - A record older than `maxRecordAgeSeconds` (-1: no limit) when its turn comes is dead-lettered
 *   without being delivered.
 *
 * Where it differs from AWS: bisection does not consume retries (retries are counted once a throwing
 * batch is down to one record); a dead letter is one file per record, not one message per batch range.
 */

export interface DeliveryRules {
  batchSize: number;
  maxRetries: number;
  bisectOnError: boolean;
  maxRecordAgeSeconds: number;
  /** The wait before the `attempt`th retry of a failing record. */
  retryDelayMs: (attempt: number) => number;
}

/** The function: its partial batch response, or a throw for a function error. */
export type Invoke = (records: DynamoDBRecord[]) => Promise<DynamoDBBatchResponse | void>;

export type Settlement = { outcome: 'delivered' } | { outcome: 'dead-lettered'; reason: string; attempts: number };

export interface DeliveryIo {
  /** Milliseconds since the epoch. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Called once per record, in order, as soon as the record is delivered or given up on. */
  settled: (record: DynamoDBRecord, settlement: Settlement) => void;
  /** False once the runner stops: delivery ends after the batch in flight, leaving the rest unsettled. */
  running?: () => boolean;
  log?: (line: string) => void;
}

export interface DeliveryReport {
  batches: number;
  delivered: number;
  deadLettered: number;
}

const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';

/** The index of the first failed record, -1 when the whole batch failed, undefined when none did. */
const failedIndex = async (invoke: Invoke, batch: DynamoDBRecord[], log: (line: string) => void): Promise<number | undefined> => {
  try {
    const failures = (await invoke(batch))?.batchItemFailures ?? [];
    if (!failures.length) return undefined;
    const failed = new Set(failures.map((f) => f.itemIdentifier));
    const index = batch.findIndex((r) => failed.has(sequenceOf(r)));
    // an identifier not in the batch fails all of it (retried whole, not bisected: the function did not fail)
    return index < 0 ? 0 : index;
  } catch (error) {
    log(`stream runner: handler failed on a batch of ${batch.length}: ${error instanceof Error ? error.message : String(error)}`);
    return -1;
  }
};

export const deliver = async (records: DynamoDBRecord[], invoke: Invoke, rules: DeliveryRules, io: DeliveryIo): Promise<DeliveryReport> => {
  const { running = () => true, log = () => undefined } = io;
  const maxRetries = rules.maxRetries < 0 ? Infinity : rules.maxRetries;
  const report: DeliveryReport = { batches: 0, delivered: 0, deadLettered: 0 };
  const attempts = new Map<string, number>();
  const expired = (record: DynamoDBRecord) => {
    const created = record.dynamodb?.ApproximateCreationDateTime;
    return rules.maxRecordAgeSeconds >= 0 && created !== undefined && io.now() / 1000 - created > rules.maxRecordAgeSeconds;
  };
  const deadLetter = (record: DynamoDBRecord, reason: string, tries = attempts.get(sequenceOf(record)) ?? 0) => {
    report.deadLettered++;
    io.settled(record, { outcome: 'dead-lettered', reason, attempts: tries });
  };

  let pending = records;
  let size = rules.batchSize;
  while (pending.length && running()) {
    while (pending[0] && expired(pending[0])) {
      deadLetter(pending[0], `older than the maximum record age (${rules.maxRecordAgeSeconds} s)`);
      pending = pending.slice(1);
    }
    if (!pending.length) break;
    size = Math.max(1, Math.min(size, pending.length));
    const batch = pending.slice(0, size);
    report.batches++;
    const failedAt = await failedIndex(invoke, batch, log);
    const advance = failedAt === undefined ? batch.length : Math.max(0, failedAt);
    for (const record of batch.slice(0, advance)) {
      report.delivered++;
      io.settled(record, { outcome: 'delivered' });
    }
    pending = pending.slice(advance);
    if (failedAt === undefined) {
      size = rules.batchSize;
      continue;
    }
    // the record now at the head of `pending` failed (alone or with the rest of its batch)
    const head = pending[0];
    if (!head) continue;
    if (failedAt === -1 && rules.bisectOnError && size > 1) {
      size = Math.ceil(size / 2);
      continue;
    }
    const tries = (attempts.get(sequenceOf(head)) ?? 0) + 1;
    attempts.set(sequenceOf(head), tries);
    if (tries > maxRetries) {
      // a reported record is given up on alone; a batch that kept throwing (down to one record when bisected) whole
      const given = failedAt === -1 ? pending.slice(0, size) : [head];
      for (const record of given) deadLetter(record, `handler failed ${tries} times`, tries);
      pending = pending.slice(given.length);
      size = rules.batchSize;
    } else {
      size = Math.min(size, pending.length);
      await io.sleep(rules.retryDelayMs(tries));
    }
  }
  return report;
};
