import { randomUUID } from 'node:crypto';
import { createEventStore } from '../../functions/adapters/event-store';
import { createStoryService } from '../../functions/story-service';
import { createStoryStates } from '../../functions/story-states';
import { createSnapshotStore, type SnapshotStore } from '../../functions/adapters/snapshot-store';
import { RuleViolationError, ConflictError, DuplicateError } from '../../events/errors';
import { HEAD_EVENTS, SEGMENT_EVENTS, snapshotTag } from '../../events/story/snapshot';
import { emptyFilter } from '../../events/story/event-filter';
import { storyStreamId } from '../../events/streams';
import { fold, initialState, type StoryEvent } from '../../events/story/decider';
import { createRequestCounter, difference } from '../bench/request-counter';
import { countedTables } from '../support/dynamodb';

/** The story service's append path: one transaction when the cached state is current, a read only when it is not, snapshots for cold starts. */

const counter = createRequestCounter();
const suite = countedTables(counter);

const store = () => createEventStore(suite.client, suite.tables.names.events);
const open = (storyId: string) => ({ storyId, events: [{ type: 'StoryOpened', data: { storyId, title: 'T', summary: 'S', topics: ['t'] } }], subject: 'test', correlationId: 'c' });
const comment = (storyId: string, n: number, actors: string[] = []) => ({
  storyId,
  events: [{ type: 'CommentaryPublished', data: { outlet: 'o', quote: `q${n}`, headline: `h${n}`, summary: `s${n}`, occurred: { start: '2026-11', precision: 'month' }, actors, places: [], topics: [], sources: [{ outlet: 'o', quote: 'q' }], confidence: 'reported' } }],
  subject: 'test',
  correlationId: 'c',
});
const actor = (storyId: string, actorId: string) => ({ storyId, events: [{ type: 'ActorIdentified', data: { actorId, name: actorId, aliases: [], kind: 'person' } }], subject: 'test', correlationId: 'c' });
/** Opens a story and identifies the outlet `o` that comments quote (versions 1 and 2). */
const openStory = async (service: ReturnType<typeof createStoryService>, storyId: string) => {
  await service.append(open(storyId));
  await service.append(actor(storyId, 'o'));
};

/** A story opened through a service that writes snapshots (off the append path: `states.snapshotsWritten()` waits for them). */
const openWithSnapshots = async (storyId: string) => {
  const snapshots = createSnapshotStore(suite.client, suite.tables.names.snapshots);
  const states = createStoryStates(store(), snapshots);
  const writer = createStoryService(store(), undefined, snapshots, states);
  await openStory(writer, storyId);
  return { snapshots, states, writer };
};

