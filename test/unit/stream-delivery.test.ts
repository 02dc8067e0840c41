import type { DynamoDBRecord } from 'aws-lambda';
import { deliver, type DeliveryRules, type Invoke, type Settlement } from '../../infra/local/stream-delivery';
import { createLanes, createWatermark, lanesOf } from '../../infra/local/stream-lanes';
import { shardsToStart } from '../../infra/local/shard-lineage';

/** A record of stream `key` created at `createdAt` (epoch seconds), with sequence number `seq`. */
const record = (seq: number, key = 'story/a', createdAt = 1_000): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: String(seq).padStart(4, '0'), ApproximateCreationDateTime: createdAt, Keys: { streamId: { S: key }, version: { N: String(seq) } } },
});
const seqs = (records: DynamoDBRecord[]) => records.map((r) => Number(r.dynamodb?.SequenceNumber));

const rules = (over: Partial<DeliveryRules> = {}): DeliveryRules => ({
  batchSize: 4,
  maxRetries: 2,
  bisectOnError: true,
  maxRecordAgeSeconds: -1,
  retryDelayMs: (attempt) => 100 * attempt,
  ...over,
});

/** A fake clock (ms) that sleeping moves forward, and a log of every settlement. */
const harness = (startMs = 1_000_000) => {
  let now = startMs;
  const sleeps: number[] = [];
  const settled: { seq: number; settlement: Settlement }[] = [];
  return {
    sleeps,
    settled,
    io: {
      now: () => now,
      sleep: (ms: number) => {
        sleeps.push(ms);
        now += ms;
        return Promise.resolve();
      },
      settled: (r: DynamoDBRecord, settlement: Settlement) => settled.push({ seq: Number(r.dynamodb?.SequenceNumber), settlement }),
    },
  };
};

/** A handler that records each batch and fails as `fail` says. */
const fakeHandler = (fail: (batch: number[]) => 'throw' | number | 'bogus' | undefined) => {
  const batches: number[][] = [];
  const invoke: Invoke = (records) => {
    const batch = seqs(records);
    batches.push(batch);
    const failure = fail(batch);
    if (failure === 'throw') return Promise.reject(new Error('boom'));
    if (failure === 'bogus') return Promise.resolve({ batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] });
    if (failure !== undefined) return Promise.resolve({ batchItemFailures: [{ itemIdentifier: String(failure).padStart(4, '0') }] });
    return Promise.resolve(undefined);
  };
  return { invoke, batches };
};

const records = (n: number) => Array.from({ length: n }, (_, i) => record(i + 1));

