import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { toLambdaRecord } from './stream-records';
import { streamProcessing } from '../constructs/stream-processing';
import { deliver, type DeliveryIo, type DeliveryRules } from './stream-delivery';
import { checkPattern, matchesPattern, type FilterPattern } from './filter-pattern';
import { createLanes, createWatermark } from './stream-lanes';
import { openCheckpoints, writeDeadLetter } from './stream-checkpoints';
import { shardsToStart } from './shard-lineage';

/**
 * Does for a handler what Lambda's DynamoDB event source mapping does in AWS: polls every shard of the
 * table's stream (parents before children), drops the records the mapping's filter pattern refuses,
 * and hands the rest to `deliver` (`stream-delivery.ts`: batches, partial batch responses, bisection,
 * bounded retries, maximum record age, dead letters), spread over `parallelizationFactor` concurrent
 * lanes by partition key, each delivering on its own while the shard goes on being read
 * (`stream-lanes.ts`): a slow batch holds back the keys of its lane only. Checkpoints survive
 * restarts (`stream-checkpoints.ts`). Any record that is not an INSERT is reported loudly (`alert`):
 * the events table is append-only, so an overwrite or a removal is a defect somewhere, which the
 * mapping's filter would otherwise hide.
 *
 * Where it differs from AWS: everything runs in this process; the pattern grammar is the subset
 * `filter-pattern.ts` implements; a shard is read 1,000 records at a time, at most 1,000 wait in its
 * lanes, and its checkpoint moves when every record before it has settled; the differences in retry
 * counting and dead letters listed in `stream-delivery.ts`.
 */

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface StreamRunnerOptions {
  dynamo: DynamoDBClient;
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  /** Folder for checkpoints (stream-checkpoints.json) and dead letters (dead-letter/). */
  stateDir: string;
  batchSize?: number;
  pollIntervalMs?: number;
  maxRetries?: number;
  /** The wait before the `attempt`th retry of a failing record (default 40 ms, doubling, at most 1 s). */
  retryDelayMs?: (attempt: number) => number;
  bisectOnError?: boolean;
  maxRecordAgeSeconds?: number;
  parallelizationFactor?: number;
  /** Records that do not match are not delivered (the mapping's FilterCriteria); default: the projector's. */
  filterPattern?: FilterPattern;
  region?: string;
  log?: (line: string) => void;
  /** Where a record that is not an INSERT is reported (default: console.error). */
  alert?: (line: string) => void;
}

