import { join } from 'node:path';
import { createEventStore, type EventStore } from '../../functions/adapters/event-store';
import { createReadModelStore, type ReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { createStoryService } from '../../functions/story-service';
import { feedChangeNotifier } from '../../functions/websub/feed-changes';
import { folderPingQueue, type PingSender } from '../../functions/websub/ping-queue';
import { freshTables } from '../support/dynamodb';
import { meetingHeld, openStory, storyId } from '../support/fixtures';
import { tablesFolderAndLogs } from '../support/suite-tables';

/**
 * WebSub at least once, on DynamoDB Local: the ping is queued before the changed rendering is
 * stored, and a ping that cannot be queued fails the batch. The crash and the broken queue are the
 * faults the real engine cannot produce: a read-model store that dies right after storing a
 * rendering, and a queue whose writes fail.
 */

const PUBLIC = 'https://news.example.org';
const HUB = 'https://hub.example.org/';
const storyFeed = `${PUBLIC}/stories/${storyId}/feed.rss`;
const suite = tablesFolderAndLogs('storyline-websub-once-');
let events: EventStore;
/** The event store on `tables`, with the story opened and one meeting in it. */
const withStory = async (tables: Pick<typeof suite.tables, 'client' | 'names'>): Promise<EventStore> => {
  const store = createEventStore(tables.client, tables.names.events);
  await createStoryService(store).append({ storyId, events: [...openStory, meetingHeld], subject: 'test', correlationId: 'test' });
  return store;
};
beforeAll(async () => {
  events = await withStory(suite.tables);
});

class Crash extends Error {}

/**
 * The real store, except that the process "dies" right after the batch's first write is stored
 * (once): feeds are rendered on read, so what a crash can separate from the ping is the write of the
 * change itself.
 */
const crashingAfterFirstWrite = (store: ReadModelStore): ReadModelStore => {
  let crashed = false;
  const crashOnce = () => {
    if (crashed) return;
    crashed = true;
    throw new Crash('the projector died between storing a change and queueing its ping');
  };
  return {
    ...store,
    put: async (write, generation) => {
      await store.put(write, generation);
      crashOnce();
    },
    writeItems: async (writes, generation) => {
      await store.writeItems(writes, generation);
      crashOnce();
    },
  };
};

test('two projector runs with a crash between the rendering and the queue ping the hub at least once', async () => {
  const queue = folderPingQueue(join(suite.folder, 'crash'));
  const readModels = createReadModelStore(suite.tables.client, suite.tables.names.readModels);
  const onFeedChanged = feedChangeNotifier(queue, [HUB], PUBLIC);
  const story = await events.readStream(`story/${storyId}`);

  await createProjector(events, crashingAfterFirstWrite(readModels), { onFeedChanged })
    .project(story)
    .catch((error: unknown) => {
      if (!(error instanceof Crash)) throw error;
    });
  // Lambda redelivers the batch to a fresh projector
  await createProjector(events, readModels, { onFeedChanged }).project(story);

  const queued = (await queue.due(Date.now(), 1000)).map(({ ping }) => ping.url);
  for (const format of ['rss', 'atom', 'json']) expect(queued).toContain(`${PUBLIC}/stories/${storyId}/feed.${format}`);
});

test('a ping that cannot be queued fails the batch, and the retried batch queues it', async () => {
  const fresh = await freshTables();
  try {
    const freshEvents = await withStory(fresh);
    const story = await freshEvents.readStream(`story/${storyId}`);
    const readModels = createReadModelStore(fresh.client, fresh.names.readModels);
    const broken: PingSender = { send: async () => Promise.reject(new Error('SQS: service unavailable')) };

    await expect(createProjector(freshEvents, readModels, { onFeedChanged: feedChangeNotifier(broken, [HUB], PUBLIC) }).project(story)).rejects.toThrow('service unavailable');
    expect(suite.logs.withMessage('websub ping not queued')).not.toHaveLength(0);

    const queue = folderPingQueue(join(suite.folder, 'retried'));
    await createProjector(freshEvents, readModels, { onFeedChanged: feedChangeNotifier(queue, [HUB], PUBLIC) }).project(story);
    expect((await queue.due(Date.now(), 1000)).map(({ ping }) => ping.url)).toContain(storyFeed);
  } finally {
    await fresh.drop();
  }
});
