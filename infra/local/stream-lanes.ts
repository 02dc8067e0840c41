import { createHash } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * ParallelizationFactor, as Lambda applies it: the records of one shard are spread over `factor`
 * concurrent batches by a hash of their partition key, so the records of one key stay in one lane, in
 * order, while different keys proceed side by side.
 */
const laneOf = (record: DynamoDBRecord, factor: number, partitionKey: string): number =>
  factor <= 1 ? 0 : createHash('md5').update(JSON.stringify(record.dynamodb?.Keys?.[partitionKey] ?? null)).digest().readUInt32BE(0) % factor;

export const lanesOf = (records: DynamoDBRecord[], factor: number, partitionKey: string): DynamoDBRecord[][] => {
  const lanes: DynamoDBRecord[][] = Array.from({ length: Math.max(1, factor) }, () => []);
  for (const record of records) lanes[laneOf(record, factor, partitionKey)]!.push(record);
  return lanes.filter((lane) => lane.length > 0);
};

/**
 * A shard's lanes, each delivering on its own: a record joins its key's lane as it is read, and a lane
 * hands what has queued in it to `deliverLane` whenever its previous delivery ends, without waiting
 * for the other lanes (a slow story holds back only the keys of its own lane). Delivery stops after
 * the batch in flight once `running` answers false.
 */
export const createLanes = (factor: number, partitionKey: string, deliverLane: (records: DynamoDBRecord[]) => Promise<unknown>, running: () => boolean = () => true) => {
  const queues: DynamoDBRecord[][] = Array.from({ length: Math.max(1, factor) }, () => []);
  const working = new Map<number, Promise<void>>();
  let onProgress: (() => void)[] = [];
  const work = async (lane: number) => {
    const queue = queues[lane]!;
    while (queue.length > 0 && running()) {
      await deliverLane(queue.splice(0));
      const waiting = onProgress;
      onProgress = [];
      for (const resolve of waiting) resolve();
    }
  };
  const start = (lane: number) => {
    if (working.has(lane) || queues[lane]!.length === 0) return;
    working.set(
      lane,
      work(lane).finally(() => {
        working.delete(lane);
        // records queued after the loop's last look
        if (running()) start(lane);
      }),
    );
  };
  return {
    push(records: readonly DynamoDBRecord[]) {
      for (const record of records) queues[laneOf(record, factor, partitionKey)]!.push(record);
      queues.forEach((_, lane) => start(lane));
    },
    /** Resolves when some lane's delivery ends (at once when none is running). */
    progress: (): Promise<void> => (working.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => onProgress.push(resolve))),
    /** Resolves once no lane is delivering (queued records left by a stop stay queued). */
    async idle(): Promise<void> {
      while (working.size > 0) await Promise.all(working.values());
    },
  };
};

/**
 * The checkpoint of a shard read in lanes: the last record such that it and every record before it
 * (in shard order) is settled. Records are added as they are read; `settle` answers the new
 * checkpoint when it moved, else undefined.
 */
export const createWatermark = () => {
  let records: DynamoDBRecord[] = [];
  const settled = new Set<DynamoDBRecord>();
  let next = 0;
  return {
    add(read: readonly DynamoDBRecord[]) {
      for (const record of read) records.push(record);
    },
    settle(record: DynamoDBRecord): string | undefined {
      settled.add(record);
      const from = next;
      while (next < records.length && settled.delete(records[next]!)) next++;
      if (next === from) return undefined;
      const checkpoint = records[next - 1]!.dynamodb?.SequenceNumber ?? '';
      if (next >= 1000) {
        records = records.slice(next);
        next = 0;
      }
      return checkpoint;
    },
    /** Records read and not settled yet. */
    outstanding: (): number => records.length - next - settled.size,
  };
};
