import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createEventStore, type EventStore } from '../../functions/adapters/event-store';
import { startStreamRunner, type StreamHandler } from '../../infra/local/stream-runner';
import { lanesOf } from '../../infra/local/stream-lanes';
import { freshTables, testEndpoint } from '../support/dynamodb';
import { actorIdentified, metadata, storyOpened } from '../support/story-events';

let tables: Awaited<ReturnType<typeof freshTables>>;
let store: EventStore;
beforeAll(async () => {
  tables = await freshTables(testEndpoint(), { streams: true });
  store = createEventStore(tables.client, tables.names.events);
});
afterAll(() => tables.drop());

const eventIdOf = (r: DynamoDBRecord) => r.dynamodb?.NewImage?.eventId?.S;
/** A record of stream `streamId`, for finding its lane. */
const keyed = (streamId: string): DynamoDBRecord => ({ dynamodb: { Keys: { streamId: { S: streamId } } } });
const isEvent = (r: DynamoDBRecord) => !(r.dynamodb?.Keys?.streamId?.S ?? '$').startsWith('$');

/** A runner on the suite's table; its loud alerts go nowhere unless a test asks for them (every runner here sees the overwrite test's record). */
const start = (handler: StreamHandler, stateDir: string, extra: { maxRetries?: number; batchSize?: number; parallelizationFactor?: number; alert?: (line: string) => void } = {}) =>
  startStreamRunner({ dynamo: tables.client, endpoint: testEndpoint(), tableName: tables.names.events, handler, stateDir, pollIntervalMs: 50, alert: () => undefined, ...extra });

describe('local stream runner', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'runner-'));
  const seen: string[] = [];
  let poisonId = '';
  let poisonCalls = 0;

  const handler: StreamHandler = (event: DynamoDBStreamEvent) => {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      if (!isEvent(record)) continue;
      if (eventIdOf(record) === poisonId) {
        poisonCalls++;
        failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
        break;
      }
      seen.push(eventIdOf(record) ?? '');
    }
    return Promise.resolve({ batchItemFailures: failures });
  };

  it('delivers records in order, dead-letters a poison record after bounded retries, and goes on', async () => {
    const streamId = `story/r-${randomUUID().slice(0, 8)}`;
    const events = [storyOpened('r'), actorIdentified('a'), actorIdentified('b'), actorIdentified('c')];
    poisonId = events[2]!.id;
    const runner = await start(handler, stateDir, { maxRetries: 2 });
    await store.append({ streamId, expectedVersion: 0, events, metadata, recordedAt: new Date().toISOString() });
    await runner.drained();
    await runner.drained();
    expect(seen).toEqual([events[0]!.id, events[1]!.id, events[3]!.id]);
    expect(poisonCalls).toBe(3);
    const letters = readdirSync(join(stateDir, 'dead-letter'));
    expect(letters).toHaveLength(1);
    const letter = JSON.parse(readFileSync(join(stateDir, 'dead-letter', letters[0]!), 'utf8'));
    expect(letter.record.dynamodb.NewImage.eventId.S).toBe(poisonId);
    expect(runner.stats().deadLettered).toBe(1);
    await runner.stop();
  });

  it('resumes after a restart from its checkpoint: nothing lost, nothing delivered twice', async () => {
    const before = seen.length;
    const streamId = `story/r-${randomUUID().slice(0, 8)}`;
    const events = [storyOpened('s'), actorIdentified('d')];
    await store.append({ streamId, expectedVersion: 0, events, metadata, recordedAt: new Date().toISOString() });
    const runner = await start(handler, stateDir);
    await runner.drained();
    await runner.drained();
    expect(seen.slice(before)).toEqual(events.map((e) => e.id));
    expect(new Set(seen).size).toBe(seen.length);
    await runner.stop();
  });

  it('bisects a batch whose handler throws until the bad record is alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-'));
    const streamId = `story/b-${randomUUID().slice(0, 8)}`;
    const events = [storyOpened('t'), ...Array.from({ length: 7 }, (_, i) => actorIdentified(`x${i}`))];
    const bad = events[5]!.id;
    const sizes: number[] = [];
    const delivered: string[] = [];
    const throwing: StreamHandler = ({ Records }) => {
      const mine = Records.filter((r) => r.dynamodb?.NewImage?.streamId?.S === streamId);
      if (mine.length) sizes.push(mine.length);
      if (mine.some((r) => eventIdOf(r) === bad)) return Promise.reject(new Error('poison'));
      delivered.push(...mine.map((r) => eventIdOf(r) ?? ''));
      return Promise.resolve();
    };
    await store.append({ streamId, expectedVersion: 0, events, metadata, recordedAt: new Date().toISOString() });
    const runner = await start(throwing, dir, { maxRetries: 1 });
    await runner.drained();
    await runner.drained();
    expect(delivered).toEqual(events.filter((e) => e.id !== bad).map((e) => e.id));
    expect(Math.min(...sizes)).toBe(1);
    expect(readdirSync(join(dir, 'dead-letter'))).toHaveLength(1);
    await runner.stop();
  });
});

