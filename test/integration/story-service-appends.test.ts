import { randomUUID } from 'node:crypto';
import { createDynamoClient, injectedMiddleware } from '../../functions/adapters/dynamodb-client';
import { createEventStore } from '../../functions/adapters/event-store';
import { createStoryService, SNAPSHOT_EVERY } from '../../functions/story-service';
import { storyStreamId } from '../../events/streams';
import { fold, initialState, type StoryEvent } from '../../events/story/decider';
import { createRequestCounter, difference } from '../bench/request-counter';
import { freshTables, testEndpoint } from '../support/dynamodb';

/** The story service's append path: one transaction when the cached state is current, a read only when it is not, snapshots for cold starts. */

const counter = createRequestCounter();
let tables: Awaited<ReturnType<typeof freshTables>>;
let client: ReturnType<typeof createDynamoClient>;

beforeAll(async () => {
  tables = await freshTables();
  injectedMiddleware.push(counter.hook);
  client = createDynamoClient({ endpoint: testEndpoint() });
});
afterAll(async () => {
  injectedMiddleware.splice(injectedMiddleware.indexOf(counter.hook), 1);
  client.destroy();
  await tables.drop();
});

const store = () => createEventStore(client, tables.names.events);
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

describe('appending through the story service', () => {
  it('when the cached state is current, an append is one TransactWriteItems and nothing else', async () => {
    const storyId = `one-${randomUUID().slice(0, 8)}`;
    const service = createStoryService(store());
    await openStory(service, storyId);
    const before = counter.tally('append');
    await counter.run('append', () => service.append(comment(storyId, 1)));
    expect(difference(counter.tally('append'), before).requests).toEqual({ TransactWriteItemsCommand: 1 });
  });

  it('when another instance appended since, the cached state is read up to the head and the append lands after it', async () => {
    const storyId = `two-${randomUUID().slice(0, 8)}`;
    const a = createStoryService(store());
    const b = createStoryService(store());
    await openStory(a, storyId);
    await b.append(comment(storyId, 1));
    // a's cache is at version 2: its append finds version 3 taken, reads it, and lands at 4
    expect(await a.append(comment(storyId, 2))).toMatchObject({ version: 4, repeated: false });
    // b's cache is at version 3 and the caller expects 4: b reads up to the head rather than refusing
    expect(await b.append({ ...comment(storyId, 3), expectedVersion: 4 })).toMatchObject({ version: 5 });
    // an actor identified through b is known to a when a decides on a cached state that lacks it
    await b.append(actor(storyId, 'kayani'));
    expect(await a.append(comment(storyId, 4, ['kayani']))).toMatchObject({ version: 7 });
    expect((await store().readStream(storyStreamId(storyId))).map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
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

  it('a cold instance starts from the latest snapshot and the events after it', async () => {
    const storyId = `long-${randomUUID().slice(0, 8)}`;
    const writer = createStoryService(store());
    await openStory(writer, storyId);
    for (let n = 1; n < SNAPSHOT_EVERY + 5; n++) await writer.append(comment(storyId, n));
    const cold = createStoryService(store());
    const before = counter.tally('cold');
    const loaded = await counter.run('cold', () => cold.state(storyId));
    const used = difference(counter.tally('cold'), before);
    // one query for the snapshot, one for the events after it
    expect(used.requests).toEqual({ QueryCommand: 2 });
    const all = await store().readStream(storyStreamId(storyId));
    expect(loaded).toEqual({ version: SNAPSHOT_EVERY + 6, state: fold(initialState, all as (typeof all[number] & StoryEvent)[]) });
  });
});
