import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createEventStore, type EventStore } from '../../functions/adapters/event-store';
import { startStreamRunner, type StreamHandler } from '../../infra/local/stream-runner';
import { freshTables, testEndpoint } from '../support/dynamodb';
import { actorIdentified, metadata, storyOpened } from '../support/story-events';

let tables: Awaited<ReturnType<typeof freshTables>>;
let store: EventStore;
beforeAll(async () => {
  tables = await freshTables();
  store = createEventStore(tables.client, tables.names.events);
});
afterAll(() => tables.drop());

const eventIdOf = (r: DynamoDBRecord) => r.dynamodb?.NewImage?.eventId?.S;
const isEvent = (r: DynamoDBRecord) => !(r.dynamodb?.Keys?.streamId?.S ?? '$').startsWith('$');

const start = (handler: StreamHandler, stateDir: string, extra: { maxRetries?: number; batchSize?: number } = {}) =>
  startStreamRunner({ dynamo: tables.client, endpoint: testEndpoint(), tableName: tables.names.events, handler, stateDir, pollIntervalMs: 50, ...extra });

describe('local stream runner', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'runner-'));
  const seen: string[] = [];
  let poisonId = '';
  let poisonCalls = 0;

  const handler: StreamHandler = async (event: DynamoDBStreamEvent) => {
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
    return { batchItemFailures: failures };
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
    const throwing: StreamHandler = async ({ Records }) => {
      const mine = Records.filter((r) => r.dynamodb?.NewImage?.streamId?.S === streamId);
      if (mine.length) sizes.push(mine.length);
      if (mine.some((r) => eventIdOf(r) === bad)) throw new Error('poison');
      delivered.push(...mine.map((r) => eventIdOf(r) ?? ''));
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