describe('local stream runner, as the mapping filters and spreads records', () => {
  it('passes only inserted events to the handler, and tells loudly of an event overwritten in the table', async () => {
    const streamId = `story/o-${randomUUID().slice(0, 8)}`;
    const received: DynamoDBRecord[] = [];
    const runner = await start(({ Records }) => Promise.resolve(void received.push(...Records)), mkdtempSync(join(tmpdir(), 'runner-')), { alert: (line) => console.error(line) });
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await store.append({ streamId, expectedVersion: 0, events: [storyOpened('o')], metadata, recordedAt: new Date().toISOString() });
      await runner.drained();
      const [original] = received.filter((r) => r.dynamodb?.Keys?.streamId?.S === streamId);
      expect(original?.eventName).toBe('INSERT');
      expect(received.every((r) => r.eventName === 'INSERT' && isEvent(r) && r.dynamodb?.Keys?.version?.N !== '0')).toBe(true);
      expect(errors).not.toHaveBeenCalled();

      const image = original!.dynamodb!.NewImage!;
      await tables.client.send(new PutItemCommand({ TableName: tables.names.events, Item: { ...image, type: { S: 'Overwritten' } } }));
      await runner.drained();
      const lines = errors.mock.calls.map((call) => String(call[0]));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('MODIFY');
      expect(lines[0]).toContain(tables.names.events);
      expect(lines[0]).toContain(`"streamId":{"S":"${streamId}"}`);
      expect(lines[0]).toContain('"version":{"N":"1"}');
      expect(received.filter((r) => r.dynamodb?.Keys?.streamId?.S === streamId)).toHaveLength(1);
      expect(runner.stats().filtered).toBeGreaterThan(0);
    } finally {
      errors.mockRestore();
      await runner.stop();
    }
  });

  it('with a parallelization factor, runs batches of different streams at once and keeps each stream in order', async () => {
    const streams = Array.from({ length: 8 }, (_, i) => `story/p${i}-${randomUUID().slice(0, 6)}`);
    const order = new Map<string, number[]>();
    let inFlight = 0;
    let mostInFlight = 0;
    const runner = await start(
      async ({ Records }) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 30));
        for (const r of Records) {
          const id = r.dynamodb?.Keys?.streamId?.S ?? '';
          order.set(id, [...(order.get(id) ?? []), Number(r.dynamodb?.Keys?.version?.N)]);
        }
        inFlight--;
      },
      mkdtempSync(join(tmpdir(), 'runner-')),
      { parallelizationFactor: 4, batchSize: 2 },
    );
    try {
      for (const [i, streamId] of streams.entries()) await store.append({ streamId, expectedVersion: 0, events: [storyOpened(`p${i}`)], metadata, recordedAt: new Date().toISOString() });
      for (const [i, streamId] of streams.entries()) {
        await store.append({ streamId, expectedVersion: 1, events: [actorIdentified(`q${i}`), actorIdentified(`r${i}`)], metadata, recordedAt: new Date().toISOString() });
      }
      await runner.drained();
      for (const streamId of streams) expect(order.get(streamId)).toEqual([1, 2, 3]);
      expect(mostInFlight).toBeGreaterThan(1);
    } finally {
      await runner.stop();
    }
  });

  it('with a parallelization factor, delivers a story while another lane is still busy with its batch', async () => {
    const slow = `story/slow-${randomUUID().slice(0, 6)}`;
    // a story in another lane than the slow one (lanes are by a hash of the stream id)
    const fast = Array.from({ length: 40 }, (_, i) => `story/fast${i}-${randomUUID().slice(0, 6)}`).find((id) => lanesOf([keyed(slow), keyed(id)], 4, 'streamId').length === 2) ?? '';
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const delivered: string[] = [];
    let holding = false;
    const runner = await start(
      async ({ Records }) => {
        // the suite's table holds the other tests' records too: only these two stories count
        const ids = Records.filter(isEvent).map((r) => r.dynamodb?.Keys?.streamId?.S ?? '').filter((id) => id === slow || id === fast);
        if (ids.includes(slow)) {
          holding = true;
          await held;
        }
        delivered.push(...ids);
      },
      mkdtempSync(join(tmpdir(), 'runner-')),
      { parallelizationFactor: 4 },
    );
    try {
      const until = async (done: () => boolean) => {
        for (const deadline = Date.now() + 10_000; !done() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
      };
      await store.append({ streamId: slow, expectedVersion: 0, events: [storyOpened('slow')], metadata, recordedAt: new Date().toISOString() });
      await until(() => holding);
      // written while the slow story's batch is in flight: read by the next poll and delivered in its own lane
      await store.append({ streamId: fast, expectedVersion: 0, events: [storyOpened('fast')], metadata, recordedAt: new Date().toISOString() });
      await until(() => delivered.includes(fast));
      expect(delivered).toEqual([fast]);
      release();
      await runner.drained();
      expect(delivered).toContain(slow);
    } finally {
      release();
      await runner.stop();
    }
  });

  it('is drained at once on a table whose stream has no shard yet', async () => {
    const empty = await freshTables(testEndpoint(), { streams: true });
    const runner = await startStreamRunner({
      dynamo: empty.client, endpoint: testEndpoint(), tableName: empty.names.events, handler: () => Promise.resolve(), stateDir: mkdtempSync(join(tmpdir(), 'runner-')), pollIntervalMs: 50,
    });
    try {
      await runner.drained();
      expect(runner.stats().delivered).toBe(0);
    } finally {
      await runner.stop();
      await empty.drop();
    }
  });
});
