import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * Does for a handler what Lambda's DynamoDB event source mapping does in AWS:
 * polls every shard of the table's stream, delivers batches in order per shard (parents before
 * children), honours partial batch responses (ReportBatchItemFailures), bisects a failing batch,
 * retries a failing record a bounded number of times, then writes it to a dead-letter folder (the
 * on-failure destination) and moves on. Checkpoints survive restarts.
 *
 * Where it differs from AWS: one poller per shard in this process (parallelization factor 1);
 * bisection does not consume retries and retries are counted only once a batch is down to one
 * record; there is no maximum record age (DynamoDB Local keeps its stream for 24 hours too).
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
  region?: string;
  log?: (line: string) => void;
}

export interface StreamRunner {
  stop(): Promise<void>;
  /** Resolves once every record the stream holds now has been delivered (or dead-lettered). */
  drained(): Promise<void>;
  stats(): { delivered: number; batches: number; deadLettered: number; polls: number };
}

type Checkpoints = Record<string, string>;

export const startStreamRunner = async (options: StreamRunnerOptions): Promise<StreamRunner> => {
  const {
    dynamo,
    endpoint,
    tableName,
    handler,
    stateDir,
    batchSize = streamProcessing.batchSize,
    pollIntervalMs = 250,
    maxRetries = streamProcessing.retryAttempts,
    retryDelayMs = (attempt: number) => Math.min(1000, 20 * 2 ** attempt),
    bisectOnError = streamProcessing.bisectBatchOnError,
    region = 'us-east-1',
    log = () => undefined,
  } = options;
  if (pollIntervalMs > 250) throw new Error('the stream runner polls at least 4 times a second (pollIntervalMs <= 250)');
  const streams = new DynamoDBStreamsClient({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const table = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream`);

  mkdirSync(stateDir, { recursive: true });
  const deadLetterDir = join(stateDir, 'dead-letter');
  const checkpointFile = join(stateDir, 'stream-checkpoints.json');
  const readCheckpoints = (): Checkpoints => {
    try {
      const saved = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { streamArn?: string; shards?: Checkpoints };
      return saved.streamArn === streamArn ? (saved.shards ?? {}) : {};
    } catch {
      return {};
    }
  };
  const checkpoints = readCheckpoints();
  /** shard id -> true once the shard is closed and fully read */
  const finished = new Set<string>(Object.keys(checkpoints).filter((k) => k.startsWith('done:')).map((k) => k.slice(5)));
  const saveCheckpoints = () => {
    const temp = `${checkpointFile}.tmp`;
    writeFileSync(temp, JSON.stringify({ streamArn, shards: checkpoints }, null, 1));
    renameSync(temp, checkpointFile);
  };

  const stats = { delivered: 0, batches: 0, deadLettered: 0, polls: 0 };
  let running = true;
  /**
   * Drain requests are numbered; a shard is caught up with request n once a poll that STARTED after
   * request n came back empty (a poll already in flight when drained() is called may have been
   * answered before the latest writes, so it proves nothing).
   */
  let drainRequest = 0;
  let idleWaiters: { request: number; resolve: () => void }[] = [];
  /** shard id -> the latest drain request an empty poll of the shard started after (-1: none yet) */
  const caughtUp = new Map<string, number>();

  const invoke = async (records: DynamoDBRecord[]): Promise<{ failedAt?: number }> => {
    stats.batches++;
    try {
      const response = await handler({ Records: records });
      const failures = response?.batchItemFailures ?? [];
      if (!failures.length) return {};
      const failed = new Set(failures.map((f) => f.itemIdentifier));
      const index = records.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
      // an identifier that is not in the batch fails the whole batch, as in Lambda
      return { failedAt: index < 0 ? 0 : index };
    } catch (error) {
      log(`stream runner: handler failed on a batch of ${records.length}: ${error instanceof Error ? error.message : String(error)}`);
      return { failedAt: -1 };
    }
  };

  const deadLetter = (shardId: string, record: DynamoDBRecord, attempts: number) => {
    mkdirSync(deadLetterDir, { recursive: true });
    const seq = record.dynamodb?.SequenceNumber ?? 'unknown';
    const file = join(deadLetterDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${shardId.slice(-12)}-${seq}.json`);
    writeFileSync(
      file,
      JSON.stringify({ reason: `handler failed ${attempts} times`, streamArn, shardId, sequenceNumber: seq, keys: record.dynamodb?.Keys, record }, null, 2),
    );
    stats.deadLettered++;
    log(`stream runner: record ${seq} sent to the dead-letter folder after ${attempts} attempts (${file})`);
  };

  /** Delivers records in order, honouring partial failures, bisection and bounded retries. */
  const deliver = async (shardId: string, records: DynamoDBRecord[]) => {
    let pending = records;
    let size = Math.min(batchSize, pending.length);
    const attempts = new Map<string, number>();
    while (pending.length && running) {
      size = Math.max(1, Math.min(size, pending.length));
      const batch = pending.slice(0, size);
      const { failedAt } = await invoke(batch);
      const advance = failedAt === undefined ? batch.length : Math.max(0, failedAt);
      if (advance > 0) {
        stats.delivered += advance;
        checkpoints[shardId] = batch[advance - 1]?.dynamodb?.SequenceNumber ?? checkpoints[shardId] ?? '';
        saveCheckpoints();
        pending = pending.slice(advance);
      }
      if (failedAt === undefined) {
        size = batchSize;
        continue;
      }
      // the record now at the head of `pending` failed (alone or with the rest of its batch)
      const head = pending[0];
      if (!head) continue;
      if (failedAt === -1 && bisectOnError && size > 1) {
        size = Math.ceil(size / 2);
        continue;
      }
      const seq = head.dynamodb?.SequenceNumber ?? '';
      const tries = (attempts.get(seq) ?? 0) + 1;
      attempts.set(seq, tries);
      if (tries > maxRetries) {
        deadLetter(shardId, head, tries);
        checkpoints[shardId] = seq;
        saveCheckpoints();
        pending = pending.slice(1);
        size = batchSize;
      } else {
        size = failedAt === -1 ? 1 : Math.min(size, pending.length);
        await new Promise((r) => setTimeout(r, retryDelayMs(tries)));
      }
    }
  };

  const pollShard = async (shard: Shard) => {
    const shardId = shard.ShardId ?? '';
    const iteratorFrom = async () => {
      const after = checkpoints[shardId];
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
    while (running && iterator) {
      try {
        stats.polls++;
        const pollStartedAfter = drainRequest;
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const records = (out.Records ?? []).map((r: StreamRecord) => toLambdaRecord(r, streamArn, region));
        if (records.length) await deliver(shardId, records);
        iterator = out.NextShardIterator;
        if (records.length === 0) {
          caughtUp.set(shardId, pollStartedAfter);
          notifyIfIdle();
          await new Promise((r) => setTimeout(r, pollIntervalMs));
        }
      } catch (error) {
        if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
          iterator = await iteratorFrom();
          continue;
        }
        if (!running) return;
        log(`stream runner: polling ${shardId} failed (${error instanceof Error ? error.message : String(error)}); retrying`);
        await new Promise((r) => setTimeout(r, 1000));
        iterator = await iteratorFrom().catch(() => iterator);
      }
    }
    if (running && !iterator) {
      finished.add(shardId);
      checkpoints[`done:${shardId}`] = '1';
      saveCheckpoints();
      caughtUp.delete(shardId);
    }
  };

  const active = new Map<string, Promise<void>>();
  const notifyIfIdle = () => {
    if (active.size === 0) return;
    const upTo = Math.min(...caughtUp.values());
    const done = idleWaiters.filter((w) => w.request <= upTo);
    idleWaiters = idleWaiters.filter((w) => w.request > upTo);
    for (const w of done) w.resolve();
  };

  /** Finds shards and starts a poller for each whose parent is done. */
  const discover = async () => {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }));
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    const known = new Set(shards.map((s) => s.ShardId));
    for (const shard of shards) {
      const id = shard.ShardId ?? '';
      if (finished.has(id) || active.has(id)) continue;
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !finished.has(parent)) continue;
      caughtUp.set(id, -1);
      const poller = pollShard(shard).finally(() => active.delete(id));
      active.set(id, poller);
    }
  };

  await discover();
  const discovery = setInterval(() => {
    discover().catch((error: unknown) => log(`stream runner: describing the stream failed (${error instanceof Error ? error.message : String(error)})`));
  }, 1000);

  return {
    async stop() {
      running = false;
      clearInterval(discovery);
      await Promise.allSettled([...active.values()]);
      streams.destroy();
    },
    drained: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push({ request: ++drainRequest, resolve });
      }),
    stats: () => ({ ...stats }),
  };
};