describe('appending through the story service', () => {
  it('when the cached state is current, an append is one TransactWriteItems and nothing else', async () => {
    const storyId = `one-${randomUUID().slice(0, 8)}`;
    const service = createStoryService(store());
    await openStory(service, storyId);
    const before = counter.tally('append');
    await counter.run('append', () => service.append(comment(storyId, 1)));
    expect(difference(counter.tally('append'), before).requests).toEqual({ TransactWriteItemsCommand: 1 });
  });

  it('appends to one story sent at once to one instance land one after another: one TransactWriteItems each, no version lost to a race', async () => {
    const storyId = `crowd-${randomUUID().slice(0, 8)}`;
    const service = createStoryService(store());
    await openStory(service, storyId);
    const before = counter.tally('crowd');
    const results = await counter.run('crowd', () => Promise.all(Array.from({ length: 8 }, (_, i) => service.append(comment(storyId, i)))));
    expect(results.map((r) => r.version)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(difference(counter.tally('crowd'), before).requests).toEqual({ TransactWriteItemsCommand: 8 });
  });

  it('appends to one story sent at once to several instances race in DynamoDB: each lands at the head, versions without gaps', async () => {
    const storyId = `race-${randomUUID().slice(0, 8)}`;
    const instances = Array.from({ length: 4 }, () => createStoryService(store()));
    await openStory(instances[0]!, storyId);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => instances[i % instances.length]!.append(comment(storyId, i))));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
    expect((await store().readStream(storyStreamId(storyId))).map((e) => e.version)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
  });

  it('when another instance appended since, the cached state is read up to the head and the append lands after it', async () => {
    const storyId = `two-${randomUUID().slice(0, 8)}`;
    const a = createStoryService(store());
    const b = createStoryService(store());
    await openStory(a, storyId);
    await b.append(comment(storyId, 1));
    // a's cache is at version 2: its append finds version 3 taken, reads the events after its cache, and lands at 4 (no read of the head alone)
    const before = counter.tally('lost');
    expect(await counter.run('lost', () => a.append(comment(storyId, 2)))).toMatchObject({ version: 4, repeated: false });
    expect(difference(counter.tally('lost'), before).requests).toEqual({ TransactWriteItemsCommand: 2, QueryCommand: 1 });
    // b's cache is at version 3 and the caller expects 4: b reads up to the head rather than refusing
    expect(await b.append({ ...comment(storyId, 3), expectedVersion: 4 })).toMatchObject({ version: 5 });
    // an actor identified through b is known to a when a decides on a cached state that lacks it
    await b.append(actor(storyId, 'kayani'));
    expect(await a.append(comment(storyId, 4, ['kayani']))).toMatchObject({ version: 7 });
    expect((await store().readStream(storyStreamId(storyId))).map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a version taken by another instance since the cache is refused with 409 naming the head, read once', async () => {
    const storyId = `stale-${randomUUID().slice(0, 8)}`;
    const a = createStoryService(store());
    await openStory(a, storyId);
    await createStoryService(store()).append(comment(storyId, 1));
    // a's cache is at version 2, as the caller expects: the transaction finds version 3 taken; the events after 2 are read (no read of the head alone), the ids looked up, and the 409 says 3
    const before = counter.tally('stale');
    const stale = counter.run('stale', () => a.append({ ...comment(storyId, 2), expectedVersion: 2 }));
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toMatchObject({ currentVersion: 3 });
    expect(difference(counter.tally('stale'), before).requests).toEqual({ TransactWriteItemsCommand: 1, QueryCommand: 1, BatchGetItemCommand: 1 });
    // the cache is at the head now: the caller's next try at 3 is one transaction
    const next = counter.tally('next');
    expect(await counter.run('next', () => a.append({ ...comment(storyId, 2), expectedVersion: 3 }))).toMatchObject({ version: 4, repeated: false });
    expect(difference(counter.tally('next'), next).requests).toEqual({ TransactWriteItemsCommand: 1 });
  });

  it('a re-sent event is answered as the first time, from any instance', async () => {
    const storyId = `again-${randomUUID().slice(0, 8)}`;
    const a = createStoryService(store());
    await openStory(a, storyId);
    const id = randomUUID();
    const event = { ...comment(storyId, 1), events: [{ ...comment(storyId, 1).events[0]!, id }] };
    const first = await a.append(event);
    expect(await a.append(event)).toMatchObject({ version: first.version, repeated: true });
    expect(await createStoryService(store()).append(event)).toMatchObject({ version: first.version, repeated: true });
  });

  it('a cold instance starts from the latest snapshot and the events after it, written off the append path', async () => {
    const storyId = `long-${randomUUID().slice(0, 8)}`;
    const { snapshots, states, writer } = await openWithSnapshots(storyId);
    for (let n = 1; n < SEGMENT_EVENTS + 5; n++) await writer.append(comment(storyId, n));
    await states.snapshotsWritten();
    const cold = createStoryService(store(), undefined, snapshots);
    const before = counter.tally('cold');
    const loaded = await counter.run('cold', () => cold.state(storyId));
    const used = difference(counter.tally('cold'), before);
    // one query for the snapshot, one for the events after it
    expect(used.requests).toEqual({ QueryCommand: 2 });
    const all = await store().readStream(storyStreamId(storyId));
    expect(loaded).toMatchObject({ version: SEGMENT_EVENTS + 6, state: fold(initialState, all as (typeof all[number] & StoryEvent)[]) });
  });

  it('a cold instance decides on the snapshot head alone, and reads the segments only for an older event it needs', async () => {
    const storyId = `head-${randomUUID().slice(0, 8)}`;
    const { snapshots, states, writer } = await openWithSnapshots(storyId);
    const firstId = randomUUID();
    const first = { ...comment(storyId, 1), events: [{ ...comment(storyId, 1).events[0]!, id: firstId }] };
    await writer.append(first);
    for (let n = 2; n < SEGMENT_EVENTS + 5; n++) await writer.append(comment(storyId, n));
    await states.snapshotsWritten();
    const appendOn = async (label: string, request: Parameters<typeof writer.append>[0]) => {
      const before = counter.tally(label);
      const result = await counter.run(label, () => createStoryService(store(), undefined, snapshots).append(request));
      return { result, requests: difference(counter.tally(label), before).requests };
    };
    // a new event: the head and its filter (one Query), the events after it (one Query), the transaction
    expect(await appendOn('cold-new', comment(storyId, 1000))).toEqual({
      result: expect.objectContaining({ version: SEGMENT_EVENTS + 7, repeated: false }),
      requests: { QueryCommand: 2, TransactWriteItemsCommand: 1 },
    });
    // the first comment sent again: its id may be an older event's, so the state is read whole, and the answer is the first one's
    const again = await appendOn('cold-again', first);
    expect(again.result).toMatchObject({ version: 3, repeated: true });
    expect(again.requests.QueryCommand).toBeGreaterThanOrEqual(2);
    // the same content under a new id, and a correction of an older event: both decided on the whole state
    expect((await appendOn('cold-same', comment(storyId, 2))).result).toMatchObject({ repeated: true });
    const correction = { storyId, events: [{ type: 'DevelopmentCorrected', data: { eventId: firstId, changes: { headline: 'h1, corrected' }, note: 'the headline was wrong' } }], subject: 'test', correlationId: 'c' };
    expect((await appendOn('cold-correct', correction)).result).toMatchObject({ version: SEGMENT_EVENTS + 8, repeated: false });
    const cold = createStoryStates(store(), snapshots);
    expect((await cold.whole(storyStreamId(storyId))).state).toEqual(fold(initialState, (await store().readStream(storyStreamId(storyId))) as unknown as StoryEvent[]));
  });

  it('takes a head every HEAD_EVENTS events: a cold instance reads fewer than that many events after it, however far past the last segment', async () => {
    const storyId = `heads-${randomUUID().slice(0, 8)}`;
    const { snapshots, states, writer } = await openWithSnapshots(storyId);
    for (let n = 1; n <= SEGMENT_EVENTS + 3 * HEAD_EVENTS + 7; n++) await writer.append(comment(storyId, n));
    await states.snapshotsWritten();
    const streamId = storyStreamId(storyId);
    const all = await store().readStream(streamId);
    const stored = await snapshots.readHead(streamId, snapshotTag());
    expect(stored?.head).toMatchObject({ segments: 1 });
    expect(all.length - stored!.head.version).toBeLessThan(HEAD_EVENTS);
    const loaded = await createStoryStates(store(), snapshots).known(streamId);
    expect(loaded).toMatchObject({ version: all.length, state: { older: { count: SEGMENT_EVENTS } } });
    const whole = fold(initialState, all);
    expect(loaded.state).toMatchObject({ actors: (whole as { actors: object }).actors });
  });

  it('keeps the newest head and filter when a slower writer stores older ones, and ignores a head its filter does not cover', async () => {
    const storyId = `stale-${randomUUID().slice(0, 8)}`;
    const streamId = storyStreamId(storyId);
    const { snapshots, states, writer } = await openWithSnapshots(storyId);
    for (let n = 1; n <= 2 * SEGMENT_EVENTS; n++) await writer.append(comment(storyId, n));
    await states.snapshotsWritten();
    const newest = (await snapshots.read(streamId, snapshotTag()))!;
    expect(newest.head.segments).toBe(2);
    // a writer that fell behind (another instance, a lost race) stores the head and filter of one segment
    await snapshots.write(streamId, snapshotTag(), { head: { ...newest.head, version: SEGMENT_EVENTS, segments: 1 }, filter: emptyFilter(), segments: [] });
    expect(await snapshots.read(streamId, snapshotTag())).toEqual(newest);
    // a head naming more segments than the stored filter covers (its filter lost) is no head: the stream is folded
    const tag = `${snapshotTag()}-lost-filter`;
    await snapshots.write(streamId, tag, { head: { ...newest.head, segments: 1, version: SEGMENT_EVENTS + 2, tail: [] }, filter: newest.filter, segments: [] });
    await snapshots.write(streamId, tag, { head: newest.head, segments: [] });
    expect(await snapshots.readHead(streamId, tag)).toBeUndefined();
    const loaded = await createStoryStates(store(), snapshots, { tag }).known(streamId);
    expect(loaded.state).toEqual(fold(initialState, (await store().readStream(streamId)) as unknown as StoryEvent[]));
  });
});

describe('the cached state of a story', () => {
  /** What a fresh instance folds from the stream: the state every cached one must equal. */
  const freshFold = async (storyId: string) => {
    const all = await store().readStream(storyStreamId(storyId));
    return fold(initialState, all);
  };

  it('is left as it was by an append the decider refuses', async () => {
    const storyId = `refused-${randomUUID().slice(0, 8)}`;
    const service = createStoryService(store());
    await openStory(service, storyId);
    await service.append(comment(storyId, 1));
    // a batch whose first event is fine and whose second is refused: the first must not stay in the cache
    const refused = { ...comment(storyId, 2), events: [...comment(storyId, 2).events, ...comment(storyId, 3, ['nobody']).events] };
    await expect(service.append(refused)).rejects.toBeInstanceOf(RuleViolationError);
    expect((await service.state(storyId)).state).toEqual(await freshFold(storyId));
    expect(await service.append(comment(storyId, 2))).toMatchObject({ version: 4, repeated: false });
  });

  it('is left as it was by an append whose transaction fails', async () => {
    const storyId = `failed-${randomUUID().slice(0, 8)}`;
    const real = store();
    let fail = false;
    const failing = { ...real, append: async (input: Parameters<typeof real.append>[0]) => (fail ? Promise.reject(new Error('the store failed')) : real.append(input)) };
    const service = createStoryService(failing);
    await openStory(service, storyId);
    fail = true;
    await expect(service.append(actor(storyId, 'kayani'))).rejects.toThrow('the store failed');
    fail = false;
    expect((await service.state(storyId)).state).toEqual(await freshFold(storyId));
    // the actor was never identified: a comment naming it is refused, as a fresh instance would
    await expect(service.append(comment(storyId, 1, ['kayani']))).rejects.toBeInstanceOf(RuleViolationError);
  });

  it('loses nothing when the process dies between the event write and the snapshot write', async () => {
    const storyId = `killed-${randomUUID().slice(0, 8)}`;
    const real = createSnapshotStore(suite.client, suite.tables.names.snapshots);
    // a first snapshot is written; then the instance "dies": its later snapshot writes never happen
    const states = createStoryStates(store(), real);
    const writer = createStoryService(store(), undefined, real, states);
    await openStory(writer, storyId);
    for (let n = 1; n <= SEGMENT_EVENTS; n++) await writer.append(comment(storyId, n));
    await states.snapshotsWritten();
    const dying: SnapshotStore = { ...real, write: () => new Promise(() => undefined) };
    const doomed = createStoryService(store(), undefined, dying);
    for (let n = SEGMENT_EVENTS + 1; n <= 2 * SEGMENT_EVENTS + 3; n++) await doomed.append(comment(storyId, n));
    const cold = createStoryService(store(), undefined, real);
    const loaded = await cold.state(storyId);
    expect(loaded.version).toBe(2 * SEGMENT_EVENTS + 5);
    expect(loaded.state).toEqual(await freshFold(storyId));
    expect(await cold.append(comment(storyId, 0))).toMatchObject({ version: 2 * SEGMENT_EVENTS + 6, repeated: false });
  });

  it('reads no snapshot another decider version took', async () => {
    const storyId = `tagged-${randomUUID().slice(0, 8)}`;
    const snapshots = createSnapshotStore(suite.client, suite.tables.names.snapshots);
    const old = createStoryStates(store(), snapshots, { tag: 'story-decider-old' });
    const writer = createStoryService(store(), undefined, snapshots, old);
    await openStory(writer, storyId);
    for (let n = 1; n <= SEGMENT_EVENTS; n++) await writer.append(comment(storyId, n));
    await old.snapshotsWritten();
    expect(await snapshots.read(storyStreamId(storyId), 'story-decider-old')).toBeDefined();
    // the snapshot says a wrong thing under the old tag: a reader of the new one must not believe it
    const stored = (await snapshots.read(storyStreamId(storyId), 'story-decider-old'))!;
    await snapshots.write(storyStreamId(storyId), 'story-decider-old', { head: { ...stored.head, version: stored.head.version + 1, actors: {} }, filter: stored.filter, segments: [] });
    const current = createStoryStates(store(), snapshots, { tag: 'story-decider-new' });
    const before = counter.tally('retagged');
    const loaded = await counter.run('retagged', () => current.known(storyStreamId(storyId)));
    expect(loaded.state).toEqual(await freshFold(storyId));
    // read: no snapshot head under the new tag, then the whole stream (and a snapshot of the new tag is written in the background)
    expect(difference(counter.tally('retagged'), before).requests).toMatchObject({ QueryCommand: 2 });
    await current.snapshotsWritten();
    expect(await createStoryStates(store(), snapshots, { tag: 'story-decider-old' }).known(storyStreamId(storyId))).not.toEqual(loaded);
  });
});

describe('the Idempotency-Key of an append', () => {
  const keyed = (request: ReturnType<typeof comment>, key: string) => ({ ...request, idempotencyKey: key });

  it('is not used up by a request refused with 422 or 409: a corrected body can be sent under it', async () => {
    const storyId = `key-${randomUUID().slice(0, 8)}`;
    const service = createStoryService(store());
    await openStory(service, storyId);
    const key = 'talks-1';
    await expect(service.append(keyed(comment(storyId, 1, ['nobody']), key))).rejects.toBeInstanceOf(RuleViolationError);
    await expect(service.append({ ...keyed(comment(storyId, 1), key), expectedVersion: 7 })).rejects.toBeInstanceOf(ConflictError);
    const applied = await service.append(keyed(comment(storyId, 1), key));
    expect(applied).toMatchObject({ version: 3, repeated: false });
    // re-sent later, from any instance: the original result; another body under it: 422
    expect(await createStoryService(store()).append(keyed(comment(storyId, 1), key))).toEqual({ ...applied, repeated: true });
    await expect(service.append(keyed(comment(storyId, 2), key))).rejects.toBeInstanceOf(DuplicateError);
  });

  it('is scoped to its story', async () => {
    const [a, b] = [`key-a-${randomUUID().slice(0, 8)}`, `key-b-${randomUUID().slice(0, 8)}`];
    const service = createStoryService(store());
    await openStory(service, a);
    await openStory(service, b);
    expect(await service.append(keyed(comment(a, 1), 'same'))).toMatchObject({ version: 3, repeated: false });
    expect(await service.append(keyed(comment(b, 1), 'same'))).toMatchObject({ version: 3, repeated: false });
  });
});
