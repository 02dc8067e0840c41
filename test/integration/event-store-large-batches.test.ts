import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { createEventStore, MAX_EVENTS_PER_APPEND, SINGLE_TRANSACTION_EVENTS, type EventStore, type NewEvent } from '../../functions/adapters/event-store';
import { ConflictError, DuplicateError, ValidationError } from '../../events/errors';
import { freshStores, testEndpoint } from '../support/dynamodb';
import { actorIdentified, metadata, storyOpened } from '../support/story-events';
import { scanItems } from '../support/suite-tables';

/**
 * Batches of 51..100 events: too many for one transaction with an id record per event, so their ids
 * are claimed in a transaction before the events are written in another. Readers must still see all
 * of a batch or none of it, an id must still exist once, and every failure between the two
 * transactions must leave a state that the same request, sent again, completes.
 */

let tables: Awaited<ReturnType<typeof freshStores>>['tables'];
let store: EventStore;
const recordedAt = '2026-11-28T00:00:00.000Z';

beforeAll(async () => ({ tables, events: store } = await freshStores()));
afterAll(() => tables.drop());

const newStream = () => `story/big-${randomUUID().slice(0, 8)}`;
const batchOf = (size: number, label: string): NewEvent[] => Array.from({ length: size }, (_, i) => actorIdentified(`${label}-${i}`));

/** A store whose client fails the `nth` TransactWriteItems (1-based) after or before sending it, once. */
const storeFailingTransaction = (nth: number, when: 'before-sending' | 'after-sending'): { store: EventStore; client: DynamoDBClient } => {
  const client = createDynamoClient({ endpoint: testEndpoint() });
  let seen = 0;
  client.middlewareStack.add(
    ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      if (context.commandName !== 'TransactWriteItemsCommand' || ++seen !== nth) return next(args);
      if (when === 'after-sending') await next(args);
      throw Object.assign(new Error(`the function died ${when.replace('-', ' ')} transaction ${nth}`), { name: 'SimulatedCrash' });
    }) as never,
    { step: 'finalizeRequest', name: 'failNthTransaction', priority: 'low' },
  );
  return { store: createEventStore(client, tables.names.events), client };
};

