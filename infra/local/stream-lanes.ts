import { createHash } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * ParallelizationFactor, as Lambda applies it: the records of one shard are spread over `factor`
 * concurrent batches by a hash of their partition key, so the records of one key stay in one lane, in
 * order, while different keys proceed side by side.
 */
export const lanesOf = (records: DynamoDBRecord[], factor: number, partitionKey: string): DynamoDBRecord[][] => {
  if (factor <= 1) return [records];
  const lanes: DynamoDBRecord[][] = Array.from({ length: factor }, () => []);
  for (const record of records) {
    const key = JSON.stringify(record.dynamodb?.Keys?.[partitionKey] ?? null);
    lanes[createHash('md5').update(key).digest().readUInt32BE(0) % factor]!.push(record);
  }
  return lanes.filter((lane) => lane.length > 0);
};

/**
 * The checkpoint of a shard read in lanes: the last record such that it and every record before it
 * (in shard order) is settled. `settle` answers the new checkpoint when it moved, else undefined.
 */
export const createWatermark = (records: DynamoDBRecord[]) => {
  const settled = new Set<DynamoDBRecord>();
  let next = 0;
  return {
    settle(record: DynamoDBRecord): string | undefined {
      settled.add(record);
      const from = next;
      while (next < records.length && settled.has(records[next]!)) next++;
      return next > from ? (records[next - 1]!.dynamodb?.SequenceNumber ?? '') : undefined;
    },
  };
};
