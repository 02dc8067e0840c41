import { randomUUID } from 'node:crypto';
import { timelineKey, type TimelineModel } from '../../events/projections';
import { storyStreamId } from '../../events/streams';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { createEventStore, type NewEvent } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { commentary } from '../bench/append';
import { createRequestCounter, difference } from '../bench/request-counter';
import { countedTables } from '../support/dynamodb';
import { addClientMiddleware } from '../support/sdk-middleware';
import { metadata, storyOpened } from '../support/story-events';

/**
 * The requests of one projector batch, counted with the benchmark's middleware on DynamoDB Local:
 * a story's first batch reads its head once (what that read did not find is not read again), and a
 * batch's collection items and its stories' timeline chunks share full BatchWriteItem requests
 * (functions/adapters/write-coalescer.ts) rather than one part-full request per story.
 */

const counter = createRequestCounter('unlabelled');
const suite = countedTables(counter);
/** The number of write requests in each BatchWriteItem sent, in order. */
const batchSizes: number[] = [];
let removeSizes = () => undefined as void;
beforeAll(() => {
  removeSizes = addClientMiddleware({
    name: 'batchSizes',
    step: 'initialize',
    middleware: (next, context: { commandName?: string }) => async (args: { input: { RequestItems?: Record<string, unknown[]> } }) => {
      if (context.commandName === 'BatchWriteItemCommand') batchSizes.push(Object.values(args.input.RequestItems ?? {}).reduce((n, requests) => n + requests.length, 0));
      return next(args);
    },
  });
});
afterAll(() => removeSizes());

/** A projector whose client first sends now (so that both middlewares see it), and its stores. */
const freshProjector = () => {
  const client = createDynamoClient({ endpoint: process.env.DYNAMODB_ENDPOINT });
  const events = createEventStore(client, suite.tables.names.events);
  const readModels = createReadModelStore(client, suite.tables.names.readModels);
  return { events, readModels, projector: createProjector(events, readModels) };
};

const recordedAt = new Date().toISOString();

describe('the requests of a projector batch', () => {
  it("reads a new story's head once, in its first batch", async () => {
    const { events, readModels, projector } = freshProjector();
    const storyId = `first-${randomUUID().slice(0, 6)}`;
    const streamId = storyStreamId(storyId);
    await events.append({ streamId, expectedVersion: 0, events: [storyOpened(storyId), { id: randomUUID(), ...commentary(storyId, 1) } as NewEvent], metadata, recordedAt });
    const records = await events.readRecords(streamId);
    const before = counter.tally('first');
    await counter.run('first', () => projector.project(records));
    const sent = difference(counter.tally('first'), before).requests;
    // the heads and the generation's item in one request: what it did not find is not read again
    // (a new instance also reads which generation is current, once: the GetItem)
    expect(sent).toEqual({ GetItemCommand: 1, BatchGetItemCommand: 1, BatchWriteItemCommand: 1, PutItemCommand: 1 });
    expect((await readModels.get<TimelineModel>(timelineKey(storyId)))?.value.entries).toHaveLength(1);
  });

  it("sends a batch's items and chunks over several stories in full requests", async () => {
    const { events, readModels, projector } = freshProjector();
    const stories = Array.from({ length: 6 }, (_, i) => `many-${i}-${randomUUID().slice(0, 6)}`);
    for (const storyId of stories) await events.append({ streamId: storyStreamId(storyId), expectedVersion: 0, events: [storyOpened(storyId)], metadata, recordedAt });
    await projector.project((await Promise.all(stories.map((storyId) => events.readRecords(storyStreamId(storyId))))).flat());
    // 7 developments over the 6 stories, in one batch
    const batch = [];
    for (const [i, storyId] of [...stories, stories[0]!].entries()) {
      const streamId = storyStreamId(storyId);
      const expectedVersion = i < stories.length ? 1 : 2;
      await events.append({ streamId, expectedVersion, events: [{ id: randomUUID(), ...commentary(storyId, i) } as NewEvent], metadata, recordedAt });
      batch.push(...(await events.readRecords(streamId, { after: expectedVersion })));
    }
    batchSizes.length = 0;
    await projector.project(batch);
    const written = batchSizes.reduce((a, b) => a + b, 0);
    // every request but the last is full: as many as the writes need, not one or more per story
    expect(batchSizes.length).toBe(Math.ceil(written / 25));
    expect(batchSizes.slice(0, -1).every((size) => size === 25)).toBe(true);
    expect(batchSizes.length).toBeLessThan(stories.length);
    for (const storyId of stories) expect((await readModels.get<TimelineModel>(timelineKey(storyId)))?.value.entries.length).toBe(storyId === stories[0] ? 2 : 1);
  });
});