describe(`batches of ${SINGLE_TRANSACTION_EVENTS + 1} to ${MAX_EVENTS_PER_APPEND} events`, () => {
  it(`stores ${MAX_EVENTS_PER_APPEND} events at versions 1..${MAX_EVENTS_PER_APPEND}, and refuses ${MAX_EVENTS_PER_APPEND + 1} without writing anything`, async () => {
    const streamId = newStream();
    const tooMany = [storyOpened('big'), ...batchOf(MAX_EVENTS_PER_APPEND, 'm')];
    await expect(store.append({ streamId, expectedVersion: 0, events: tooMany, metadata, recordedAt })).rejects.toBeInstanceOf(ValidationError);
    expect(await store.readStream(streamId)).toHaveLength(0);

    const events = tooMany.slice(0, MAX_EVENTS_PER_APPEND);
    const result = await store.append({ streamId, expectedVersion: 0, events, metadata, recordedAt });
    expect(result).toMatchObject({ streamId, version: MAX_EVENTS_PER_APPEND, repeated: false });
    expect(result.events.map((e) => e.id)).toEqual(events.map((e) => e.id));
    const stored = await store.readStream(streamId);
    expect(stored.map((e) => [e.id, e.version])).toEqual(events.map((e, i) => [e.id, i + 1]));
    const versions = await store.versionsOf(events.map((e) => e.id));
    expect(events.map((e) => versions.get(e.id))).toEqual(events.map((_, i) => i + 1));
  });

  it('answers every re-send with the original versions and stores the batch once', async () => {
    const streamId = newStream();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('resend')], metadata, recordedAt });
    const events = batchOf(80, 'r');
    const first = await store.append({ streamId, events, metadata, recordedAt });
    await store.append({ streamId, events: [actorIdentified('later')], metadata, recordedAt });
    for (let i = 0; i < 5; i++) {
      expect(await store.append({ streamId, events, metadata, recordedAt: '2026-11-29T00:00:00.000Z' })).toEqual({ ...first, repeated: true });
      expect(await store.findRepeat({ streamId, events })).toEqual({ ...first, repeated: true });
    }
    expect(await store.readStream(streamId)).toHaveLength(82);
  });

  it('sent 8 times at once at the head: every send answers the same versions, and the batch is stored once', async () => {
    const streamId = newStream();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('twins')], metadata, recordedAt });
    const events = batchOf(75, 't');
    const results = await Promise.all(Array.from({ length: 8 }, () => store.append({ streamId, events, metadata, recordedAt })));
    const versions = results.map((r) => r.events.map((e) => e.version));
    expect(new Set(versions.map((v) => v.join()))).toEqual(new Set([Array.from({ length: 75 }, (_, i) => i + 2).join()]));
    expect(results.filter((r) => !r.repeated).length).toBeLessThanOrEqual(1);
    expect(await store.readStream(streamId)).toHaveLength(76);
  });

  it('6 different batches at once at the head: each is stored whole and in order, or refused whole; versions stay contiguous', async () => {
    const streamId = newStream();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('racers')], metadata, recordedAt });
    const batches = Array.from({ length: 6 }, (_, b) => batchOf(60, `b${b}`));
    const outcomes = await Promise.allSettled(batches.map((events) => store.append({ streamId, events, metadata, recordedAt })));
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConflictError);
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThan(0);

    const stored = await store.readStream(streamId);
    expect(stored.map((e) => e.version)).toEqual(stored.map((_, i) => i + 1));
    batches.forEach((events, b) => {
      const at = stored.findIndex((e) => e.id === events[0]?.id);
      if (outcomes[b]?.status === 'fulfilled') expect(stored.slice(at, at + 60).map((e) => e.id)).toEqual(events.map((e) => e.id));
      else expect(stored.filter((e) => events.some((x) => x.id === e.id))).toHaveLength(0);
    });
  });

  it('a batch one of whose ids is taken by other content is refused whole, and claims none of its other ids', async () => {
    const taken = actorIdentified('taken');
    await store.append({ streamId: newStream(), expectedVersion: 0, events: [storyOpened('owner'), taken], metadata, recordedAt });
    const streamId = newStream();
    const events = [...batchOf(70, 'c'), { ...actorIdentified('other'), id: taken.id }];
    await expect(store.append({ streamId, expectedVersion: 0, events, metadata, recordedAt })).rejects.toBeInstanceOf(DuplicateError);
    expect(await store.readStream(streamId)).toHaveLength(0);
    // the other ids are free: the same events without the clash are stored
    const rest = events.slice(0, 70);
    expect((await store.append({ streamId, expectedVersion: 0, events: rest, metadata, recordedAt })).version).toBe(70);
  });

  it('a stale expected version is a conflict with the current version, and the same batch at the right version is then stored', async () => {
    const streamId = newStream();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('stale'), actorIdentified('s0')], metadata, recordedAt });
    const events = batchOf(60, 's');
    const stale = store.append({ streamId, expectedVersion: 1, events, metadata, recordedAt });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toMatchObject({ currentVersion: 2 });
    expect(await store.readStream(streamId)).toHaveLength(2);
    expect(await store.findRepeat({ streamId, events })).toBeUndefined();
    expect((await store.append({ streamId, expectedVersion: 2, events, metadata, recordedAt })).version).toBe(62);
  });

  it('a crash between the claims and the events leaves nothing readable; the same batch re-sent is stored; other content under its ids is refused', async () => {
    const streamId = newStream();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('crash1')], metadata, recordedAt });
    const events = batchOf(90, 'x');
    const crashing = storeFailingTransaction(2, 'before-sending');
    await expect(crashing.store.append({ streamId, events, metadata, recordedAt })).rejects.toMatchObject({ name: 'SimulatedCrash' });
    crashing.client.destroy();
    expect(await store.readStream(streamId)).toHaveLength(1);
    expect(await store.versionsOf(events.map((e) => e.id))).toEqual(new Map());

    // an id claimed for one event cannot carry another
    const reuse = store.append({ streamId: newStream(), expectedVersion: 0, events: [storyOpened('thief'), { ...actorIdentified('thief'), id: events[5]!.id }], metadata, recordedAt });
    await expect(reuse).rejects.toBeInstanceOf(DuplicateError);

    await store.append({ streamId, events: [actorIdentified('meanwhile')], metadata, recordedAt });
    const resent = await store.append({ streamId, events, metadata, recordedAt });
    expect(resent).toMatchObject({ version: 92, repeated: false });
    expect((await store.readStream(streamId)).map((e) => e.id)).toEqual([expect.any(String), expect.any(String), ...events.map((e) => e.id)]);
  });

  it('a crash after the events, before their receipts: the re-send answers the stored versions, found in the stream', async () => {
    const streamId = newStream();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('crash2')], metadata, recordedAt });
    const events = batchOf(55, 'y');
    const crashing = storeFailingTransaction(3, 'before-sending');
    const first = await crashing.store.append({ streamId, events, metadata, recordedAt }); // the receipts' failure changes no answer
    crashing.client.destroy();
    expect(first).toMatchObject({ version: 56, repeated: false });
    expect(await receiptsOf(events)).toBe(0);

    expect(await store.append({ streamId, events, metadata, recordedAt })).toEqual({ ...first, repeated: true });
    expect(await receiptsOf(events)).toBe(55);
    const versions = await store.versionsOf(events.map((e) => e.id));
    expect(events.map((e) => versions.get(e.id))).toEqual(events.map((_, i) => i + 2));
    expect(await store.readStream(streamId)).toHaveLength(56);
  });

  it('a crash after DynamoDB stored the events, before the reply: the re-send answers the same versions', async () => {
    const streamId = newStream();
    await store.append({ streamId, expectedVersion: 0, events: [storyOpened('crash3')], metadata, recordedAt });
    const events = batchOf(65, 'z');
    const crashing = storeFailingTransaction(2, 'after-sending');
    await expect(crashing.store.append({ streamId, expectedVersion: 1, events, metadata, recordedAt })).rejects.toMatchObject({ name: 'SimulatedCrash' });
    crashing.client.destroy();
    const again = await store.append({ streamId, expectedVersion: 1, events, metadata, recordedAt });
    expect(again).toMatchObject({ version: 66, repeated: true });
    expect(again.events.map((e) => e.version)).toEqual(events.map((_, i) => i + 2));
    expect(await store.readStream(streamId)).toHaveLength(66);
  });
});

/** How many of these events' ids have a receipt (the id record's sort key 1). */
const receiptsOf = async (events: NewEvent[]): Promise<number> => {
  const ids = new Set(events.map((e) => `$event/${e.id}`));
  return (await scanItems(tables, tables.names.events)).filter((item) => ids.has(item.streamId?.S ?? '') && item.version?.N === '1').length;
};
