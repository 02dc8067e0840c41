import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { createEventStore, MAX_EVENTS_PER_APPEND, type EventStore } from '../../functions/adapters/event-store';
import { ConflictError, DuplicateError, ValidationError } from '../../events/errors';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { createRequestCounter } from '../bench/request-counter';
import { freshTables, testEndpoint } from '../support/dynamodb';
import { addClientMiddleware } from '../support/sdk-middleware';
import { actorIdentified, metadata, storyOpened } from '../support/story-events';

let tables: Awaited<ReturnType<typeof freshTables>>;
let store: EventStore;
const recordedAt = '2026-11-28T00:00:00.000Z';

beforeAll(async () => {
  tables = await freshTables();
  store = createEventStore(tables.client, tables.names.events);
});
afterAll(() => tables.drop());

const newStream = () => `story/s-${randomUUID().slice(0, 8)}`;

describe('event store on DynamoDB Local', () => {
  it('appends versions 1..n and reads them back from any version', async () => {
    const streamId = newStream();
    const first = await store.append({ streamId, expectedVersion: 0, events: [storyOpened('a'), actorIdentified('x')], metadata, recordedAt });
    expect(first).toMatchObject({ version: 2, repeated: false });
    await store.append({ streamId, expectedVersion: 2, events: [actorIdentified('y')], metadata, recordedAt });
    const all = await store.readStream(streamId);
    expect(all.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(all[0]).toMatchObject({ type: 'StoryOpened', streamId, recordedAt, metadata, schemaVersion: 1 });
    expect((await store.readStream(streamId, { after: 1 })).map((e) => e.version)).toEqual([2, 3]);
    expect(await store.headVersion(streamId)).toBe(3);
  });

  it('refuses a stale expected version as a conflict in one request: the lost transaction, with no read of the new head', async () => {
    const streamId = newStream();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('b')], metadata, recordedAt });
    const counter = createRequestCounter();
    const uncount = addClientMiddleware(counter.hook);
    const client = createDynamoClient({ endpoint: testEndpoint() });
    try {
      const stale = counter.run('stale', () => createEventStore(client, tables.names.events).append({ streamId, expectedVersion: 0, events: [actorIdentified('z')], metadata, recordedAt }));
      await expect(stale).rejects.toBeInstanceOf(ConflictError);
      await expect(stale).rejects.toMatchObject({ currentVersion: undefined });
      expect(counter.tally('stale').requests).toEqual({ TransactWriteItemsCommand: 1 });
    } finally {
      uncount();
      client.destroy();
    }
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('gives exactly one winner among 50 concurrent appends at the same expected version, 20 times over', async () => {
    const streamId = newStream();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('c')], metadata, recordedAt });
    for (let round = 0; round < 20; round++) {
      const expectedVersion = round + 1;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => store.append({ streamId, expectedVersion, events: [actorIdentified(`r${round}-${i}`)], metadata, recordedAt })),
      );
      const winners = outcomes.filter((o) => o.status === 'fulfilled');
      const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers.every((o) => o.reason instanceof ConflictError)).toBe(true);
    }
    const versions = (await store.readStream(streamId)).map((e) => e.version);
    expect(versions).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it('stores a re-sent batch once and answers every re-send with the original versions', async () => {
    const streamId = newStream();
    const batch = [storyOpened('d'), actorIdentified('p'), actorIdentified('q')];
    const first = await store.append({ streamId, expectedVersion: 0, events: batch, metadata, recordedAt });
    for (let i = 0; i < 10; i++) {
      const again = await store.append({ streamId, expectedVersion: 0, events: batch, metadata, recordedAt: '2026-11-29T00:00:00.000Z' });
      expect(again).toEqual({ ...first, repeated: true });
    }
    expect(await store.readStream(streamId)).toHaveLength(3);
  });

  it('refuses an event id already used with other content, in any stream, and writes nothing', async () => {
    const streamId = newStream();
    const opened = storyOpened('e');
    await store.append({ streamId, expectedVersion: 0, events: [opened], metadata, recordedAt });
    const other = newStream();
    const reuse = store.append({ streamId: other, expectedVersion: 0, events: [storyOpened('other', randomUUID()), { ...actorIdentified('k'), id: opened.id }], metadata, recordedAt });
    await expect(reuse).rejects.toBeInstanceOf(DuplicateError);
    expect(await store.readStream(other)).toHaveLength(0);
  });

  it('is atomic: a batch whose last event clashes writes none of its events', async () => {
    const streamId = newStream();
    const taken = storyOpened('f');
    await store.append({ streamId: newStream(), expectedVersion: 0, events: [taken], metadata, recordedAt });
    // the clash is only discovered inside the transaction (the id record is written between check and commit)
    const events = [storyOpened('g'), actorIdentified('a1'), actorIdentified('a2')];
    const racing = store.append({ streamId, expectedVersion: 0, events, metadata, recordedAt });
    const clash = store.append({ streamId: newStream(), expectedVersion: 0, events: [{ ...actorIdentified('zz'), id: events[2]!.id }], metadata, recordedAt });
    const results = await Promise.allSettled([racing, clash]);
    const stored = await store.readStream(streamId);
    if (results[0].status === 'fulfilled') expect(stored).toHaveLength(3);
    else expect(stored).toHaveLength(0);
  });

  it(`refuses a batch over ${MAX_EVENTS_PER_APPEND} events and accepts exactly ${MAX_EVENTS_PER_APPEND}`, async () => {
    const streamId = newStream();
    const many = [storyOpened('h'), ...Array.from({ length: MAX_EVENTS_PER_APPEND }, (_, i) => actorIdentified(`m${i}`))];
    await expect(store.append({ streamId, expectedVersion: 0, events: many, metadata, recordedAt })).rejects.toBeInstanceOf(ValidationError);
    expect(await store.readStream(streamId)).toHaveLength(0);
    const result = await store.append({ streamId, expectedVersion: 0, events: many.slice(0, MAX_EVENTS_PER_APPEND), metadata, recordedAt });
    expect(result.version).toBe(MAX_EVENTS_PER_APPEND);
  });

  it('lists streams of a category with their versions', async () => {
    const streamId = newStream();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('i'), actorIdentified('w')], metadata, recordedAt });
    const streams = await store.listStreams('story');
    expect(streams).toContainEqual({ streamId, version: 2 });
  });

  it('decodes an event stored in an older schema version into today\'s shape', async () => {
    const streamId = newStream();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('j')], metadata, recordedAt });
    const v1 = {
      pledgeId: 'steel', from: 'russia', to: 'pakistan', purpose: 'Steel Mills', amountUsd: { min: 300_000_000, max: 500_000_000 },
      headline: 'Pledge', summary: 'Pledge.', occurred: { start: '2012-10', precision: 'month' }, actors: [], places: [], topics: ['steel'],
      sources: [{ outlet: 'Dawn', quote: 'q' }], confidence: 'reported',
    };
    await tables.client.send(new PutItemCommand({
      TableName: tables.names.events,
      Item: {
        streamId: { S: streamId }, version: { N: '2' }, eventId: { S: randomUUID() }, type: { S: 'AssistancePledged' }, schemaVersion: { N: '1' },
        data: { S: JSON.stringify(v1) }, recordedAt: { S: recordedAt }, metadata: { S: JSON.stringify(metadata) },
      },
    }));
    const [, pledge] = await store.readStream(streamId);
    expect(pledge).toMatchObject({ type: 'AssistancePledged', schemaVersion: 1, data: { amount: { currency: 'USD', min: 300_000_000, max: 500_000_000 } } });
    expect(pledge?.data).not.toHaveProperty('amountUsd');
  });

  it('records an idempotency key with the events of its request, scoped to the stream, and answers it with their result', async () => {
    const streamId = `story/keyed-${randomUUID().slice(0, 8)}`;
    const key = { key: randomUUID(), requestHash: 'h1' };
    expect(await store.answerIdempotent(streamId, key)).toBeUndefined();
    const appended = await store.append({ streamId, expectedVersion: 0, events: [storyOpened('k')], metadata, recordedAt, idempotency: key });
    expect(await store.answerIdempotent(streamId, key)).toEqual({ ...appended, repeated: true });
    await expect(store.answerIdempotent(streamId, { ...key, requestHash: 'h2' })).rejects.toBeInstanceOf(DuplicateError);
    // another story may use the same key
    expect(await store.answerIdempotent(`story/other-${randomUUID().slice(0, 8)}`, key)).toBeUndefined();
  });

  it('refuses a key a twin request recorded meanwhile with another body, and writes nothing', async () => {
    const streamId = `story/twin-${randomUUID().slice(0, 8)}`;
    const key = randomUUID();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('k')], metadata, recordedAt, idempotency: { key, requestHash: 'h1' } });
    await expect(store.append({ streamId, expectedVersion: 1, events: [actorIdentified('b1')], metadata, recordedAt, idempotency: { key, requestHash: 'h2' } })).rejects.toBeInstanceOf(DuplicateError);
    expect(await store.headVersion(streamId)).toBe(1);
  });
});