describe('deliver (the event source mapping’s rules, without I/O)', () => {
  it('delivers in batches of the batch size, in order, and settles every record once', async () => {
    const h = harness();
    const { invoke, batches } = fakeHandler(() => undefined);
    const report = await deliver(records(10), invoke, rules(), h.io);
    expect(batches).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
    expect(h.settled.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(report).toEqual({ batches: 3, delivered: 10, deadLettered: 0 });
  });

  it('honours a partial batch response: the records before the failed one are settled, the batch is retried from it', async () => {
    const h = harness();
    let failed = false;
    const { invoke, batches } = fakeHandler((batch) => (batch.includes(3) && !failed ? ((failed = true), 3) : undefined));
    await deliver(records(6), invoke, rules(), h.io);
    expect(batches).toEqual([[1, 2, 3, 4], [3, 4, 5, 6]]);
    expect(h.settled.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.sleeps).toEqual([100]);
  });

  it('fails the whole batch when a reported identifier is not in it, and retries it without bisecting', async () => {
    const h = harness();
    let calls = 0;
    const { invoke, batches } = fakeHandler(() => (calls++ === 0 ? 'bogus' : undefined));
    await deliver(records(3), invoke, rules(), h.io);
    expect(batches).toEqual([[1, 2, 3], [1, 2, 3]]);
  });

  it('bisects a batch whose handler throws until the failing record is alone, then retries it and dead-letters it', async () => {
    const h = harness();
    const { invoke, batches } = fakeHandler((batch) => (batch.includes(3) ? 'throw' : undefined));
    const report = await deliver(records(4), invoke, rules({ maxRetries: 2 }), h.io);
    expect(batches).toEqual([[1, 2, 3, 4], [1, 2], [3, 4], [3], [3], [3], [4]]);
    expect(h.sleeps).toEqual([100, 200]);
    expect(h.settled).toEqual([
      { seq: 1, settlement: { outcome: 'delivered' } },
      { seq: 2, settlement: { outcome: 'delivered' } },
      { seq: 3, settlement: { outcome: 'dead-lettered', reason: 'handler failed 3 times', attempts: 3 } },
      { seq: 4, settlement: { outcome: 'delivered' } },
    ]);
    expect(report).toEqual({ batches: 7, delivered: 3, deadLettered: 1 });
  });

  it('without bisection, retries the throwing batch whole, then dead-letters all of it and goes on', async () => {
    const h = harness();
    const { invoke, batches } = fakeHandler((batch) => (batch.includes(2) ? 'throw' : undefined));
    await deliver(records(5), invoke, rules({ bisectOnError: false, maxRetries: 1, batchSize: 3 }), h.io);
    expect(batches).toEqual([[1, 2, 3], [1, 2, 3], [4, 5]]);
    expect(h.settled.map((s) => [s.seq, s.settlement.outcome])).toEqual([[1, 'dead-lettered'], [2, 'dead-lettered'], [3, 'dead-lettered'], [4, 'delivered'], [5, 'delivered']]);
  });

  it('retries without end when maxRetries is -1', async () => {
    const h = harness();
    let failures = 0;
    const { invoke } = fakeHandler((batch) => (batch.includes(1) && failures++ < 20 ? 1 : undefined));
    const report = await deliver(records(2), invoke, rules({ maxRetries: -1, retryDelayMs: () => 1 }), h.io);
    expect(report).toMatchObject({ delivered: 2, deadLettered: 0 });
    expect(h.sleeps).toHaveLength(20);
  });

  it('dead-letters, without delivering it, a record older than the maximum record age when its turn comes', async () => {
    // records created at t = 1000 s; the clock starts at 1000.5 s; each retry waits 1 s; the age limit is 2 s
    const h = harness(1_000_500);
    const { invoke, batches } = fakeHandler((batch) => (batch[0] === 1 ? 1 : undefined));
    await deliver(records(3), invoke, rules({ maxRetries: 10, maxRecordAgeSeconds: 2, retryDelayMs: () => 1000 }), h.io);
    expect(batches).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(h.settled.map((s) => [s.seq, s.settlement.outcome])).toEqual([[1, 'dead-lettered'], [2, 'dead-lettered'], [3, 'dead-lettered']]);
    expect(h.settled[0]!.settlement).toMatchObject({ reason: 'older than the maximum record age (2 s)', attempts: 2 });
  });

  it('stops after the batch in flight once the runner stops, leaving the rest unsettled', async () => {
    const h = harness();
    let running = true;
    const invoke: Invoke = () => {
      running = false;
      return Promise.resolve(undefined);
    };
    await deliver(records(10), invoke, rules(), { ...h.io, running: () => running });
    expect(h.settled.map((s) => s.seq)).toEqual([1, 2, 3, 4]);
  });
});

describe('parallelization factor', () => {
  const mixed = Array.from({ length: 40 }, (_, i) => record(i + 1, `story/s${i % 7}`));
  const keyOf = (r: DynamoDBRecord) => r.dynamodb?.Keys?.streamId?.S;

  it('keeps one lane at factor 1', () => {
    expect(lanesOf(mixed, 1, 'streamId')).toEqual([mixed]);
  });

  it('spreads a shard over at most `factor` lanes by partition key, each key in one lane, in order', () => {
    const lanes = lanesOf(mixed, 3, 'streamId');
    expect(lanes.length).toBeGreaterThan(1);
    expect(lanes.length).toBeLessThanOrEqual(3);
    expect(lanes.flat()).toHaveLength(40);
    const laneOfKey = new Map<string | undefined, number>();
    lanes.forEach((lane, i) => {
      for (const r of lane) {
        expect(laneOfKey.get(keyOf(r)) ?? i).toBe(i);
        laneOfKey.set(keyOf(r), i);
      }
      expect(seqs(lane)).toEqual([...seqs(lane)].sort((a, b) => a - b));
    });
  });

  it('moves the checkpoint only past records that, with all before them, are settled, across reads', () => {
    const five = records(5);
    const mark = createWatermark();
    mark.add(five.slice(0, 3));
    expect(mark.settle(five[1]!)).toBeUndefined();
    expect(mark.settle(five[0]!)).toBe('0002');
    mark.add(five.slice(3));
    expect(mark.outstanding()).toBe(3);
    expect(mark.settle(five[3]!)).toBeUndefined();
    expect(mark.outstanding()).toBe(2);
    expect(mark.settle(five[2]!)).toBe('0004');
    expect(mark.settle(five[4]!)).toBe('0005');
    expect(mark.outstanding()).toBe(0);
  });

  it('keeps its place past a thousand records read in several reads', () => {
    const many = records(2500);
    const mark = createWatermark();
    for (let i = 0; i < many.length; i += 700) mark.add(many.slice(i, i + 700));
    let last: string | undefined;
    for (const r of many) last = mark.settle(r) ?? last;
    expect(last).toBe('2500');
    expect(mark.outstanding()).toBe(0);
  });

  /** Lanes over `deliverLane`, which resolves each delivery only when the test releases that lane's key. */
  const gatedLanes = (factor: number) => {
    const delivered: number[][] = [];
    const gates = new Map<string, () => void>();
    const lanes = createLanes(factor, 'streamId', async (batch) => {
      const key = batch[0]?.dynamodb?.Keys?.streamId?.S ?? '';
      if (key.endsWith('slow')) await new Promise<void>((resolve) => gates.set(key, resolve));
      delivered.push(seqs(batch));
    });
    return { lanes, delivered, release: (key: string) => gates.get(key)?.() };
  };
  /** A key in a lane of its own, beside the slow key's. */
  const keysInTwoLanes = (factor: number) => {
    const slow = 'story/x-slow';
    const fast = Array.from({ length: 20 }, (_, i) => `story/k${i}-fast`).find((key) => lanesOf([record(1, slow), record(2, key)], factor, 'streamId').length === 2);
    return { slow, fast: fast ?? '' };
  };

  it('delivers each lane on its own: a batch held in one lane holds back no other lane', async () => {
    const { slow, fast } = keysInTwoLanes(4);
    const { lanes, delivered, release } = gatedLanes(4);
    lanes.push([record(1, slow), record(2, fast)]);
    await new Promise((r) => setImmediate(r));
    expect(delivered).toEqual([[2]]);
    // read while the slow lane is busy: the fast lane delivers it at once; the slow lane's record waits its turn
    lanes.push([record(3, fast), record(4, slow)]);
    await new Promise((r) => setImmediate(r));
    expect(delivered).toEqual([[2], [3]]);
    release(slow);
    await new Promise((r) => setImmediate(r));
    release(slow);
    await lanes.idle();
    expect(delivered).toEqual([[2], [3], [1], [4]]);
  });

  it('reports progress when a delivery ends, and stops after the batch in flight', async () => {
    let running = true;
    const seen: number[][] = [];
    const lanes = createLanes(1, 'streamId', async (batch) => {
      seen.push(seqs(batch));
      running = false;
      await Promise.resolve();
    }, () => running);
    await lanes.progress();
    lanes.push([record(1), record(2)]);
    const progressed = lanes.progress();
    lanes.push([record(3)]);
    await progressed;
    await lanes.idle();
    expect(seen).toEqual([[1, 2]]);
  });
});

describe('shard lineage', () => {
  const shards = [{ ShardId: 'a' }, { ShardId: 'b', ParentShardId: 'a' }, { ShardId: 'c', ParentShardId: 'gone' }];
  it('starts a shard once its parent is finished (or no longer listed), never one active or finished', () => {
    const ids = (finished: string[], active: string[]) =>
      shardsToStart(shards, (id) => finished.includes(id), (id) => active.includes(id)).map((s) => s.ShardId);
    expect(ids([], [])).toEqual(['a', 'c']);
    expect(ids([], ['a', 'c'])).toEqual([]);
    expect(ids(['a'], ['c'])).toEqual(['b']);
  });
});