export interface StreamRunner {
  stop(): Promise<void>;
  /** Resolves once every record the stream holds now has been delivered (or dead-lettered or filtered out). */
  drained(): Promise<void>;
  stats(): { delivered: number; batches: number; deadLettered: number; filtered: number; polls: number };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** GetRecords' Limit: records read at once, and the most that wait in a shard's lanes before it is read again. */
const READ_LIMIT = 1000;

export const startStreamRunner = async (options: StreamRunnerOptions): Promise<StreamRunner> => {
  const {
    dynamo,
    endpoint,
    tableName,
    handler,
    stateDir,
    pollIntervalMs = 250,
    parallelizationFactor = streamProcessing.parallelizationFactor,
    filterPattern = streamProcessing.filterPattern,
    region = 'us-east-1',
    log = () => undefined,
    alert = (line: string) => console.error(line),
  } = options;
  const rules: DeliveryRules = {
    batchSize: options.batchSize ?? streamProcessing.batchSize,
    maxRetries: options.maxRetries ?? streamProcessing.retryAttempts,
    bisectOnError: options.bisectOnError ?? streamProcessing.bisectBatchOnError,
    maxRecordAgeSeconds: options.maxRecordAgeSeconds ?? streamProcessing.maxRecordAgeSeconds,
    retryDelayMs: options.retryDelayMs ?? ((attempt: number) => Math.min(1000, 20 * 2 ** attempt)),
  };
  if (pollIntervalMs > 250) throw new Error('the stream runner polls at least 4 times a second (pollIntervalMs <= 250)');
  checkPattern(filterPattern);
  const streams = new DynamoDBStreamsClient({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const table = (await dynamo.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  const streamArn = table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream`);
  const partitionKey = table?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  const checkpoints = openCheckpoints(stateDir, streamArn);

  const stats = { delivered: 0, batches: 0, deadLettered: 0, filtered: 0, polls: 0 };
  let running = true;

  /**
   * Drain requests are numbered. Request n is met once a listing of the shards that STARTED after it
   * has completed, and every shard polled then has come back empty from a poll that started after it
   * (a poll or listing already in flight when drained() is called may predate the latest writes).
   */
  let drainRequest = 0;
  let waiters: { request: number; resolve: () => void }[] = [];
  /** the drain request the latest completed listing started after (-1: a shard finished since) */
  let listedAfter = -1;
  /** active shard id -> the drain request its latest empty poll started after (-1: none yet) */
  const caughtUp = new Map<string, number>();
  const active = new Map<string, Promise<void>>();
  const resolveMet = () => {
    const met = Math.min(listedAfter, ...caughtUp.values());
    const done = waiters.filter((w) => w.request <= met);
    waiters = waiters.filter((w) => w.request > met);
    for (const w of done) w.resolve();
  };

  const reportNonInsert = (record: DynamoDBRecord) => {
    if (record.eventName === 'INSERT') return;
    alert(
      `stream runner: ${record.eventName} of ${JSON.stringify(record.dynamodb?.Keys ?? {})} in table ${tableName}, which is append-only: ` +
        `an item was overwritten or removed (sequence number ${record.dynamodb?.SequenceNumber}); the projector was not invoked for it`,
    );
  };

  const invoke = (batch: DynamoDBRecord[]) => {
    stats.batches++;
    return handler({ Records: batch });
  };

  const pollShard = async (shard: Shard) => {
    const shardId = shard.ShardId ?? '';
    // the records read and not settled yet, in shard order: the checkpoint moves past those settled with all before them
    const watermark = createWatermark();
    const settle = (record: DynamoDBRecord) => {
      const checkpoint = watermark.settle(record);
      if (checkpoint !== undefined) checkpoints.advance(shardId, checkpoint);
    };
    const io: DeliveryIo = {
      now: () => Date.now(),
      sleep,
      running: () => running,
      log,
      settled: (record, settlement) => {
        if (settlement.outcome === 'delivered') stats.delivered++;
        else {
          stats.deadLettered++;
          const file = writeDeadLetter(stateDir, { reason: settlement.reason, streamArn, shardId, record });
          log(`stream runner: record ${record.dynamodb?.SequenceNumber} sent to the dead-letter folder: ${settlement.reason} (${file})`);
        }
        settle(record);
      },
    };
    const lanes = createLanes(parallelizationFactor, partitionKey, (records) => deliver(records, invoke, rules, io), () => running);
    const accept = (records: DynamoDBRecord[]) => {
      watermark.add(records);
      const matching: DynamoDBRecord[] = [];
      for (const record of records) {
        reportNonInsert(record);
        if (matchesPattern(filterPattern, record)) matching.push(record);
        else {
          stats.filtered++;
          settle(record);
        }
      }
      lanes.push(matching);
    };
    // after an expired iterator, reading resumes after the last record read (those read and not settled are in the lanes)
    let lastRead: string | undefined;
    const iteratorFrom = async () => {
      const after = lastRead ?? checkpoints.after(shardId);
      const out = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
          ...(after ? { SequenceNumber: after } : {}),
        }),
      );
      return out.ShardIterator;
    };
    let iterator = await iteratorFrom();
    try {
      while (running && iterator) {
        // at most one read's worth of records waits in the lanes (the mapping's poller stops reading too)
        while (running && watermark.outstanding() >= READ_LIMIT) await lanes.progress();
        try {
          stats.polls++;
          const pollStartedAfter = drainRequest;
          const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: READ_LIMIT }));
          const records = (out.Records ?? []).map((r: StreamRecord) => toLambdaRecord(r, streamArn, region));
          if (records.length) {
            lastRead = records[records.length - 1]!.dynamodb?.SequenceNumber;
            accept(records);
          }
          iterator = out.NextShardIterator;
          // caught up once nothing new was read and everything read before is settled
          if (records.length === 0 && watermark.outstanding() === 0) {
            caughtUp.set(shardId, pollStartedAfter);
            resolveMet();
          }
          // the next read after the poll interval (the mapping polls a shard 4 times a second), at once after a full read;
          // reading again as soon as records came would hand the lanes batches of one or two records, each costing a projector's round trips
          if (records.length < READ_LIMIT) await sleep(pollIntervalMs);
        } catch (error) {
          if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
            iterator = await iteratorFrom();
            continue;
          }
          if (!running) return;
          log(`stream runner: polling ${shardId} failed (${messageOf(error)}); retrying`);
          await sleep(1000);
          iterator = await iteratorFrom().catch(() => iterator);
        }
      }
    } finally {
      await lanes.idle();
    }
    if (running && !iterator && watermark.outstanding() === 0) checkpoints.finish(shardId);
  };

  const start = (shard: Shard) => {
    const id = shard.ShardId ?? '';
    caughtUp.set(id, -1);
    const poller = pollShard(shard)
      .catch((error: unknown) => log(`stream runner: shard ${id} stopped (${messageOf(error)})`))
      .finally(() => {
        active.delete(id);
        caughtUp.delete(id);
        // its children may start now: not drained until a listing after this one
        listedAfter = -1;
        if (running) void discover();
      });
    active.set(id, poller);
  };

  /** Lists the shards and starts a poller for each whose parent is done; one listing at a time. */
  let listing: Promise<void> = Promise.resolve();
  const discover = (): Promise<void> => {
    listing = listing.then(async () => {
      const startedAfter = drainRequest;
      const shards: Shard[] = [];
      let from: string | undefined;
      try {
        do {
          const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(from ? { ExclusiveStartShardId: from } : {}) }));
          shards.push(...(out.StreamDescription?.Shards ?? []));
          from = out.StreamDescription?.LastEvaluatedShardId;
        } while (from);
      } catch (error) {
        if (running) log(`stream runner: describing the stream failed (${messageOf(error)})`);
        return;
      }
      if (!running) return;
      for (const shard of shardsToStart(shards, checkpoints.finished, (id) => active.has(id))) start(shard);
      listedAfter = Math.max(listedAfter, startedAfter);
      resolveMet();
    });
    return listing;
  };

  await discover();
  const discovery = setInterval(() => void discover(), 1000);

  return {
    async stop() {
      running = false;
      clearInterval(discovery);
      await Promise.allSettled([...active.values(), listing]);
      streams.destroy();
    },
    drained: () =>
      new Promise<void>((resolve) => {
        waiters.push({ request: ++drainRequest, resolve });
        void discover();
      }),
    stats: () => ({ ...stats }),
  };
};
